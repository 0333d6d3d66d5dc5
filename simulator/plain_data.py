"""Checks on parsed JSON or YAML before a model validates it: nesting, text and numbers.

Parsers and validators recurse, so a deeply nested file ends in RecursionError; a lone UTF-16
surrogate (`"\\ud800"`) cannot be written to SQLite or stdout; `1e400` and NaN are not numbers a
session can hold. Each problem comes back as one line naming the field.
"""

from __future__ import annotations

import math

from simulator.limits import MAX_NESTING


class PlainDataError(ValueError):
    """What is wrong and where: `answers[3]: text holds an unpaired UTF-16 surrogate`."""


def has_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def check_plain(data: object, max_depth: int = MAX_NESTING) -> None:
    """Raise PlainDataError for the first thing no honest file holds.

    Iterative and visiting each container once: YAML aliases can share one list a million times.
    """
    seen: set[int] = set()
    stack: list[tuple[object, str, int]] = [(data, "", 0)]
    while stack:
        node, where, depth = stack.pop()
        if isinstance(node, str):
            if has_surrogate(node):
                raise PlainDataError(f"{where or '(top level)'}: text holds an unpaired UTF-16 surrogate")
            continue
        if isinstance(node, float) and not math.isfinite(node):
            raise PlainDataError(f"{where or '(top level)'}: {node} is not a finite number")
        if not isinstance(node, dict | list):
            continue
        if depth >= max_depth:
            where = where if len(where) <= 60 else where[:59] + "…"
            raise PlainDataError(f"{where or '(top level)'}: nested more than {max_depth} levels deep")
        if id(node) in seen:
            continue
        seen.add(id(node))
        items = list(node.items() if isinstance(node, dict) else enumerate(node))
        for key, value in reversed(items):  # reversed onto the stack: reported in file order
            if isinstance(key, str) and has_surrogate(key):
                raise PlainDataError(f"{where or '(top level)'}: a key holds an unpaired UTF-16 surrogate")
            label = f"{where}[{key}]" if isinstance(key, int) else (f"{where}.{key}" if where else str(key))
            stack.append((value, label, depth + 1))
