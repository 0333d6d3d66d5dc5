"""`app.py` run as a user runs it, on a free port with its own data folder, for browser tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bench.browser import free_port
from simulator.catalog import ROOT

START_SECONDS = 60
# A port picked free can be taken by another worker's app before ours binds it: start again.
PORT_TRIES = 3


@contextmanager
def running_app(home: Path) -> Iterator[str]:
    """Start the page with `home` as ROUNDTWO_HOME; yield its address; stop it afterwards."""
    for attempt in range(PORT_TRIES):
        proc, url = _start(home)
        try:
            if _serving(proc, url, home, last_try=attempt == PORT_TRIES - 1):
                yield url
                return
        finally:
            _stop(proc)


def _start(home: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "ROUNDTWO_HOME": str(home), "GRADIO_SERVER_PORT": str(port)}
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):  # the page must not reach a real LLM in a test
        env.pop(name, None)
    with (home / "server.log").open("w") as log:  # the child keeps its own handle
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env, stdout=log, stderr=log
        )
    return proc, f"http://127.0.0.1:{port}/"


def _serving(proc: subprocess.Popen[bytes], url: str, home: Path, last_try: bool) -> bool:
    """Wait until our app answers on `url`. False when another process took its port first (tests
    run in parallel workers, each picking free ports): the caller starts again on a new port."""
    port = url.rsplit(":", 1)[1].strip("/")
    deadline = time.monotonic() + START_SECONDS
    while True:
        if proc.poll() is not None:
            log = _read(home / "server.log")
            if "already in use" in log and not last_try:
                return False
            pytest.fail(f"app.py exited with {proc.returncode}: {log[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                # Ours, not another test run's server that took the free port first: our app
                # says it serves on this port (Gradio's own line) before the page answers.
                if response.status == 200 and f"127.0.0.1:{port}" in _read(home / "server.log"):
                    return True
        except OSError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"app.py did not start within {START_SECONDS} s")
        time.sleep(0.1)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _read(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""
