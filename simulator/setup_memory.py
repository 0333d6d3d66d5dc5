"""What the Setup tab remembers in the visitor's own browser: the last job typed, named job
profiles, coaching mode and the engine choice.

Never an API key: no model here has a field for one, and anything else the browser hands back is
dropped. The value lives in the visitor's localStorage (gr.BrowserState), so it is theirs to edit or
lose: reading it never fails (what does not fit is forgotten, not reported), and every field is
capped so one value cannot fill the storage.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from simulator.models import Session
from simulator.store import SessionSummary

MAX_PROFILES = 20
MAX_PROFILE_NAME = 60
MAX_LINE_CHARS = 300  # title, company, level
MAX_TEXT_CHARS = 200_000  # description, research notes: the page's own field limit
PROFILE = "profile:"  # a job choice's value: a profile's name or a session's id after its prefix
SESSION = "session:"


class ProfileError(ValueError):
    """A profile cannot be saved or found; the message is one line for the page."""


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore")  # an old or edited value keeps what still fits


class RememberedJob(_Lenient):
    title: str = Field("", max_length=MAX_LINE_CHARS)
    company: str = Field("", max_length=MAX_LINE_CHARS)
    level: str = Field("", max_length=MAX_LINE_CHARS)
    description: str = Field("", max_length=MAX_TEXT_CHARS)
    research_notes: str = Field("", max_length=MAX_TEXT_CHARS)

    def is_empty(self) -> bool:
        return not any(v.strip() for v in self.model_dump().values())

    def label(self) -> str:
        title, company = self.title.strip() or "untitled job", self.company.strip()
        return f"{title} at {company}" if company else title


class EngineChoice(_Lenient):
    """The engine fields of Setup, without the key (typed again each visit, never kept)."""

    engine: str = Field("offline", max_length=40)
    model: str = Field("", max_length=MAX_LINE_CHARS)
    base_url: str = Field("", max_length=MAX_LINE_CHARS)
    timeout: float | None = None


class SetupMemory(_Lenient):
    version: Literal[1] = 1
    job: RememberedJob | None = None
    profiles: dict[str, RememberedJob] = Field(default_factory=dict)  # by name, oldest first
    coaching: bool = False
    engine: EngineChoice | None = None

    @field_validator("profiles")
    @classmethod
    def _few_named(cls, profiles: dict[str, RememberedJob]) -> dict[str, RememberedJob]:
        named = [(k, v) for k, v in profiles.items() if 0 < len(k.strip()) <= MAX_PROFILE_NAME]
        return dict(named[:MAX_PROFILES])

    def for_browser(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def read_memory(raw: object) -> SetupMemory:
    """Whatever the browser handed back, as a memory: each part that does not fit is left out."""
    if not isinstance(raw, dict):
        return SetupMemory()
    try:
        return SetupMemory.model_validate(raw)
    except ValidationError:
        pass
    kept: dict[str, Any] = {}
    for name in ("job", "coaching", "engine"):
        try:
            kept[name] = getattr(SetupMemory.model_validate({name: raw.get(name)}), name)
        except ValidationError:
            continue
    profiles = raw.get("profiles")
    if isinstance(profiles, dict):  # each profile on its own: one bad entry loses only itself
        kept["profiles"] = {}
        for name, job in profiles.items():
            try:
                kept["profiles"][str(name)] = RememberedJob.model_validate(job)
            except ValidationError:
                continue
    return SetupMemory(**kept)


def save_profile(memory: SetupMemory, name: str, job: RememberedJob) -> SetupMemory:
    """The memory with `job` saved under `name` (replacing a profile of that name)."""
    name = " ".join(name.split())
    if not name:
        raise ProfileError("Name the profile first (for example the company and role).")
    if len(name) > MAX_PROFILE_NAME:
        raise ProfileError(f"A profile name is at most {MAX_PROFILE_NAME} characters.")
    if job.is_empty():
        raise ProfileError("The job fields are empty: there is nothing to save.")
    if name not in memory.profiles and len(memory.profiles) >= MAX_PROFILES:
        raise ProfileError(f"You have {MAX_PROFILES} profiles, the most kept: delete one first.")
    profiles = {k: v for k, v in memory.profiles.items() if k != name}
    profiles[name] = job
    return memory.model_copy(update={"profiles": profiles})


def delete_profile(memory: SetupMemory, name: str) -> SetupMemory:
    if name not in memory.profiles:
        raise ProfileError(f"There is no profile named {name!r}.")
    return memory.model_copy(update={"profiles": {k: v for k, v in memory.profiles.items() if k != name}})


def job_choices(memory: SetupMemory, sessions: list[SessionSummary]) -> list[tuple[str, str]]:
    """The "reuse a job" picker: saved profiles, then earlier sessions' jobs (newest first, each job
    once)."""
    choices = [(f"Profile: {name}", PROFILE + name) for name in memory.profiles]
    seen: set[tuple[str, str]] = set()
    for summary in sessions:
        job = (summary.job_title.strip(), summary.company.strip())
        if job in seen:
            continue
        seen.add(job)
        day = summary.created_at[:10]
        choices.append((f"Session {day}: {job[0]} at {job[1]}", SESSION + summary.id))
    return choices


def profile_job(memory: SetupMemory, choice: str) -> RememberedJob:
    name = choice.removeprefix(PROFILE)
    if name not in memory.profiles:
        raise ProfileError(f"There is no profile named {name!r}.")
    return memory.profiles[name]


def session_job(session: Session) -> RememberedJob:
    """An earlier session's job, to start a new round on it (round one is chosen apart)."""
    job = session.job
    return RememberedJob(  # an imported session may hold more than a field keeps: cut, not refused
        title=job.title[:MAX_LINE_CHARS],
        company=job.company[:MAX_LINE_CHARS],
        level=job.level[:MAX_LINE_CHARS],
        description=job.description[:MAX_TEXT_CHARS],
        research_notes=job.research_notes[:MAX_TEXT_CHARS],
    )
