"""The grader's trained heads: JSON files shipped in the package (simulator/data/), written by tools/train_*.

One reader for all of them, so a head that is not shipped means the same everywhere: the grader decides
without it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SHIPPED = Path(__file__).resolve().parent.parent / "data"


def shipped_json(name: str) -> Any | None:
    """The parsed file `name` of simulator/data/, or None when the package does not have it."""
    try:
        text = (SHIPPED / name).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return json.loads(text)
