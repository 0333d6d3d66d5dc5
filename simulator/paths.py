"""Where user data lives. One environment variable, `ROUNDTWO_HOME`, moves all of it.

Tests point it at a temporary folder, so a test run never touches a real user's sessions.
"""

from __future__ import annotations

import os
from pathlib import Path

from simulator.private_files import private_folder

HOME_ENV = "ROUNDTWO_HOME"
DEFAULT_HOME = "~/.roundtwo"


def home() -> Path:
    """The data folder: `$ROUNDTWO_HOME`, else `~/.roundtwo`; created on first use."""
    folder = Path(os.environ.get(HOME_ENV) or DEFAULT_HOME).expanduser()
    private_folder(folder, tighten=True)  # 0700: it holds what was said in interviews
    return folder


def default_db_path() -> Path:
    return home() / "sessions.db"
