"""`python app.py`: a taken port, a public host without a login, and wrong passwords that cost time."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import gradio as gr
import httpx
import pytest

from simulator.catalog import ROOT
from simulator.login_throttle import CLIENT, LoginThrottle, launch_auth


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def app(tmp_path: Path, *args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """app.py running until it serves its page (or exits); stopped afterwards."""
    port = free_port()
    env = {**os.environ, "ROUNDTWO_HOME": str(tmp_path / "home")}
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        env.pop(name, None)
    err_path = tmp_path / "stderr.txt"
    with err_path.open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py"), "--port", str(port), *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
            text=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/config", timeout=2).status_code in (200, 401):
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        assert proc.poll() is None, err_path.read_text()
        yield proc, err_path.read_text()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_a_port_in_use_is_one_line_and_exit_2(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, str(ROOT / "app.py"), "--port", str(port)],
            cwd=ROOT,
            env={**os.environ, "ROUNDTWO_HOME": str(tmp_path)},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2
    assert done.stderr == f"app.py: port {port} is already in use: choose another with --port\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--port", "70000"], "app.py: --port: 70000 is not a port number (1-65535)\n"),
        (
            ["--host", "no-such-host.invalid"],
            "app.py: --host: 'no-such-host.invalid' is not an address of this machine\n",
        ),
        (["--auth", "nopassword"], "app.py: --auth: expected USER:PASS\n"),
    ],
)
def test_bad_serving_options_are_one_line(tmp_path: Path, argv: list[str], message: str) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "app.py"), *argv],
        cwd=ROOT,
        env={**os.environ, "ROUNDTWO_HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (2, message)


def test_every_interface_without_a_login_warns(tmp_path: Path) -> None:
    with app(tmp_path, "--host", "0.0.0.0") as (_, stderr):
        warning = [line for line in stderr.splitlines() if "warning" in line]
    assert warning == [
        "app.py: warning: --host 0.0.0.0 without --auth: anyone who can reach this page can read, "
        "run and delete every saved session; add --auth USER:PASS"
    ]


def test_with_a_login_there_is_no_warning_and_the_password_is_checked(tmp_path: Path) -> None:
    with app(tmp_path, "--host", "0.0.0.0", "--auth", "coach:s3cret") as (proc, stderr):
        url = f"http://127.0.0.1:{proc.args[3]}"
        wrong = httpx.post(f"{url}/login", data={"username": "coach", "password": "guess"}, timeout=10)
        right = httpx.post(f"{url}/login", data={"username": "coach", "password": "s3cret"}, timeout=10)
    assert "warning" not in stderr
    assert wrong.status_code == 400 and right.status_code == 200


class Sleeps:
    """Records the throttle's waits instead of waiting (no test here depends on the clock)."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def test_repeated_wrong_passwords_from_one_client_are_slowed_through_gradios_login() -> None:
    throttle = LoginThrottle("coach", "s3cret", sleep=(sleeps := Sleeps()))
    options = launch_auth(throttle)
    port = free_port()
    with gr.Blocks() as demo:
        gr.Markdown("hello")
    demo.launch(server_port=port, prevent_thread_lock=True, quiet=True, **options)
    try:
        url = f"http://127.0.0.1:{port}/login"

        def attempt(password: str) -> int:
            return httpx.post(url, data={"username": "coach", "password": password}, timeout=10).status_code

        codes = [attempt(f"guess{i}") for i in range(8)]
        assert codes == [400] * 8
        assert sleeps.waits == [1.0, 2.0, 4.0]  # five free tries, then doubling waits
        assert list(throttle._clients) == ["127.0.0.1"]  # the client came from the request
        assert attempt("s3cret") == 200  # still let in (after its wait): the owner is never locked out
        assert sleeps.waits[-1] == 8.0
        assert attempt("wrong again") == 400 and sleeps.waits[-1] == 8.0  # the count was cleared
    finally:
        demo.close()


def test_one_clients_failures_do_not_slow_another() -> None:
    throttle = LoginThrottle("coach", "s3cret", sleep=(sleeps := Sleeps()))

    async def attempts() -> list[bool]:
        CLIENT.set("203.0.113.9")
        results = [await throttle.check("coach", "guess") for _ in range(7)]
        CLIENT.set("198.51.100.4")
        results.append(await throttle.check("coach", "s3cret"))
        results.append(await throttle.check("admin", "s3cret"))  # the user name counts too
        return results

    assert asyncio.run(attempts()) == [False] * 7 + [True, False]
    assert sleeps.waits == [1.0, 2.0]
    assert throttle.delay_after(40) == 30.0  # capped


def test_gradios_file_cache_lives_in_the_private_folder_that_goes_at_exit() -> None:
    probe = (
        "import os, stat, app\n"
        "from pathlib import Path\n"
        "cache = Path(os.environ['GRADIO_TEMP_DIR'])\n"
        "parent = cache.parent\n"
        "print(cache, oct(stat.S_IMODE(parent.stat().st_mode)), parent.name)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "GRADIO_TEMP_DIR"}
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    cache, mode, parent = done.stdout.split()
    assert mode == "0o700" and parent.startswith("roundtwo-exports-")
    assert not Path(cache).parent.exists()  # removed when the process exited
