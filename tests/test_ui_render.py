"""The page's HTML: every piece of candidate or imported text is escaped, and nothing is lost."""

from __future__ import annotations

import pytest

from simulator.catalog import load_personas
from simulator.grading.thank_you import ThankYouCheck, ThankYouCriterion
from simulator.models import (
    QA,
    AnswerGrade,
    ChecklistItem,
    Consistency,
    Finding,
    GraderInfo,
    Job,
    Plan,
    RoundOne,
    Scorecard,
    Session,
    Slot,
    StarComponent,
    Turn,
    Verdict,
)
from simulator.ui.render import (
    answers_html,
    chat_history,
    checklist_html,
    consistency_html,
    debrief_html,
    inert,
    replay_html,
    scorecards_html,
    session_heading,
    star_by_interviewer,
    star_chart_html,
    status_line,
    thank_you_check_html,
)

HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'


PERSONAS = load_personas()
MANAGER = PERSONAS["hiring_manager"]
PEER = PERSONAS["team_member"]


def _grade(overall: int = 4) -> AnswerGrade:
    return AnswerGrade(
        status="graded",
        overall=overall,
        structure=0.75,
        star={
            "situation": StarComponent(score=1.0, evidence=["In 2022 " + HOSTILE]),
            "task": StarComponent(score=0.5),
            "action": StarComponent(score=0.8, evidence=["I designed the plan"]),
            "result": StarComponent(score=0.0),
        },
        consistency=Consistency(
            findings=[
                Finding(
                    kind="contradiction",
                    category="team_size",
                    round_two_quote="a team of 12",
                    round_one_quote="a team of 5",
                    explanation="The team grew between rounds.",
                )
            ]
        ),
        flags=["no_result"],
        feedback=["Say what changed: " + HOSTILE],
        outline=["Situation: the billing migration."],
        grader=GraderInfo(engine="offline", rubric_version="star@1"),
    )


def _turn(
    index: int, speaker: str, kind: str, text: str, persona: str = "hiring_manager", **extra: object
) -> Turn:
    return Turn(
        index=index,
        speaker=speaker,
        persona_id=persona,
        kind=kind,
        text=text,
        at_minute=float(index),
        slot_minute=float(index),
        duration=1.0,
        **extra,
    )


def _session() -> Session:
    return Session(
        id="sess0001",
        created_at="2025-03-01T10:00:00+00:00",
        status="complete",
        job=Job(title="Backend <b>Engineer</b>", company="Quill & Stone", description="Build billing."),
        round_one=RoundOne(answers=[QA(question="Team?", answer="a team of 5")]),
        plan=Plan(
            slots=[Slot(persona_id="hiring_manager", minutes=30), Slot(persona_id="team_member", minutes=30)]
        ),
        turns=[
            _turn(0, "hiring_manager", "intro", "Hello, I'm Dana."),
            _turn(1, "hiring_manager", "question", "Tell me about a migration."),
            _turn(2, "candidate", "answer", "We had a team of 12.\n" + HOSTILE, reply_to=1, grade=_grade()),
            _turn(
                3,
                "hiring_manager",
                "handoff",
                "Sam is next.",
            ),
            _turn(4, "team_member", "intro", "Hi, Sam here.", persona="team_member"),
        ],
        scorecards=[
            Scorecard(
                persona_id="hiring_manager",
                dimensions={"job_skills": 0.6, "culture_fit": None},
                score=3.4,
                graded=1,
            )
        ],
        debrief=[
            Verdict(
                persona_id="hiring_manager",
                verdict="lean_no",
                reasons=["Said " + HOSTILE],
                objection="No result.",
            )
        ],
        checklist=[
            ChecklistItem(
                id="consistent",
                title="Consistent with round one",
                status="fail",
                evidence=["team of 12 vs 5"],
                advice="Check your numbers.",
            )
        ],
    )


def _rendered_pieces(session: Session) -> list[str]:
    chat = [m["content"] for m in chat_history(session, PERSONAS, coaching=True)]
    return [
        *chat,
        session_heading(session, "lean_no"),
        scorecards_html(session, PERSONAS),
        star_chart_html(session, PERSONAS),
        debrief_html(session, PERSONAS),
        consistency_html(session, PERSONAS),
        checklist_html(session),
        answers_html(session, PERSONAS),
        *(replay_html(session, i, PERSONAS) for i in range(len(session.turns))),
    ]


def test_no_candidate_text_reaches_the_page_as_markup() -> None:
    for piece in _rendered_pieces(_session()):
        assert "<script" not in piece
        assert "<img" not in piece
        assert "<b>Engineer" not in piece


def test_hostile_text_is_still_shown_as_text() -> None:
    chat = chat_history(_session(), PERSONAS, coaching=False)
    answer = next(m for m in chat if m["role"] == "user")
    assert inert(HOSTILE) in answer["content"]
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in answer["content"]
    assert "We had a team of 12.<br>" in answer["content"]


def test_chat_names_each_interviewer_and_marks_the_hand_off() -> None:
    chat = chat_history(_session(), PERSONAS)
    contents = [m["content"] for m in chat]
    assert MANAGER.name in contents[0] and MANAGER.title in contents[0]
    assert f">{MANAGER.initials()}<" in contents[0]
    assert any(f"Interviewer 2 of 2: {PEER.name}, {PEER.title} joins" in c for c in contents)
    assert PEER.name in contents[-1] and f">{PEER.initials()}<" in contents[-1]


def test_grades_stay_hidden_during_the_round_unless_coaching() -> None:
    quiet = next(m for m in chat_history(_session(), PERSONAS) if m["role"] == "user")["content"]
    assert "graded" not in quiet and "rt-badge" not in quiet
    assert "Say what changed" not in quiet
    coached = next(m for m in chat_history(_session(), PERSONAS, coaching=True) if m["role"] == "user")[
        "content"
    ]
    assert "graded 4/5" in coached and "Say what changed" in coached


def test_status_line_shows_clock_and_progress() -> None:
    line = status_line(PEER, 2, 4, 12.4, 45, "answer")
    assert PEER.name in line and "12 of 45 min" in line and "interviewer 2 of 4" in line
    assert "takes your questions" in status_line(PEER, 2, 4, 40, 45, "candidate_question")
    assert "The loop is over" in status_line(None, 4, 4, 0, 0, "nothing")


def test_consistency_quotes_both_rounds_side_by_side() -> None:
    table = consistency_html(_session(), PERSONAS)
    assert "<th>Round one</th><th>Round two</th>" in table
    assert "\u201ca team of 5\u201d</td><td>\u201ca team of 12\u201d" in table
    empty = _session().model_copy(update={"round_one": RoundOne()})
    assert "No round-one record" in consistency_html(empty, PERSONAS)


def test_star_chart_averages_components_per_interviewer() -> None:
    data = star_by_interviewer(_session())
    assert data == {"hiring_manager": {"situation": 1.0, "task": 0.5, "action": 0.8, "result": 0.0}}
    chart = star_chart_html(_session(), PERSONAS)
    assert MANAGER.name in chart and 'aria-label="80%"' in chart


@pytest.mark.parametrize("position", [-5, 2, 99])
def test_replay_clamps_and_shows_the_grade_beside_an_answer(position: int) -> None:
    html_text = replay_html(_session(), position, PERSONAS)
    if position == 2:
        assert "Turn 3 of 5" in html_text
        assert "Tell me about a migration." in html_text  # the question it answers
        assert "4/5" in html_text and "no result" in html_text
    else:
        assert ("Turn 1 of 5" if position < 0 else "Turn 5 of 5") in html_text


def test_a_checked_note_lists_what_to_fix_first_with_reasons_escaped() -> None:
    check = ThankYouCheck(
        persona_id="hiring_manager",
        passed=[ThankYouCriterion(id="personal", reason="addressed to her by name")],
        failed=[ThankYouCriterion(id="specific", reason="too generic " + HOSTILE)],
        not_checked=[ThankYouCriterion(id="timely", reason="send it within 24 hours")],
    )
    page = thank_you_check_html(check, PERSONAS)
    assert "<script" not in page and "<img" not in page and inert(HOSTILE) in page
    assert f"Your note to {inert(MANAGER.name)}: 1 thing to fix." in page
    assert page.index("Specific") < page.index("Personal") < page.index("Timely")
    fine = check.model_copy(update={"failed": []})
    assert "is ready to send." in thank_you_check_html(fine, PERSONAS)


# ---------------------------------------------------------------- hostile values (issue 8)


def test_model_use_is_drawn_escaped_and_only_in_its_schema() -> None:
    from simulator.ui.render import usage_html

    session = Session.model_validate(
        {
            **_hostile_base(),
            "usage": {
                "openai": {
                    "calls": 2,
                    "models": ['<img src=x onerror="window.__xss=1">'],
                    "currency": "<b>EUR</b>",
                    "estimated_cost": 0.5,
                }
            },
        }
    )
    html = usage_html(session)
    assert "2 calls" in html and "&lt;img src=x" in html and "&lt;b&gt;EUR&lt;/b&gt;" in html
    assert "<img" not in html and "<b>" not in html
    # A value slipped in after validation (Python code assigning a dict) is left out, not drawn raw.
    session.usage = {"openai": {"calls": "<script>alert(1)</script>"}}
    assert usage_html(session) == ""


def test_model_use_says_the_context_size_the_budgets_used() -> None:
    from simulator.ui.render import usage_html

    used = {"calls": 3, "models": ["smollm2"], "currency": "USD", "estimated_cost": 0.0}
    session = Session.model_validate(
        {**_hostile_base(), "usage": {"local": {**used, "context": "8192 tokens"}}}
    )
    assert "context: 8192 tokens" in usage_html(session)
    session = Session.model_validate({**_hostile_base(), "usage": {"local": used}})
    assert "context" not in usage_html(session)


def test_notices_escape_their_kind_too() -> None:
    from simulator.ui.render import notice

    html = notice("<img src=x>", kind='x" onmouseover="alert(1)')
    assert "<img" not in html and 'onmouseover="' not in html


def _hostile_base() -> dict:
    return {
        "id": "hostile1",
        "created_at": "2025-03-01T10:00:00+00:00",
        "job": {"title": "T", "company": "C", "description": "D"},
        "plan": {"slots": [{"persona_id": "hiring_manager", "minutes": 30}]},
    }


def test_one_plain_line_for_any_error_shown_on_the_page() -> None:
    from pydantic import BaseModel

    from simulator.store import SessionNotFound
    from simulator.ui.actions import ActionError, user_line

    class Form(BaseModel):
        minutes: int

    try:
        Form.model_validate({"minutes": "<img src=x>"})
    except ValueError as exc:
        line = user_line(exc)
    assert line == "minutes: Input should be a valid integer, unable to parse string as an integer"
    assert "pydantic.dev" not in line
    path_error = FileNotFoundError(2, "No such file or directory", "/srv/roundtwo/secret/plan.yaml")
    assert user_line(path_error) == "a file could not be read or written (No such file or directory)"
    catalog_line = user_line(ActionError("/srv/app/personas/hm.yaml: line 3: <b>bad</b>\nsecond line"))
    assert catalog_line == "hm.yaml: line 3: <b>bad</b> second line"  # no server path, one line
    bug = KeyError("<img src=https://evil.example/x.png>")
    assert user_line(bug) == "something went wrong (KeyError); the server log has the details"
    assert user_line(SessionNotFound("no session 'abcd'")) == "no session 'abcd'"


def test_a_handler_error_becomes_one_escaped_toast() -> None:
    import gradio as gr

    from simulator.ui.errors import guarded

    def plan(persona_id: str) -> str:
        raise KeyError(persona_id)

    def streaming(text: str):  # type: ignore[no-untyped-def]
        yield "first"
        raise ValueError(f"/opt/roundtwo/{text}")

    with pytest.raises(gr.Error) as caught:
        guarded(plan)('<img src="https://evil.example/x.png">')
    assert caught.value.message == "something went wrong (KeyError); the server log has the details"
    updates = guarded(streaming)("<b>x</b>")
    assert next(updates) == "first"
    with pytest.raises(gr.Error) as caught:
        next(updates)
    assert "<" not in caught.value.message and "/opt" not in caught.value.message

    def refused() -> None:
        raise gr.Error("<img src=x onerror=alert(1)> at /srv/app/data.db")

    with pytest.raises(gr.Error) as caught:
        guarded(refused)()
    assert caught.value.message == "&lt;img src=x onerror=alert(1)&gt; at data.db"
