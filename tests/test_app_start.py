"""`python app.py` stops on Ctrl-C, whether the page is still starting or already serving: exit 0,
no traceback, its private files gone.

app.py now waits for Ctrl-C itself once launch() returns (so that it can first set aside for good
the objects built at start, out of the garbage collector's way), and a Ctrl-C while the page was
still starting used to end in a traceback.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import yaml

from bench.browser import free_port
from simulator.catalog import ROOT

START_SECONDS = 180  # two shared cores under other engineers' tests


def _wait_for(ready: Callable[[], bool], proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while not ready():
        assert proc.poll() is None, f"app.py exited with {proc.returncode}"
        assert time.monotonic() < deadline, "app.py did not get there in time"
        time.sleep(0.1)


def _ctrl_c(tmp_path: Path, when: Callable[[Path, Path, int], bool]) -> tuple[int, str]:
    """Start app.py, press Ctrl-C once `when(temp folder, stdout file, port)` holds: exit code and output."""
    port = free_port()
    temp, out = tmp_path / "tmp", tmp_path / "out.txt"
    temp.mkdir()
    env = {
        **os.environ,
        "ROUNDTWO_HOME": str(tmp_path / "home"),
        "TMPDIR": str(temp),
        "PYTHONUNBUFFERED": "1",
    }
    with out.open("w") as sink:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py"), "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            text=True,
            # As from a terminal: a test runner's worker may ignore SIGINT, and a child inherits that.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        try:
            _wait_for(lambda: when(temp, out, port), proc)
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert not list(temp.glob("roundtwo-exports-*"))  # the page's private folder went with it
    return proc.returncode, out.read_text()


def _serving(temp: Path, out: Path, port: int) -> bool:
    try:
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
    except httpx.TransportError:
        return False
    return page.status_code == 200 and "To create a public link" in out.read_text()  # launch() is done


def test_ctrl_c_once_the_page_serves_stops_it_with_exit_0(tmp_path: Path) -> None:
    code, output = _ctrl_c(tmp_path, _serving)
    assert code == 0, output
    assert "Traceback" not in output


def test_ctrl_c_while_the_page_is_starting_stops_it_with_exit_0(tmp_path: Path) -> None:
    def starting(temp: Path, out: Path, port: int) -> bool:
        # The private folder is made as app.py is read; half a second on, main is importing Gradio (3 s).
        if not list(temp.glob("roundtwo-exports-*")):
            return False
        time.sleep(0.5)
        return True

    code, output = _ctrl_c(tmp_path, starting)
    assert code == 0, output
    assert "Traceback" not in output
    assert "Running on" not in output


def _start(tmp_path: Path, **env: str) -> tuple[int, str, str]:
    """Run app.py to its end (it must stop by itself): exit code, stdout and stderr."""
    port = free_port()
    proc = subprocess.run(
        [sys.executable, str(ROOT / "app.py"), "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, "ROUNDTWO_HOME": str(tmp_path / "home"), **env},
        capture_output=True,
        text=True,
        timeout=START_SECONDS,
    )
    return proc.returncode, proc.stdout, proc.stderr


def test_a_broken_rubric_still_stops_the_start_with_the_file_and_the_field(tmp_path: Path) -> None:
    """The rubrics load once the page serves (the first page needs none of them), and a broken one
    still ends the start: exit 2, one message naming the file and the unknown field, no traceback."""
    rubrics = tmp_path / "rubrics"
    shutil.copytree(ROOT / "rubrics", rubrics)
    star = rubrics / "star.yaml"
    data = yaml.safe_load(star.read_text(encoding="utf-8"))
    data["rambling_limit"] = 300  # no such field
    star.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, _, err = _start(tmp_path, ROUNDTWO_RUBRICS=str(rubrics))
    assert code == 2, err
    assert "star.yaml" in err and "rambling_limit" in err
    assert "Traceback" not in err


def test_a_broken_persona_stops_the_start_before_the_page_serves(tmp_path: Path) -> None:
    personas = tmp_path / "personas"
    shutil.copytree(ROOT / "personas", personas)
    first = sorted(personas.glob("*.yaml"))[0]
    data = yaml.safe_load(first.read_text(encoding="utf-8"))
    data["fallbak_answer"] = data.pop("fallback_answer")
    first.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, out, err = _start(tmp_path, ROUNDTWO_PERSONAS=str(personas))
    assert code == 2, err
    assert first.name in err and "fallback_answer: Field required" in err
    assert "Running on" not in out  # never served
