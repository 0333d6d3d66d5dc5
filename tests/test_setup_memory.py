"""What Setup keeps in the visitor's browser: the last job, named profiles, coaching and the engine.

The value comes back from the browser's localStorage, so these tests hand `read_memory` what a
browser could hold after an old version, an edit by hand, or a full disk, and check it never fails
and never keeps an API key.
"""

from __future__ import annotations

import json

import pytest

from simulator.models import Session
from simulator.setup_memory import (
    MAX_PROFILES,
    PROFILE,
    SESSION,
    ProfileError,
    RememberedJob,
    SetupMemory,
    delete_profile,
    job_choices,
    profile_job,
    read_memory,
    save_profile,
    session_job,
)
from simulator.store import Store

ANALYST = RememberedJob(
    title="Data Analyst",
    company="Tallow & Finch",
    level="Mid",
    description="Own the weekly revenue dashboard; SQL and dbt; work with the growth team.",
    research_notes="Moved to BigQuery in 2024.",
)


def test_a_memory_goes_to_the_browser_and_back_unchanged() -> None:
    memory = save_profile(SetupMemory(job=ANALYST, coaching=True), "Tallow analyst", ANALYST)
    raw = json.loads(json.dumps(memory.for_browser()))  # what localStorage keeps is JSON
    assert read_memory(raw) == memory


@pytest.mark.parametrize(
    "raw",
    [None, "text", 12, [], {"version": 99}, {"job": "not a job"}, {"profiles": ["a", "b"]}],
)
def test_anything_else_the_browser_hands_back_is_an_empty_memory_not_an_error(raw: object) -> None:
    memory = read_memory(raw)
    assert memory.job is None and memory.profiles == {} and memory.coaching is False


def test_a_bad_part_loses_only_itself() -> None:
    raw = {
        "job": ANALYST.model_dump(),
        "coaching": "very",  # not a bool
        "profiles": {"good": ANALYST.model_dump(), "bad": {"title": 5}, "": ANALYST.model_dump()},
        "engine": {"engine": "openai", "timeout": "soon"},
    }
    memory = read_memory(raw)
    assert memory.job == ANALYST
    assert memory.coaching is False
    assert list(memory.profiles) == ["good"]
    assert memory.engine is None


def test_an_api_key_in_the_browser_value_is_never_kept() -> None:
    key = "sk-test-visitor-key-123456"
    raw = {
        "job": {**ANALYST.model_dump(), "api_key": key},
        "engine": {"engine": "openai", "model": "m", "base_url": "http://127.0.0.1:9/v1", "api_key": key},
        "api_key": key,
    }
    assert key not in json.dumps(read_memory(raw).for_browser())
    assert read_memory(raw).engine is not None  # the rest of the engine choice is kept


def test_oversized_fields_are_not_kept() -> None:
    raw = {"job": {**ANALYST.model_dump(), "description": "x" * 300_000}}
    assert read_memory(raw).job is None


def test_profiles_are_saved_replaced_picked_and_deleted() -> None:
    memory = save_profile(SetupMemory(), "  Tallow   analyst ", ANALYST)
    assert list(memory.profiles) == ["Tallow analyst"]  # spaces tidied
    other = ANALYST.model_copy(update={"level": "Senior"})
    memory = save_profile(memory, "Tallow analyst", other)
    assert profile_job(memory, PROFILE + "Tallow analyst").level == "Senior"
    memory = delete_profile(memory, "Tallow analyst")
    assert memory.profiles == {}
    with pytest.raises(ProfileError, match="no profile named"):
        profile_job(memory, PROFILE + "Tallow analyst")


@pytest.mark.parametrize(
    ("name", "job", "message"),
    [
        ("", ANALYST, "Name the profile first"),
        ("x" * 61, ANALYST, "at most 60 characters"),
        ("Empty", RememberedJob(), "nothing to save"),
    ],
)
def test_a_profile_that_cannot_be_saved_says_why_in_one_line(
    name: str, job: RememberedJob, message: str
) -> None:
    with pytest.raises(ProfileError, match=message):
        save_profile(SetupMemory(), name, job)


def test_profiles_are_capped_but_one_can_still_be_replaced() -> None:
    memory = SetupMemory()
    for number in range(MAX_PROFILES):
        memory = save_profile(memory, f"job {number}", ANALYST)
    with pytest.raises(ProfileError, match="delete one first"):
        save_profile(memory, "one more", ANALYST)
    assert len(save_profile(memory, "job 3", ANALYST).profiles) == MAX_PROFILES


def test_an_earlier_sessions_job_can_be_picked_once_per_job(sample_session: Session) -> None:
    with Store() as store:
        store.create(sample_session, {})
        again = sample_session.model_copy(update={"id": sample_session.id + "b"})
        store.create(again, {})
        memory = save_profile(SetupMemory(), "Mine", ANALYST)
        choices = job_choices(memory, store.list())
        assert choices[0] == ("Profile: Mine", PROFILE + "Mine")
        sessions = [value for _, value in choices if value.startswith(SESSION)]
        assert len(sessions) == 1  # two sessions of one job: listed once
        picked = store.load(sessions[0].removeprefix(SESSION))
    job = session_job(picked)
    assert (job.title, job.company) == (sample_session.job.title, sample_session.job.company)
    assert job.description == sample_session.job.description
    assert job.research_notes == sample_session.job.research_notes
