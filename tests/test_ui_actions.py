"""What the page's buttons do, without a browser: the same calls the handlers make."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator.store import Store
from simulator.ui.actions import (
    MAX_ANSWER_WORDS,
    ActionError,
    PageContext,
    SetupForm,
    build_setup,
    check_note,
    current,
    delete_session,
    end_interviewer,
    end_loop,
    example_form,
    export_files,
    import_session,
    list_sessions,
    load,
    move_on,
    regrade_session,
    round_one_summary,
    score_history,
    send,
    start_session,
)

ANSWER = (
    "At Harbourline I led the partitioning of our events table in 2023. I wrote the plan, rewrote the "
    "hottest queries myself, and p95 latency fell by 30%, to about 560 milliseconds."
)


@pytest.fixture
def ctx(roundtwo_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PageContext]:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):  # no real LLM in a test
        monkeypatch.delenv(name, raising=False)
    with Store() as store:
        yield PageContext(store=store)


def _form(ctx: PageContext, **changes: object) -> SetupForm:
    form = example_form(ctx.personas)
    for slot in form.slots:
        slot.minutes = 10
    for key, value in changes.items():
        setattr(form, key, value)
    return form


def test_the_example_job_is_ready_to_start(ctx: PageContext) -> None:
    form = example_form(ctx.personas)
    assert form.title and form.company and form.description
    assert [s.persona_id for s in form.slots if s.included][:4] == [
        "hiring_manager",
        "team_member",
        "skip_level",
        "cross_functional",
    ]
    assert round_one_summary(form, ctx.store).startswith("Round one: ")
    step = start_session(ctx, form)
    assert step.awaiting.kind == "answer"
    assert (step.awaiting.slot_number, step.awaiting.slot_count) == (1, 4)
    assert step.session.turns[0].kind == "intro"


def test_order_minutes_and_choice_of_interviewers_make_the_plan(ctx: PageContext) -> None:
    form = _form(ctx)
    by_id = {s.persona_id: s for s in form.slots}
    by_id["skip_level"].included = False
    by_id["cross_functional"].order = 0
    by_id["team_member"].minutes = 7
    setup = build_setup(form, ctx.personas, ctx.store)
    assert [(s.persona_id, s.minutes) for s in setup.plan.slots] == [
        ("cross_functional", 10),
        ("hiring_manager", 10),
        ("team_member", 7),
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Job title is empty"),
        ({"description": "x" * 210_000}, "The job description is 210 KB; the limit is 200 KB"),
        ({"round_one_text": "y" * 210_000}, "The pasted round-one record is 210 KB"),
        ({"seed": "seven"}, "Seed: 'seven' is not a whole number"),
        ({"engine": "openai"}, "engine 'openai'"),
    ],
)
def test_setup_mistakes_are_one_line(ctx: PageContext, changes: dict[str, object], message: str) -> None:
    with pytest.raises(ActionError) as info:
        start_session(ctx, _form(ctx, **changes))
    assert message in str(info.value)
    assert "\n" not in str(info.value)
    assert list_sessions(ctx) == []


def test_no_interviewer_or_bad_minutes(ctx: PageContext) -> None:
    form = _form(ctx)
    for slot in form.slots:
        slot.included = False
    with pytest.raises(ActionError, match="Choose at least one interviewer"):
        build_setup(form, ctx.personas, ctx.store)
    form = _form(ctx)
    form.slots[0].minutes = 500
    with pytest.raises(ActionError, match="minutes must be between 3 and 120"):
        build_setup(form, ctx.personas, ctx.store)


def test_an_earlier_session_and_an_upload_feed_round_one(ctx: PageContext, tmp_path: Path) -> None:
    first = start_session(ctx, _form(ctx))
    send(ctx, first.session.id, ANSWER)
    upload = tmp_path / "upload-123"
    upload.write_text("Q: Why us?\nA: The billing problems are hard.", encoding="utf-8")
    form = _form(
        ctx,
        round_one_text="",
        round_one_session=first.session.id,
        round_one_file=str(upload),
        round_one_file_name="notes.md",
    )
    setup = build_setup(form, ctx.personas, ctx.store)
    answers = [qa.answer for qa in setup.round_one.answers]
    assert answers == ["The billing problems are hard.", ANSWER]
    bad = _form(ctx, round_one_file=str(upload), round_one_file_name="notes.pdf")
    assert "unsupported file type '.pdf'" in round_one_summary(bad, ctx.store)


def test_answers_are_graded_and_the_clock_runs(ctx: PageContext) -> None:
    step = start_session(ctx, _form(ctx))
    before = step.awaiting.slot_minute
    step = send(ctx, step.session.id, ANSWER)
    answer = next(t for t in step.session.turns if t.kind == "answer")
    assert answer.grade is not None and answer.grade.status in ("graded", "ungradable")
    assert step.awaiting.slot_minute > before
    assert step.session.turns[-1].speaker == "hiring_manager"


def test_limits_and_empty_answers_are_messages(ctx: PageContext) -> None:
    step = start_session(ctx, _form(ctx))
    with pytest.raises(ActionError, match=r"2,600 words and 13,000 characters; the limit is 2,500 words"):
        send(ctx, step.session.id, "word " * 2_600)
    # Text with no spaces is one "word": the character limit still holds it.
    with pytest.raises(
        ActionError, match=r"1 words and 30,000 characters; the limit is .* 20,000 characters"
    ):
        send(ctx, step.session.id, "x" * 30_000)
    with pytest.raises(ActionError, match="Type an answer first"):
        send(ctx, step.session.id, "   ")
    assert MAX_ANSWER_WORDS == 2_500
    assert load(ctx, step.session.id).turns == step.session.turns  # nothing was recorded


def test_every_action_resumes_from_the_store(ctx: PageContext) -> None:
    """The page keeps only the id: each action reloads the session, as after a reload or a restart."""
    step = start_session(ctx, _form(ctx))
    session_id = step.session.id
    step = send(ctx, session_id, ANSWER)
    resumed = current(ctx, session_id)
    assert resumed.session.turns == step.session.turns
    assert resumed.awaiting == step.awaiting
    step = move_on(ctx, session_id)
    assert any(t.kind == "pass" for t in step.session.turns)
    step = end_interviewer(ctx, session_id)
    assert step.awaiting.slot_number == 2
    step = end_loop(ctx, session_id)
    assert step.awaiting.kind == "nothing"
    saved = load(ctx, session_id)
    assert saved.status == "ended_early" and saved.debrief
    with pytest.raises(ActionError, match="This interview is over"):
        send(ctx, session_id, ANSWER)
    with pytest.raises(ActionError, match="No interview is running"):
        send(ctx, "", ANSWER)


def test_a_finished_session_exports_regrades_and_deletes(ctx: PageContext) -> None:
    step = start_session(ctx, _form(ctx))
    session_id = step.session.id
    send(ctx, session_id, ANSWER)
    end_loop(ctx, session_id)

    md, js = export_files(ctx, session_id)
    assert "Senior Backend Engineer" in md.read_text(encoding="utf-8")
    assert json.loads(js.read_text(encoding="utf-8"))["session"]["id"] == session_id

    history = score_history(ctx)  # one interviewer of four, then the end: not charted beside full rounds
    assert history.rows == []
    left_out = "Left out, as not comparable: session 1 (ended after 1 of 4 interviewers)."
    assert history.early_end_line() == left_out

    changes = regrade_session(ctx, session_id)
    assert [c.turn_index for c in changes] == [
        t.index for t in load(ctx, session_id).turns if t.kind == "answer"
    ]
    regraded = next(t for t in load(ctx, session_id).turns if t.kind == "answer")
    assert len(regraded.regrades) == 1 and regraded.grade is not None  # beside the old grade, not over it

    [summary] = list_sessions(ctx, "Quillstone")
    assert summary.id == session_id and summary.verdict is not None
    delete_session(ctx, session_id)
    assert list_sessions(ctx) == []
    with pytest.raises(ActionError, match="no session"):
        delete_session(ctx, session_id)


def test_import_accepts_an_export_and_refuses_anything_else(ctx: PageContext, tmp_path: Path) -> None:
    step = start_session(ctx, _form(ctx))
    end_loop(ctx, step.session.id)
    _, exported = export_files(ctx, step.session.id)
    new_id = import_session(ctx, str(exported), "mine.json")
    assert new_id != step.session.id  # the id was taken, so the copy gets a fresh one
    assert load(ctx, new_id).job == load(ctx, step.session.id).job

    junk = tmp_path / "junk.json"
    junk.write_bytes(b"\xff\xfe not json")
    with pytest.raises(ActionError, match=r"junk\.json: not UTF-8 text"):
        import_session(ctx, str(junk), "junk.json")
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(ActionError, match=r"wrong\.json: format: not a Round Two session export"):
        import_session(ctx, str(wrong), "wrong.json")


SPECIFIC_NOTE = (
    "Hi Renata,\n\nThank you for taking the time to talk with me about the role. I enjoyed walking you "
    "through the partitioning of our events table, and your follow-up on which part of it was mine to own "
    "made me think harder about how I rewrote the hottest queries. I am still very interested in the role "
    "and would be glad to follow up on anything that helps.\n\nBest regards,\nSam"
)
GENERIC_NOTE = (
    "Hi Renata,\n\nThank you for your time today. It was great to meet you and learn more about the team "
    "and the company. I am still very interested in the role and look forward to hearing about next steps."
    "\n\nBest regards,\nSam"
)


def _thank_you_item(ctx: PageContext, session_id: str) -> tuple[str, list[str]]:
    item = next(c for c in load(ctx, session_id).checklist if c.id == "thank_you_follow_up")
    return item.status, item.evidence


def test_a_thank_you_note_is_checked_and_counts_on_the_checklist(ctx: PageContext) -> None:
    step = start_session(ctx, _form(ctx))
    session_id = step.session.id
    send(ctx, session_id, ANSWER)  # Renata Okafor, the hiring manager, hears the partitioning story
    end_loop(ctx, session_id)
    assert _thank_you_item(ctx, session_id)[0] == "not_applicable"

    generic = check_note(ctx, session_id, "hiring_manager", GENERIC_NOTE, None)
    assert "specific" in [c.id for c in generic.check.failed]
    assert [c.id for c in generic.check.not_checked] == ["timely"]  # no hours given
    status, evidence = _thank_you_item(ctx, session_id)
    assert status == "fail" and "too generic" in " ".join(evidence)
    assert [c.status for c in generic.session.checklist if c.id == "thank_you_follow_up"] == ["fail"]

    specific = check_note(ctx, session_id, "hiring_manager", SPECIFIC_NOTE, 5)
    assert specific.check.ok, specific.check.failed
    reason = next(c.reason for c in specific.check.passed if c.id == "specific")
    assert "hottest" in reason and "rewrote" in reason  # words from the answer Renata heard
    assert "timely" in [c.id for c in specific.check.passed]
    status, evidence = _thank_you_item(ctx, session_id)
    assert status == "pass" and evidence[0].startswith("Note to Renata Okafor: fine")


@pytest.mark.parametrize(
    ("persona_id", "note", "hours", "message"),
    [
        ("hiring_manager", "   ", None, "The note is empty."),
        ("nobody", GENERIC_NOTE, None, "'nobody' was not on this panel"),
        (None, GENERIC_NOTE, None, "Choose the interviewer the note is to."),
        ("hiring_manager", "thanks " * 30_000, None, "The note is 210 KB; the limit is 200 KB"),
        ("hiring_manager", GENERIC_NOTE, -2, "cannot be negative"),
    ],
)
def test_note_mistakes_are_one_line_and_change_nothing(
    ctx: PageContext, persona_id: str | None, note: str, hours: float | None, message: str
) -> None:
    step = start_session(ctx, _form(ctx))
    end_loop(ctx, step.session.id)
    with pytest.raises(ActionError) as info:
        check_note(ctx, step.session.id, persona_id, note, hours)
    assert message in str(info.value) and "\n" not in str(info.value)
    assert _thank_you_item(ctx, step.session.id)[0] == "not_applicable"
    with pytest.raises(ActionError, match="before checking a note"):
        check_note(ctx, "", "hiring_manager", GENERIC_NOTE, None)
