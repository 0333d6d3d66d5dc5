"""Files that stay private: the session database and the page's downloads are the user's alone.

A session holds what someone said in a job interview. The database (and SQLite's -wal and -shm
files beside it, which SQLite creates with the database's own mode) is 0600 in a 0700 folder;
page exports go to a 0700 folder of this process's own, removed at exit, with stale files swept.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700
EXPORTS_PREFIX = "roundtwo-exports-"
# A download link is used within minutes; an export older than this is only a copy left lying about.
STALE_SECONDS = 3600.0

_exports: Path | None = None
_exports_lock = threading.Lock()


def private_folder(folder: Path, tighten: bool = False) -> None:
    """Create `folder` (and any missing parents) readable by this user only. An existing folder is
    left as it is (it may be the user's own, like /tmp or their home) unless `tighten` is given:
    then one of this user's that others could read is made 0700 (the app's own data folder)."""
    missing = []
    current = folder
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for created in reversed(missing):
        with contextlib.suppress(FileExistsError):
            created.mkdir(mode=FOLDER_MODE)
        os.chmod(created, FOLDER_MODE)  # mkdir's mode is masked by the umask
    if tighten:
        info = folder.stat()
        if info.st_uid == os.getuid() and info.st_mode & 0o077:
            os.chmod(folder, FOLDER_MODE)


def private_database(path: Path) -> None:
    """Make the database file (and its -wal and -shm) 0600 before SQLite opens it.

    A new file is created 0600; an existing one of ours that others could read is tightened.
    """
    private_folder(path.parent)
    flags = os.O_RDWR | os.O_CREAT
    descriptor = os.open(path, flags, FILE_MODE)
    os.close(descriptor)
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        _tighten(file)


def _tighten(file: Path) -> None:
    try:
        info = file.stat()
    except FileNotFoundError:
        return
    if info.st_uid == os.getuid() and info.st_mode & 0o077:
        os.chmod(file, FILE_MODE)


def exports_folder() -> Path:
    """This process's private download folder: created on first use, removed when the process exits.

    It sits in the system's temporary folder because Gradio serves downloads from there; its name
    carries the process id, so a later process can tell a dead one's leftovers and remove them.
    """
    global _exports
    with _exports_lock:
        if _exports is None or not _exports.is_dir():
            _sweep_dead_folders()
            _exports = Path(tempfile.mkdtemp(prefix=f"{EXPORTS_PREFIX}{os.getpid()}-"))  # mkdtemp: 0700
            atexit.register(shutil.rmtree, _exports, True)
        sweep_stale(_exports)
        return _exports


def sweep_stale(folder: Path, max_age: float = STALE_SECONDS) -> None:
    """Remove exports older than `max_age` seconds: nothing lies about longer than it is needed."""
    cutoff = time.time() - max_age
    for item in folder.glob("**/*"):
        with contextlib.suppress(OSError):
            if item.is_file() and item.stat().st_mtime < cutoff:
                item.unlink()


def _sweep_dead_folders() -> None:
    """Remove export folders left by processes of this user that are no longer running."""
    for folder in Path(tempfile.gettempdir()).glob(f"{EXPORTS_PREFIX}*"):
        pid_text = folder.name.removeprefix(EXPORTS_PREFIX).split("-", 1)[0]
        with contextlib.suppress(OSError, ValueError):
            if folder.stat().st_uid == os.getuid() and not _alive(int(pid_text)):
                shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
