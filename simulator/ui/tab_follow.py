"""A tab an action shows when its answer lands, switched in the browser at that moment and only
for a visitor still on the tab they were on: on a busy machine the answer can land seconds later,
and a visitor who has gone to another tab meanwhile stays there, with what they were reading or
typing in front of them.

The action writes the tab to show (or "") into a hidden Textbox; `show_if_still_on` adds the
browser-side step that reads it.
"""

from __future__ import annotations

import json
from typing import Any

import gradio as gr

# Gradio names a tab's button after the tab's elem_id (app.py: "setup-tab", "interview-tab", ...).
SHOW_JS = """(wanted) => {
  const button = (tab) => document.getElementById(tab + "-tab-button");
  const from = button(%s);
  if (wanted && from && from.getAttribute("aria-selected") === "true") button(wanted)?.click();
}"""


def tab_signal() -> gr.Textbox:
    """The hidden field an action writes the tab to show into."""
    return gr.Textbox("", visible="hidden")  # drawn (hidden): the browser-side step reads it


def show_if_still_on(event: Any, signal: gr.Textbox, still_on: str) -> Any:
    """After `event`: show the tab `signal` names, if the visitor is still on the tab `still_on`."""
    return event.then(None, signal, None, js=SHOW_JS % json.dumps(still_on))
