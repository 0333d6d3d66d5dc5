"""Gradio, imported without rewriting its own type stubs.

Every Gradio component class, as it is defined, re-reads its source file, parses it twice with `ast` and
compares the result with the `.pyi` stub beside it, to rewrite the stub when they differ
(`gradio.component_meta.create_or_modify_pyi`: a tool for Gradio's own developers). The stubs shipped
with the wheel already match, so the page gains nothing from it, and it is about a third of importing
Gradio: some 1.3 s of CPU of the page's start on this machine.

`skip_stub_rewrites()` must run before anything imports Gradio (app.py calls it first thing). It swaps
that one function for one that does nothing as `gradio.component_meta` is loaded; nothing else in
Gradio changes. With a Gradio that no longer has the function, it does nothing.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType

STUB_WRITER_MODULE = "gradio.component_meta"
STUB_WRITER = "create_or_modify_pyi"


def _write_no_stub(*_args: object, **_kwargs: object) -> None:
    return None


class _SkipStubWriter(importlib.abc.MetaPathFinder):
    """Finds `gradio.component_meta` as Python would, and disarms its stub writer once it has run."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != STUB_WRITER_MODULE:
            return None
        sys.meta_path.remove(self)  # once is enough
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        run_module = spec.loader.exec_module

        def exec_module(module: ModuleType) -> None:
            run_module(module)
            if hasattr(module, STUB_WRITER):
                setattr(module, STUB_WRITER, _write_no_stub)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def skip_stub_rewrites() -> bool:
    """Arrange for Gradio's stub writer to do nothing. False when Gradio is already imported (too late)."""
    if STUB_WRITER_MODULE in sys.modules:
        return False
    if not any(isinstance(finder, _SkipStubWriter) for finder in sys.meta_path):
        sys.meta_path.insert(0, _SkipStubWriter())
    return True
