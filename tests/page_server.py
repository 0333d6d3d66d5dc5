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


@contextmanager
def running_app(home: Path) -> Iterator[str]:
    """Start the page with `home` as ROUNDTWO_HOME; yield its address; stop it afterwards."""
    port = free_port()
    env = {**os.environ, "ROUNDTWO_HOME": str(home), "GRADIO_SERVER_PORT": str(port)}
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):  # the page must not reach a real LLM in a test
        env.pop(name, None)
    log = (home / "server.log").open("w")
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            if proc.poll() is not None:
                pytest.fail(
                    f"app.py exited with {proc.returncode}: {(home / 'server.log').read_text()[-2000:]}"
                )
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    # Ours, not another test run's server that took the free port first: our app
                    # says it serves on this port (Gradio's own line) before the page answers.
                    if response.status == 200 and f"127.0.0.1:{port}" in _read(home / "server.log"):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"app.py did not start within {START_SECONDS} s")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _read(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""
