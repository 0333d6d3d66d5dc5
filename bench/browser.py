"""The headless Chromium the page's benchmark and browser tests drive (Debian's, unless overridden)."""

from __future__ import annotations

import os
import socket

CHROMIUM = os.environ.get("ROUNDTWO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    """A port nothing listens on now, for a throwaway app.py."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
