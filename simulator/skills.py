"""The job's skills and role family, read from its title and description: `{skill}` in interview
questions, and which role-specific question bank the interviewers draw on."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml
from pydantic import Field

from simulator.models import Job, RoleFamily, Strict

DATA = Path(__file__).parent / "data" / "skills.yaml"
FAMILIES = Path(__file__).parent / "data" / "role_families.yaml"
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


class FamilyCues(Strict):
    title: list[str] = Field(min_length=1)
    description: list[str] = Field(min_length=1)


class FamilyFile(Strict):
    title_weight: int = Field(ge=1)
    min_score: int = Field(ge=1)
    families: dict[RoleFamily, FamilyCues]


@cache
def _families() -> FamilyFile:
    return FamilyFile.model_validate(yaml.safe_load(FAMILIES.read_text(encoding="utf-8")))


def _count(text: str, phrases: list[str]) -> int:
    low = text.lower()
    return sum(1 for p in phrases if re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", low))


@cache
def _family_of(title: str, description: str) -> RoleFamily | None:
    spec = _families()
    scores = {
        name: spec.title_weight * _count(title, cues.title) + _count(description, cues.description)
        for name, cues in spec.families.items()
    }
    best = max(scores, key=lambda name: scores[name])  # the file's order breaks ties
    return best if scores[best] >= spec.min_score else None


def job_family(job: Job) -> RoleFamily | None:
    """The role family the job's title and description point to, or None when none is clear."""
    return _family_of(job.title, job.description)
