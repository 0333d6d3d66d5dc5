"""Prompt building: the persona restated every turn, the context the interviewer needs, trimmed to budget."""

from __future__ import annotations

import random
from typing import get_args

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from simulator.catalog import load_personas
from simulator.engines.base import SlotContext
from simulator.engines.prompting import PROMPTS, PromptBuilder, keyed_lines, render, template_hash
from simulator.engines.tokens import TokenCounter
from simulator.models import QA, FollowUpReason, HandoffNote, Job, Persona, RoundOne, Turn, TurnKind

JOB = Job(
    title="Data Analyst",
    company="Fernhollow Transit",
    level="Mid-level",
    description="Turn ticketing and GPS data into timetable decisions. SQL and Python daily.",
    research_notes="Contactless fares launched last spring.",
)
ROUND_ONE = RoundOne(
    answers=[
        QA(question="A project you are proud of?", answer="A ridership dashboard for 14 depot managers.")
    ]
)
TASK_SLOTS: dict[str, dict[str, str]] = {
    "introduce": {},
    "question": {
        "category": "behavioural",
        "competency": "how they work with others",
        "skill_hint": "",
        "inspiration": "- Tell me about a handover that went wrong.",
        "asked": "(nothing yet)",
        "curveball": "",
    },
    "follow_up": {"need": keyed_lines("follow_up_needs")["result"], "detail": ""},
    "invite_questions": {},
    "answer_candidate": {
        "question": "What does a first month look like?",
        "name": "Renata",
        "facts": "Onboarding.",
    },
    "wrap_up": {"signs": "- " + keyed_lines("wrap_up_signs")["next_steps"]},
    "hand_off": {"next_line": "Sam, Staff Analyst, is next: tell the candidate."},
}


@pytest.fixture(scope="module")
def personas() -> dict[str, Persona]:
    return load_personas()


def turn(index: int, speaker: str, kind: TurnKind, text: str, persona_id: str = "hiring_manager") -> Turn:
    return Turn(
        index=index,
        speaker=speaker,
        persona_id=persona_id,
        kind=kind,
        text=text,
        at_minute=index,
        slot_minute=index,
        duration=0.5,
    )


def context(personas: dict[str, Persona], turns: list[Turn] | None = None, job: Job = JOB) -> SlotContext:
    return SlotContext(
        job=job,
        round_one=ROUND_ONE,
        skills=["SQL", "Python"],
        pressure="realistic",
        rng=random.Random(1),
        slot_turns=turns or [],
        handoff_notes=[
            HandoffNote(from_persona="team_member", text="Strong on SQL; thin on results.", probe=None)
        ],
        colleagues=personas,
    )


def test_every_task_restates_the_persona_and_the_rules(personas: dict[str, Persona]) -> None:
    builder = PromptBuilder(TokenCounter("gpt-4o-mini"), budget=2400)
    me = personas["hiring_manager"]
    for task, slots in TASK_SLOTS.items():
        prompt = builder.speaking(task, me, context(personas), slots)
        system, human = prompt.messages
        assert isinstance(system, SystemMessage) and isinstance(human, HumanMessage)
        text = str(system.content)
        assert text.startswith(f"You are {me.name}, {me.title} at Fernhollow Transit.")
        assert " ".join(me.voice.split()) in " ".join(text.split())
        assert all(habit in text for habit in me.style)
        assert "Do not praise or rate what the candidate says" in text
        assert "someone else keeps the time and decides when your part is over" in text
        assert "$" not in text + str(human.content), f"unfilled slot in {task}"


def test_context_carries_job_round_one_notes_and_transcript(personas: dict[str, Persona]) -> None:
    me = personas["hiring_manager"]
    turns = [
        turn(0, "hiring_manager", "intro", "Hello, I lead the analytics team."),
        turn(1, "hiring_manager", "question", "Tell me about a dashboard people relied on."),
        turn(2, "candidate", "answer", "I built one for thirty depot managers."),
    ]
    prompt = PromptBuilder(TokenCounter("gpt-4o-mini"), 2400).speaking(
        "follow_up", me, context(personas, turns), TASK_SLOTS["follow_up"]
    )
    human = str(prompt.messages[1].content)
    assert "Data Analyst at Fernhollow Transit (Mid-level)" in human
    assert "Research notes: Contactless fares launched last spring." in human
    assert "A: A ridership dashboard for 14 depot managers." in human
    team_member = personas["team_member"]
    assert f"{team_member.name} ({team_member.title}): Strong on SQL; thin on results." in human
    assert f"{me.name} (you): Tell me about a dashboard people relied on." in human
    assert "Candidate: I built one for thirty depot managers." in human
    # The task comes last, after the context it refers to.
    assert human.rstrip().endswith(
        "Do not praise, do not summarise their answer back to them, and do not move to a new topic."
    )
    assert human.index("<transcript>") < human.index("YOUR TASK NOW")


def test_a_long_conversation_is_trimmed_to_the_budget_keeping_the_newest_turns(
    personas: dict[str, Persona],
) -> None:
    me = personas["hiring_manager"]
    story = "We moved the depot reports to the warehouse and I rewrote the refresh so it ran nightly. " * 6
    turns = [
        turn(
            i, "candidate" if i % 2 else "hiring_manager", "answer" if i % 2 else "question", f"[{i}] {story}"
        )
        for i in range(11)
    ]
    counter = TokenCounter("gpt-4o-mini")
    builder = PromptBuilder(counter, budget=1200)
    prompt = builder.speaking("follow_up", me, context(personas, turns), TASK_SLOTS["follow_up"])
    human = str(prompt.messages[1].content)
    assert prompt.tokens <= 1200
    assert "[10]" in human  # the answer being followed up is always there
    assert "[0]" not in human
    assert f"({prompt.omitted_turns} earlier turns left out)" in human
    assert prompt.omitted_turns >= 5
    assert keyed_lines("follow_up_needs")["result"] in human  # the task is never cut


def test_the_window_drops_old_turns_even_under_budget(personas: dict[str, Persona]) -> None:
    me = personas["hiring_manager"]
    turns = [
        turn(i, "candidate" if i % 2 else "hiring_manager", "answer" if i % 2 else "question", f"line {i}")
        for i in range(20)
    ]
    prompt = PromptBuilder(TokenCounter("gpt-4o-mini"), 5000).speaking(
        "invite_questions", me, context(personas, turns), window=12
    )
    assert prompt.omitted_turns == 8
    assert "line 19" in str(prompt.messages[1].content)
    assert "line 7\n" not in str(prompt.messages[1].content)


def test_a_huge_job_description_is_cut_to_its_share(personas: dict[str, Persona]) -> None:
    huge = JOB.model_copy(update={"description": "Own the fare and timetable analysis end to end. " * 400})
    counter = TokenCounter("gpt-4o-mini")
    prompt = PromptBuilder(counter, 1500).speaking(
        "introduce", personas["team_member"], context(personas, job=huge)
    )
    assert prompt.tokens <= 1500
    assert "[...]" in str(prompt.messages[1].content)


def test_templates_are_files_with_stable_hashes() -> None:
    names = sorted(p.stem for p in PROMPTS.glob("*.txt"))
    assert {"interviewer_system", "context", "judge", "judge_system"} <= set(names)
    assert template_hash("judge") == template_hash("judge")
    assert template_hash("task_question") != template_hash("task_follow_up")
    with pytest.raises(KeyError):
        render("task_hand_off")  # a missing slot fails loudly, never silently empty
    assert set(keyed_lines("follow_up_needs")) == set(get_args(FollowUpReason))  # a line for every reason
