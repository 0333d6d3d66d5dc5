"""The job's skills, read from its description, to fill `{skill}` in interview questions."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from simulator.models import Job

DATA = Path(__file__).parent / "data" / "skills.yaml"
MAX_SKILLS = 8


@cache
def _entries() -> list[tuple[re.Pattern[str], str, bool]]:
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))["skills"]
    out = []
    for entry in raw:
        alternatives = "|".join(entry["match"])
        pattern = re.compile(rf"(?<![\w+#/])(?:{alternatives})(?![\w+#])", re.IGNORECASE)
        out.append((pattern, entry["as"], bool(entry.get("tool", False))))
    return out


def _lexicon() -> list[tuple[re.Pattern[str], str]]:
    return [(pattern, spoken) for pattern, spoken, _ in _entries()]


def job_skills(job: Job) -> list[str]:
    """Known skills in the order the description first mentions them; the title's field if none."""
    text = f"{job.description}\n{job.research_notes}"
    found: list[tuple[int, str]] = []
    for pattern, spoken in _lexicon():
        # "go" is also an English verb: only count it when written like a language name.
        match = re.search(r"\b(?:Go|Golang|golang)\b", text) if spoken == "Go" else pattern.search(text)
        if match and spoken not in (s for _, s in found):
            found.append((match.start(), spoken))
    skills = [s for _, s in sorted(found)][:MAX_SKILLS]
    return skills or [f"the core work of a {job.title}"]


def tools_named(text: str) -> list[str]:
    """Every named product or technology in the text (`tool: true`), as spoken."""
    found = []
    for pattern, spoken, tool in _entries():
        if not tool:
            continue
        match = re.search(r"\b(?:Go|Golang|golang)\b", text) if spoken == "Go" else pattern.search(text)
        if match and spoken not in found:
            found.append(spoken)
    return found
