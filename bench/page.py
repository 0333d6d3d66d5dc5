"""The page in a real browser: how long it takes to start; from sending an answer to the next
question appearing (target: median under 0.15 s); and opening a 100-turn session in Replay
(target: under 0.5 s).

`python -m bench.page --starts 5` only starts the page five times: the seconds from spawning
app.py to its first HTTP 200, and the CPU seconds the server spent by then (steadier than the
wall clock when others share the cores).

Runs `app.py` on a free port with a throwaway ROUNDTWO_HOME and drives headless Chromium
(Debian's, at /usr/bin/chromium) with Playwright. Both times are measured inside the page: from the
click (Send, Open) to the new content in the page. The answers are the shipped example's, on the
offline engine with the real grader (sentence model included); the long session is built through
the API before the page starts (bench.long_session).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.browser import CHROMIUM, CHROMIUM_ARGS, free_port
from bench.long_session import copy_long_session
from bench.session import p95
from simulator.catalog import ROOT
from simulator.script import load_script

ANSWERS = 28  # the example's answers, as many as the loop asks for
OPENS = 5
TARGET_SECONDS = 0.15
OPEN_TARGET_SECONDS = 0.5

# Click Send and resolve with the milliseconds until a new interviewer message is in the chat.
_SEND_AND_TIME = """(before) => new Promise((resolve) => {
  const bots = () => document.querySelectorAll('#chat [data-testid="bot"]').length;
  const t0 = performance.now();
  const observer = new MutationObserver(() => {
    if (bots() > before) { observer.disconnect(); resolve(performance.now() - t0); }
  });
  observer.observe(document.querySelector('#chat'), {childList: true, subtree: true, characterData: true});
  document.querySelector('#send').click();
})"""

# Click Open and resolve with the milliseconds until the replay shows the session's first turn.
# The whole page is watched: Gradio may replace the #replay element rather than change it.
_OPEN_AND_TIME = """() => new Promise((resolve) => {
  const t0 = performance.now();
  const shown = () => /Turn 1 of/.test(document.querySelector('#replay')?.innerText || '');
  const observer = new MutationObserver(() => {
    if (shown()) { observer.disconnect(); resolve(performance.now() - t0); }
  });
  observer.observe(document.body, {childList: true, subtree: true, characterData: true});
  document.querySelector('#open').click();
})"""


def _cpu_seconds(pid: int) -> float | None:
    """User and system CPU seconds of a running process so far (Linux's /proc; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _serve(home: Path, port: int) -> tuple[subprocess.Popen[bytes], float]:
    env = {**os.environ, "ROUNDTWO_HOME": str(home), "GRADIO_SERVER_PORT": str(port)}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"app.py exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                if response.status == 200:
                    return proc, time.perf_counter() - started
        except OSError:
            time.sleep(0.05)
        if time.perf_counter() - started > 90:
            proc.kill()
            raise RuntimeError("app.py did not start within 90 s")


def _answers(page: Any, answers: list[str]) -> list[float]:
    """Send the answers one by one; the seconds from each Send to the next interviewer's message."""
    latencies = []
    for text in answers[:ANSWERS]:
        status = page.locator("#status").inner_text()
        if "The loop is over" in status:
            break
        if "is asking you" not in status:  # the candidate's turn to ask: no questions this time
            page.locator("#move-on").click()
            page.wait_for_function("(s) => document.querySelector('#status').innerText !== s", arg=status)
            continue
        page.locator("#answer textarea").fill(text)
        before = page.locator('#chat [data-testid="bot"]').count()
        latencies.append(page.evaluate(_SEND_AND_TIME, before) / 1000)
        page.wait_for_function("() => !document.querySelector('#answer textarea').value")
    return latencies


# Click a button and resolve with the milliseconds until the page's text no longer matches `pattern`.
_CLICK_UNTIL_GONE = """([selector, pattern]) => new Promise((resolve) => {
  const t0 = performance.now();
  const gone = () => !new RegExp(pattern).test(document.body.innerText);
  const observer = new MutationObserver(() => {
    if (gone()) { observer.disconnect(); resolve(performance.now() - t0); }
  });
  observer.observe(document.body, {childList: true, subtree: true, characterData: true, attributes: true});
  document.querySelector(selector).click();
})"""


def _opens(page: Any, session_id: str) -> tuple[list[float], list[float], str]:
    """Open the long session in Replay OPENS times (stepping to turn 2 between, so each open
    changes what is shown): the seconds from each click on Open to its first turn on screen.
    Beside them, the round trip of an event that does nothing (Keep it, on the delete prompt):
    what any click costs on this page and machine at the moment."""
    page.get_by_role("tab", name="Replay").click()
    row = page.locator("#sessions .virtual-row", has_text=session_id).first
    row.locator("[data-testid$='-0']").click()
    page.wait_for_function("() => document.querySelector('#replay-pick input').value")
    times, trivial = [], []
    heading = ""
    for _ in range(OPENS):
        times.append(page.evaluate(_OPEN_AND_TIME) / 1000)
        heading = page.locator("#replay .rt-step").inner_text()
        page.locator("#replay-next").click()
        page.wait_for_function("() => /Turn 2 of/.test(document.querySelector('#replay')?.innerText)")
        page.locator("#delete").click()
        page.locator("#confirm-text").get_by_text("cannot be undone").wait_for()
        trivial.append(page.evaluate(_CLICK_UNTIL_GONE, ["#cancel-delete", "This cannot be undone"]) / 1000)
    return times, trivial, heading


def _api_opens(url: str, session_id: str) -> list[float]:
    """The same Open through the page's API (gradio_client): the server and the transport, no drawing."""
    from gradio_client import Client

    client = Client(url, verbose=False)
    client.predict("", api_name="/sessions")  # the picker's choices, as the page's load fills them
    times = []
    for _ in range(OPENS):
        t0 = time.perf_counter()
        client.predict(session_id, api_name="/open_session")
        times.append(time.perf_counter() - t0)
    return times


def starts(runs: int) -> None:
    """Start the page `runs` times, each with an empty ROUNDTWO_HOME: wall and CPU seconds to serving."""
    walls, cpus = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as home:
            proc, seconds = _serve(Path(home), free_port())
            cpu = _cpu_seconds(proc.pid)
            proc.terminate()
            proc.wait(timeout=10)
        walls.append(seconds)
        cpus.append(cpu)
        spent = f"{cpu:.2f} s CPU" if cpu is not None else "CPU not known here"
        print(f"  page start: {seconds:.2f} s ({spent}), load average {os.getloadavg()[0]:.1f}", flush=True)
    known = [c for c in cpus if c is not None]
    print(
        f"page start (process spawn to first HTTP 200), {runs} runs: median {statistics.median(walls):.2f} s, "
        f"best {min(walls):.2f} s"
        + (f"; the server's CPU: median {statistics.median(known):.2f} s" if known else "")
    )


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--starts"]:
        starts(int(args[1]) if len(args) > 1 else 5)
        return
    if not Path(CHROMIUM).exists():
        print(f"skipped: no Chromium at {CHROMIUM}")
        return
    from playwright.sync_api import sync_playwright

    answers = [
        a for a in load_script(ROOT / "examples" / "backend_engineer.yaml").answers if isinstance(a, str)
    ]
    with tempfile.TemporaryDirectory() as home:
        long_id = copy_long_session(Path(home) / "sessions.db")
        port = free_port()
        proc, serve_seconds = _serve(Path(home), port)
        serve_cpu = _cpu_seconds(proc.pid)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.set_default_timeout(180_000)  # one answer can take long on two busy cores
                t0 = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/")
                page.locator("#start").wait_for()
                page.wait_for_function(
                    "() => document.querySelector('#job-title textarea, #job-title input')?.value"
                )
                load_seconds = time.perf_counter() - t0
                fresh = _opens(page, long_id)  # a visitor who comes to replay a session
                page.get_by_role("tab", name="Setup").click()
                t1 = time.perf_counter()
                page.locator("#start").click()
                page.locator('#chat [data-testid="bot"]').first.wait_for()
                start_seconds = time.perf_counter() - t1
                latencies = _answers(page, answers)
                after = _opens(page, long_id)  # the same page, a whole interview later
                api = _api_opens(f"http://127.0.0.1:{port}/", long_id)
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    median = statistics.median(latencies)
    later = latencies[1:] or latencies
    spent = f" ({serve_cpu:.2f} s of CPU)" if serve_cpu is not None else ""
    print(f"page start (process spawn to first HTTP 200): {serve_seconds:.2f} s{spent}")
    print(f"page load in the browser (to a filled setup form): {load_seconds:.2f} s")
    print(f"start button to the first interviewer's message: {start_seconds:.3f} s")
    print(
        f"answer sent to next question shown, over {len(latencies)} answers: median {median:.3f} s, "
        f"p95 {p95(latencies):.3f} s, worst {max(latencies):.3f} s; median is "
        f"{median / TARGET_SECONDS:.2f}x of the {TARGET_SECONDS} s target"
    )
    print(
        f"  first answer (the sentence model loads): {latencies[0]:.3f} s; the others: median "
        f"{statistics.median(later):.3f} s, p95 {p95(later):.3f} s"
    )
    for when, (opens, trivial, heading) in (("on a fresh page", fresh), ("after the interview above", after)):
        open_median = statistics.median(opens)
        print(
            f"Replay, {when}: Open clicked to the first turn shown, a long session "
            f"({heading.split(' · ')[0]}), over {len(opens)} opens: median {open_median:.3f} s, worst "
            f"{max(opens):.3f} s; median is {open_median / OPEN_TARGET_SECONDS:.2f}x of the "
            f"{OPEN_TARGET_SECONDS} s target; a click that does nothing (Keep it): median "
            f"{statistics.median(trivial):.3f} s"
        )
    print(
        f"Replay Open through the API (server and transport, no browser), after the interview: median "
        f"{statistics.median(api):.3f} s"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (2 cores)")


if __name__ == "__main__":
    main()
