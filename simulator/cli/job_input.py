"""The job for `interview`: from `--job FILE` (YAML, strict) or asked for at the terminal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from simulator.catalog import CatalogError, read_file_yaml, validation_lines
from simulator.limits import MAX_SCRIPT_BYTES
from simulator.models import Job
from simulator.plain_data import PlainDataError, check_plain

Read = Callable[[str], "str | None"]


def load_job(path: Path) -> Job:
    """title, company, level, description, research_notes; one line naming the file and field otherwise."""
    data = read_file_yaml(path, MAX_SCRIPT_BYTES, "a job file")
    if not isinstance(data, dict):
        raise CatalogError([f"{path}: expected a mapping with title, company, description"])
    try:
        check_plain(data)
        return Job.model_validate(data)
    except PlainDataError as exc:
        raise CatalogError([f"{path}: {exc}"]) from None
    except ValidationError as exc:
        lines = validation_lines(path, exc, data)
        # A misspelt key is also a missing one: name the misspelling first, it is what to fix.
        raise CatalogError(sorted(lines, key=lambda line: not line.endswith("unknown field"))) from None


def _block(read: Read, prompt: str) -> str | None:
    """Lines until an empty one (a pasted job description has many)."""
    lines: list[str] = []
    while True:
        line = read(prompt if not lines else "... ")
        if line is None:
            return None if not lines else "\n".join(lines)
        if not line.strip():
            return "\n".join(lines)
        lines.append(line)


def ask_job(read: Read, example: Job) -> Job | None:
    """The job, asked field by field; Enter at the title practises with the example. None at end of input."""
    title = read(f"Job title (Enter for the example: {example.title} at {example.company})> ")
    if title is None:
        return None
    if not title.strip():
        return example
    company = ""
    while not company.strip():
        line = read("Company> ")
        if line is None:
            return None
        company = line
    level = read("Level (optional)> ")
    description = ""
    while not description.strip():
        block = _block(read, "Job description (paste it; an empty line ends it)> ")
        if block is None:
            return None
        description = block
    notes = _block(read, "Research notes on the company (optional; an empty line ends them)> ")
    return Job(
        title=title.strip(),
        company=company.strip(),
        level=(level or "").strip(),
        description=description.strip(),
        research_notes=(notes or "").strip(),
    )
