"""Where Gradio put an uploaded file, and the name the user gave it."""

from __future__ import annotations

from typing import Any


def upload_path(upload: Any) -> str | None:
    if not upload:
        return None
    return str(getattr(upload, "path", None) or getattr(upload, "name", None) or upload)


def upload_name(upload: Any) -> str | None:
    path = upload_path(upload)
    return path.rsplit("/", 1)[-1] if path else None
