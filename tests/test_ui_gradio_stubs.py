"""Gradio imported without re-checking its type stubs (simulator/ui/gradio_stubs.py): the page's
components are built as before, and no stub file is read on the way."""

from __future__ import annotations

import subprocess
import sys

from simulator.catalog import ROOT

# Imports Gradio (skipping the stub check when SKIP), builds a small page, prints the stubs Gradio read.
_CHILD = """
import sys
from pathlib import Path
from simulator.ui.gradio_stubs import skip_stub_rewrites
if SKIP:
    assert skip_stub_rewrites()
opened = []
real_read_text = Path.read_text
def read_text(self, *args, **kwargs):
    if self.suffix == ".pyi":
        opened.append(self.name)
    return real_read_text(self, *args, **kwargs)
Path.read_text = read_text
import gradio as gr
with gr.Blocks() as demo:
    box = gr.Textbox(label="Your answer", elem_id="answer")
    button = gr.Button("Send")
    button.click(lambda text: text.upper(), box, box)
config = demo.get_config_file()
assert any(c.get("props", {}).get("label") == "Your answer" for c in config["components"])
assert not skip_stub_rewrites()  # too late once Gradio is in
print(len(opened))
"""


def _stubs_read(skip: bool) -> int:
    done = subprocess.run(
        [sys.executable, "-c", f"SKIP = {skip}\n{_CHILD}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return int(done.stdout.split()[-1])


def test_gradio_builds_the_page_without_reading_its_stubs():
    assert _stubs_read(skip=True) == 0


def test_without_the_skip_gradio_reads_its_stubs():
    """The control: a Gradio that stops doing it makes the skip unneeded, and this test says so."""
    assert _stubs_read(skip=False) > 0
