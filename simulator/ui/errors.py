"""The page's last line of defence for errors: every handler's failure becomes one plain, escaped toast.

Gradio shows an exception that escapes a handler in a toast, and renders its message as HTML. An
exception's text can hold anything (a persona id from an imported file, a server path, pydantic's
internals), so no handler's exception reaches Gradio as it is: `guard_handlers` wraps each one, and
a failure becomes `gr.Error` with `user_line(exc)`, escaped.
"""

from __future__ import annotations

import functools
import html
import inspect
from collections.abc import Callable
from typing import Any

import gradio as gr

from simulator.ui.actions import plain, user_line


def toast(exc: BaseException) -> gr.Error:
    """The toast for any exception: one plain line, escaped (Gradio renders a toast's text as HTML)."""
    line = plain(exc.message) if isinstance(exc, gr.Error) else user_line(exc)
    return gr.Error(html.escape(line), print_exception=False)


def guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn` with any exception it raises turned into `toast(exc)`; generators stay generators."""
    if inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        def generator(*args: Any, **kwargs: Any) -> Any:
            try:
                yield from fn(*args, **kwargs)
            except Exception as exc:
                raise toast(exc) from None

        return generator

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            raise toast(exc) from None

    return call


def guard_handlers(demo: gr.Blocks) -> None:
    """Wrap every Python handler of the page (call once, after every event is connected)."""
    for block_fn in demo.fns.values():
        fn = block_fn.fn
        if fn is not None and not getattr(fn, "_roundtwo_guarded", False):
            wrapped = guarded(fn)
            wrapped._roundtwo_guarded = True  # type: ignore[attr-defined]
            block_fn.fn = wrapped
