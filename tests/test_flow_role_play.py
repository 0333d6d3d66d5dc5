"""A role-play goes on in role: when an interviewer sets one up ("I run a team that depends on yours
and I'm frustrated... Over to you."), their next line answers the candidate as that character, not
with an interview question; then they step out of the role before moving on. Driven through the
Python API with the offline engine, and with an LLM engine whose prompts are checked."""

from __future__ import annotations

import pytest

from simulator.catalog import ROOT
from simulator.engines.openai_engine import OpenAIEngine
from simulator.models import Plan, Session, Slot
from simulator.orchestrator import Interview, InterviewState
from simulator.script import load_script
from simulator.service import Toolkit
from tests.llm_fakes import Roleplay, ScriptedChatModel

EXAMPLE = ROOT / "examples" / "backend_engineer.yaml"
ROLE_PLAYS = {"cross_functional": "xf_case_frustrated_partner", "skip_level": "sl_pressure_devils_advocate"}
STORY = (
    "In 2023 I owned our billing export at Quillstone. I rewrote the slow query, I added an index and I "
    "tested it against a month of invoices; the nightly run went from 3 hours to 20 minutes."
)
IN_ROLE = (
    "I'm sorry, that's on us, and I understand your people are taking the heat. Here is what I can do: "
    "I'll share a revised date by Friday with the risks spelled out, and I'll send your team weekly updates."
)


def slot(kit: Toolkit, persona_id: str, seed: int, pressure: str, engine: object = None,
         asked: list[str] | None = None) -> Interview:  # fmt: skip
    job = load_script(EXAMPLE).job
    plan = Plan(slots=[Slot(persona_id=persona_id, minutes=45)], seed=seed, pressure=pressure)  # type: ignore[arg-type]
    session = Session(id="0123456789ab", created_at="2026-01-01T00:00:00+00:00", job=job, plan=plan)
    state = InterviewState(asked_question_ids=asked or [])
    interview = Interview(session, kit.personas, engine or kit.engine, state=state)  # type: ignore[arg-type]
    interview.begin()
    return interview


def role_play_slot(kit: Toolkit, persona_id: str, pressure: str, engine: object = None) -> Interview:
    """A slot late in the loop: every other question of this interviewer's bank was asked before, so
    the one left, the role-play, comes first."""
    persona = kit.personas[persona_id]
    others = [q.id for q in persona.questions if q.id != ROLE_PLAYS[persona_id]]
    others += [q.id for bank in persona.family_questions.values() for q in bank]
    interview = slot(kit, persona_id, 0, pressure, engine, asked=others)
    assert interview.session.turns[-1].question_id == ROLE_PLAYS[persona_id]
    return interview


@pytest.mark.parametrize("persona_id", sorted(ROLE_PLAYS))
@pytest.mark.parametrize("pressure", ["gentle", "tough"])
def test_the_interviewer_answers_in_role_then_steps_out(kit: Toolkit, persona_id: str, pressure: str) -> None:
    interview = role_play_slot(kit, persona_id, pressure)
    bank = {q.id: q for q in kit.personas[persona_id].questions}
    role_play = bank[ROLE_PLAYS[persona_id]].role_play
    assert role_play is not None
    in_role_turns = max(1, {"gentle": 1, "tough": 2}[pressure])
    heard = []
    for _ in range(in_role_turns):
        reply = [t for t in interview.answer(IN_ROLE) if t.speaker != "candidate"]
        assert [t.kind for t in reply] == ["follow_up"], [(t.kind, t.text) for t in reply]
        assert reply[0].follow_up_reason == "role_play"
        assert reply[0].text in role_play.replies  # the character speaking, not an interview question
        heard.append(reply[0].text)
    assert len(set(heard)) == len(heard), "the character does not repeat itself"
    after = [t for t in interview.answer(IN_ROLE) if t.speaker != "candidate"]
    assert after[0].kind in ("question", "invite_questions"), [(t.kind, t.text) for t in after]
    assert any(after[0].text.startswith(line) for line in role_play.step_out), after[0].text


def test_an_ordinary_question_gets_no_role_play_follow_up(kit: Toolkit) -> None:
    interview = slot(kit, "cross_functional", seed=0, pressure="tough")
    for _ in range(6):
        question = next(t for t in reversed(interview.session.turns) if t.kind == "question")
        turns = interview.answer(STORY)
        if question.question_id not in ROLE_PLAYS.values():
            assert not [t for t in turns if t.follow_up_reason == "role_play"]
        if interview.awaiting().kind != "answer":
            break


def test_the_llm_interviewer_is_told_to_stay_in_character(kit: Toolkit) -> None:
    model = ScriptedChatModel(responder=Roleplay())
    engine = OpenAIEngine(model, kit.rubrics)
    engine.advisory_override = True  # the rules grade: the flow must not depend on the scripted judge
    interview = role_play_slot(kit, "cross_functional", "realistic", engine)
    turns = interview.answer(IN_ROLE)
    follow_up = next(t for t in turns if t.kind == "follow_up")
    assert follow_up.follow_up_reason == "role_play" and follow_up.note is None  # the model spoke
    prompt = str(model.calls[-1][-1].content)
    assert "stay in the character" in prompt
    assert "partner team whose promised delivery has slipped" in prompt
