"""Hand-off notes are built from validated turns: a question the model said only when asked again
(its first reply failed the transcript checks) is named as the persona file words it, never in the
model's words; and the grade of the whole story counts, a rules grade the judge fell back to included.
Driven through the Python API with a scripted chat model."""

from __future__ import annotations

import re

from langchain_core.messages import AIMessage, BaseMessage

from simulator.catalog import ROOT
from simulator.engines.openai_engine import OpenAIEngine
from simulator.models import Plan, Session, Slot
from simulator.orchestrator import Interview
from simulator.script import load_script
from simulator.service import Toolkit
from tests.llm_fakes import Roleplay, ScriptedChatModel, section

EXAMPLE = ROOT / "examples" / "backend_engineer.yaml"
GARBLED = "Zorblax muffin quantum: describe the synergy of your previous teapot situation"
NO_RESULT_YET = (
    "In 2023 at Quillstone our invoice export kept timing out, and I was asked to fix it. I profiled the "
    "query, I added a covering index and I rewrote the batch to stream rows."
)


class GarbledQuestionsBrokenJudge(Roleplay):
    """Speaks every task sensibly except its questions: first a line that plays the candidate too (the
    checks refuse it), then, asked again, nonsense no check catches. Its judge never returns a verdict,
    so every grade falls back to the rules."""

    def __call__(self, messages: list[BaseMessage], tools: list[dict]) -> AIMessage | str:
        if tools:
            return AIMessage(content="{ .\n} {. ")
        if section(str(messages[1].content), "YOUR TASK NOW").startswith("Ask your next question"):
            asked_again = len(messages) > 2  # the re-ask adds what was wrong as a last message
            return GARBLED if asked_again else "Candidate: I led the migration and it went fine."
        reply = super().__call__(messages, tools)
        assert not isinstance(reply, BaseException)
        return reply


def test_the_note_names_the_question_as_written_and_keeps_a_fallback_grades_concern(kit: Toolkit) -> None:
    engine = OpenAIEngine(ScriptedChatModel(responder=GarbledQuestionsBrokenJudge()), kit.rubrics)
    job = load_script(EXAMPLE).job
    plan = Plan(slots=[Slot(persona_id="hiring_manager", minutes=30)], seed=3, pressure="gentle")
    session = Session(id="0123456789ab", created_at="2026-01-01T00:00:00+00:00", job=job, plan=plan)
    interview = Interview(session, kit.personas, engine)
    interview.begin()
    asked = interview.session.turns[-1]
    assert asked.kind == "question" and asked.text == GARBLED  # the candidate heard the model's line
    turns = interview.answer(NO_RESULT_YET)
    assert turns[0].grade is not None and turns[0].grade.status == "fallback"
    if interview.awaiting().kind == "answer" and interview.session.turns[-1].kind == "follow_up":
        interview.move_on()  # no result given: the story stays without one
    interview.end_slot()
    [note] = interview.session.handoff_notes
    assert not re.search(r"zorblax|muffin|teapot", note.text + (note.probe or ""), re.I), note
    persona = kit.personas["hiring_manager"]
    bank = {q.id: q.text for q in persona.questions}
    bank |= {q.id: q.text for family in persona.family_questions.values() for q in family}
    written = bank[asked.question_id or ""]
    assert note.probe is not None and "never got to a result" in note.probe, note
    assert " ".join(written.split()[:4]) in note.probe, (written, note.probe)
