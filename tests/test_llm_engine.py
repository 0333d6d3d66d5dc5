"""The openai engine above the HTTP layer, driven by scripted fake models."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import BaseMessage, SystemMessage
from llm_fakes import (
    Responder,
    Roleplay,
    ScriptedChatModel,
    in_order,
    section,
    verdict_fields,
    verdict_message,
)
from llm_session import SCRIPT, fare_request

from simulator.catalog import load_personas, load_rubrics
from simulator.engines.base import FollowUpDetail, GradeRequest, SlotContext
from simulator.engines.openai_engine import ASKED_SHOWN, OpenAIEngine, clean_spoken
from simulator.models import Persona, Session
from simulator.script import script_setup
from simulator.service import Toolkit, play_script, start
from simulator.store import Store

RUBRICS = load_rubrics()
PERSONAS = load_personas()


def engine_with(responder: Responder, **kwargs: Any) -> tuple[OpenAIEngine, ScriptedChatModel]:
    model = ScriptedChatModel(responder=responder)
    return OpenAIEngine(model, RUBRICS, **kwargs), model


def ctx(asked: list[str] | None = None) -> SlotContext:
    return SlotContext(
        job=SCRIPT.job,
        round_one=script_setup(SCRIPT, PERSONAS, "test").round_one,
        skills=["SQL", "Python"],
        pressure="realistic",
        rng=random.Random(3),
        asked_texts=asked or [],
        colleagues=PERSONAS,
    )


def run_session(engine: OpenAIEngine, tmp_path: Path) -> Session:
    kit = Toolkit(PERSONAS, RUBRICS, engine)
    with Store(tmp_path / "sessions.db") as store:
        session = play_script(start(script_setup(SCRIPT, PERSONAS, "llm_session"), store, kit), SCRIPT)
        return store.load(session.id)


def test_a_whole_four_persona_session_runs_on_the_model(tmp_path: Path) -> None:
    play = Roleplay()
    engine, model = engine_with(play)
    session = run_session(engine, tmp_path)

    assert session.status == "complete"
    assert engine.fallbacks == []
    spoken = [t for t in session.turns if t.speaker != "candidate"]
    intros = [t for t in spoken if t.kind == "intro"]
    assert [t.text.split(".")[0] for t in intros] == [f"Hello, I'm {PERSONAS[p].name}" for p in SCRIPT.panel]
    assert {t.kind for t in spoken} >= {
        "intro",
        "question",
        "invite_questions",
        "interviewer_answer",
        "wrap_up",
        "handoff",
    }
    graded = [t.grade for t in session.turns if t.kind == "answer" and t.grade and t.grade.status == "graded"]
    assert graded and all(g.grader.engine == "openai" and g.grader.model == "scripted-model" for g in graded)
    assert all(g.grader.prompt_hash for g in graded)
    assert play.tasks.count("judge") == len(graded)  # one verdict per graded answer, nothing else judged

    # The persona is restated in every interviewer prompt, and it is the one whose slot it is.
    speaking_calls = [c for c in model.calls if "YOUR TASK NOW" in str(c[-1].content)]
    assert len(speaking_calls) == len(spoken)
    for call, turn in zip(speaking_calls, spoken, strict=True):
        assert str(call[0].content).startswith(f"You are {PERSONAS[turn.speaker].name},")

    # Every call is on record: what it was for, its template, tokens and time.
    records = engine.usage.records
    assert len(records) == len(model.calls)
    assert {r.task for r in records} >= {"introduce", "question", "judge", "wrap_up", "hand_off"}
    assert all(r.tokens_in > 100 and r.template_hash and r.outcome == "ok" for r in records)


def test_later_questions_are_told_what_the_loop_already_asked(tmp_path: Path) -> None:
    play = Roleplay()
    engine, model = engine_with(play)
    session = run_session(engine, tmp_path)
    questions = [t for t in session.turns if t.kind == "question"]
    question_prompts = [
        str(c[-1].content) for c in model.calls if "Ask your next question" in str(c[-1].content)
    ]
    last = section(question_prompts[-1], "YOUR TASK NOW").split("Already asked today")[1]
    # The question that prompt asked for is the last one that is no follow-up (a follow-up has its own prompt).
    asked = max(i for i, t in enumerate(questions) if t.follow_up_reason is None)
    shown = questions[:asked][-ASKED_SHOWN:]  # the newest ones, when the day has asked many
    assert any(t.speaker != questions[asked].speaker for t in shown)  # an earlier interviewer's among them
    for turn in shown:
        assert " ".join(turn.text.split()[:8]) in last


def test_the_orchestrators_bank_choice_is_kept_and_phrased_by_the_model() -> None:
    engine, _ = engine_with(
        in_order("Let's start with something concrete: walk me through a report you rebuilt?")
    )
    expected = engine.offline.next_question(PERSONAS["hiring_manager"], ctx())
    asked = engine.next_question(PERSONAS["hiring_manager"], ctx())
    assert asked is not None and expected is not None
    assert asked.text == "Let's start with something concrete: walk me through a report you rebuilt?"
    assert (asked.question_id, asked.category, asked.competency) == (
        expected.question_id,
        expected.category,
        expected.competency,
    )
    assert engine.take_note() is None


def test_a_model_that_repeats_an_earlier_question_is_replaced_by_the_bank() -> None:
    earlier = "Tell me about a dashboard that people relied on every day?"
    engine, _ = engine_with(in_order("Tell me about a dashboard that people relied on every day?"))
    asked = engine.next_question(PERSONAS["hiring_manager"], ctx(asked=[earlier]))
    assert asked is not None and asked.text != earlier
    assert engine.take_note() == "Offline fallback: the model repeated a question already asked."
    assert engine.take_note() is None  # handed over once


def test_a_reply_that_reads_back_the_prompt_is_refused() -> None:
    persona = PERSONAS["team_member"]
    parrot = f"You're {persona.name}, a data analyst.\nCandidate: We had a problem with late buses."
    engine, _ = engine_with(in_order(parrot))
    text = engine.invite_questions(persona, ctx())
    assert text in [line.replace("{name}", persona.name) for line in persona.invite_questions]
    assert engine.take_note() == "Offline fallback: the model repeated its instructions instead of speaking."


def test_flattery_and_name_labels_are_taken_out() -> None:
    persona = PERSONAS["team_member"]
    text = f"{persona.name}: Great answer! That's a really impressive example. What did you change next?"
    assert clean_spoken(text, persona) == "What did you change next?"
    assert clean_spoken("Thanks. What did you change next?", persona) == "Thanks. What did you change next?"


def test_follow_up_prompt_carries_the_reason_and_the_quotes() -> None:
    engine, model = engine_with(in_order("Which was it, fourteen or thirty?"))
    detail = FollowUpDetail(
        round_one_quote="\u201c14 depot managers\u201d", round_two_quote="\u201cThirty depot managers\u201d"
    )
    text = engine.follow_up(PERSONAS["hiring_manager"], ctx(), "round_one_conflict", detail)
    assert text == "Which was it, fourteen or thirty?"
    task = section(str(model.calls[0][-1].content), "YOUR TASK NOW")
    assert "does not match what they said in round one" in task
    assert (
        "In round one they said \u201c14 depot managers\u201d; "
        "today they said \u201cThirty depot managers\u201d." in task
    )


def test_answers_to_the_candidate_are_grounded_in_the_persona_file() -> None:
    persona = PERSONAS["hiring_manager"]
    engine, model = engine_with(in_order("Mostly pipeline work at first, with a mentor."))
    question = "What would my first three months look like?"
    prepared = engine.offline.answer_candidate(persona, ctx(), question)
    engine.answer_candidate(persona, ctx(), question)
    assert prepared in str(model.calls[0][-1].content)


def test_replies_stream_to_a_listener_and_the_turn_text_is_the_whole_reply() -> None:
    engine, _ = engine_with(in_order("Hello, I'm here to talk about how you work with data."))
    pieces: list[str] = []
    with engine.stream_to(pieces.append):
        text = engine.introduce(PERSONAS["skip_level"], ctx())
    assert len(pieces) > 3
    assert "".join(pieces).strip() == text
    engine.introduce(PERSONAS["skip_level"], ctx())
    assert len(pieces) > 3 and "".join(pieces).strip() == text  # outside the block nothing streams


def test_an_ungradable_answer_never_reaches_the_judge() -> None:
    engine, model = engine_with(in_order(verdict_message(**verdict_fields("I don't know.", score=5))))
    grade = engine.grade(GradeRequest(question="Tell me about a conflict.", answer="I don't know, sorry."))
    assert grade.status == "ungradable"
    assert grade.overall is None and grade.reason
    assert model.calls == []


def test_the_judge_grades_and_a_failing_judge_falls_back_to_the_rules() -> None:
    request = fare_request(script_setup(SCRIPT, PERSONAS, "t").round_one)
    engine, _ = engine_with(in_order(verdict_message(**verdict_fields(request.answer, score=5))))
    judged = engine.grade(request)
    assert (judged.status, judged.overall, judged.grader.engine) == ("graded", 5, "openai")

    def broken(messages: list[BaseMessage], tools: list[dict]) -> Exception:
        return ConnectionResetError("peer went away")

    engine, _ = engine_with(broken)
    rules = engine.offline.grade(request)
    fallback = engine.grade(request)
    assert fallback.status == "fallback"
    assert (
        fallback.reason
        == "LLM judge unavailable (could not reach the endpoint (connection refused or dropped)); "
        "graded by the offline rules"
    )
    assert fallback.overall == rules.overall and fallback.grader.engine == "offline"
    assert engine.take_note() is None  # a grade carries its own mark; no spoken note
    assert engine.usage.records[-1].outcome.startswith("fallback:")


@pytest.mark.parametrize("persona_id", sorted(PERSONAS))
def test_every_persona_prompt_fits_the_budget(persona_id: str) -> None:
    engine, model = engine_with(in_order("Thank you for coming in today."))
    persona: Persona = PERSONAS[persona_id]
    engine.wrap_up(persona, ctx(), ["next_steps", "availability"])
    system = model.calls[0][0]
    assert isinstance(system, SystemMessage) and persona.name in str(system.content)
    assert engine.usage.records[0].tokens_in <= engine.settings.token_budget


TASK_TALK = (
    "This is a skill question that requires you to ask the candidate about their experience of telling "
    "someone they're wrong. You'll need to choose one from the list of questions: 1. What mistakes do "
    "you see people make most often?"
)


def test_a_model_describing_its_task_is_asked_again_then_replaced_by_the_bank() -> None:
    persona = PERSONAS["hiring_manager"]
    engine, model = engine_with(in_order(TASK_TALK))
    expected = engine.offline.next_question(persona, ctx())
    asked = engine.next_question(persona, ctx())
    assert asked is not None and expected is not None and asked.text == expected.text
    reason = "the model described its task instead of speaking to the candidate"
    assert engine.take_note() == f"Offline fallback: {reason}."
    assert len(model.calls) == 2 and reason in str(model.calls[1][-1].content)  # asked again, told why
    assert [r.outcome for r in engine.usage.records] == [f"retried: {reason}", f"fallback: {reason}"]
    # Both replies came back (unusable): both are on record with the tokens they used, so costed.
    assert all(r.tokens_out > 0 for r in engine.usage.records)

    engine, _ = engine_with(in_order(TASK_TALK, "Tell me about a time you told someone they were wrong?"))
    asked = engine.next_question(persona, ctx())
    assert asked is not None and asked.text == "Tell me about a time you told someone they were wrong?"
    assert engine.take_note() is None


class DescribesItsQuestions(Roleplay):
    """Plays every part, but describes its task instead of asking its questions (as SmolLM2 did)."""

    def __call__(self, messages: list[BaseMessage], tools: list[dict]) -> Any:
        if "Your reply could not be used" in str(messages[-1].content):  # asked again: it does it again
            return TASK_TALK
        played = super().__call__(messages, tools)
        return TASK_TALK if self.tasks[-1] == "question" else played


def test_task_talk_never_reaches_the_transcript_or_the_hand_off_notes(tmp_path: Path) -> None:
    engine, _ = engine_with(DescribesItsQuestions())
    session = run_session(engine, tmp_path)
    assert session.status == "complete"
    # Each question was asked again once, then the bank's question asked instead, labelled.
    assert engine.fallbacks and {e.task for e in engine.fallbacks} == {"question"}
    for event in engine.fallbacks:  # (a question may open with a remark on the last answer)
        turn = next(t for t in session.turns if t.kind == "question" and t.text.endswith(event.text))
        assert turn.note == f"Offline fallback: {event.reason}.", event
    # What the next interviewer reads (the notes) and says (a probe of a colleague's concern).
    heard = [t.text for t in session.turns if t.speaker != "candidate"]
    for text in [*heard, *(note.text for note in session.handoff_notes)]:
        assert "list of questions" not in text and "ask the candidate" not in text, text
    assert session.handoff_notes
