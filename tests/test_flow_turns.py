"""Flow through the Python API, as the page and the CLI drive it: when an interviewer cuts in, when a
brief remark is due, and when "which part was yours?" is fair."""

from __future__ import annotations

import re

import pytest

from simulator.catalog import ROOT
from simulator.engines.base import GradeRequest
from simulator.engines.offline import OfflineEngine
from simulator.models import AnswerGrade, Plan, Session, Slot
from simulator.orchestrator import Interview
from simulator.script import load_script
from simulator.service import Toolkit

EXAMPLE = ROOT / "examples" / "backend_engineer.yaml"

# About 230 words of background that never gets to what happened.
RAMBLE = (
    "So, well, that was a really interesting period, because the company was growing and there was a lot "
    "going on at the time, and I remember the office had just moved, and there were new people joining "
    "almost every week, and the product was changing direction, and honestly it was a bit chaotic. "
    "I was working on the reporting side then, mostly dashboards, and there were a lot of meetings about "
    "which tool we should use, and different teams had different opinions, and some people liked one "
    "thing and some people liked another, and it went back and forth for quite a while. I talked to a lot "
    "of people in those weeks, the sales team, the finance people, a couple of the engineers, and everyone "
    "had a view about what the numbers should look like and who should own them. There was also the "
    "question of the old spreadsheets, which a lot of people still relied on, and nobody really wanted to "
    "touch them because they had been built by someone who had left, and the formulas were quite "
    "complicated, and I spent some time looking at those as well, trying to understand how they worked, "
    "and talking to people about them, and thinking about how the whole thing fitted together, and what the "
    "different options were, and which of them might suit the people involved."
)
# About 230 words too, every one of them carrying the story to its result.
TIGHT = (
    "In March 2023 at Quillstone, finance closed the month five days late because the revenue dashboard "
    "disagreed with the ledger by up to 4%. I owned the reporting layer, so the CFO asked me to find the gap "
    "and close it before the quarter-end board pack, six weeks away. First I pulled one month of invoices "
    "and traced every line from the ledger export to the dashboard query. I found two causes: refunds were "
    "booked on the refund date in the ledger but on the order date in our model, and currency conversions "
    "used a daily rate where finance used the month-end rate. I rewrote the revenue model in dbt to book "
    "refunds by refund date, added the month-end rate table finance already kept, and wrote 38 tests that "
    "compare each day's totals with the ledger. I walked the controller through every change in two "
    "half-hour sessions so finance trusted the numbers, and I set up an alert that posts any gap above "
    "0.1% to their channel. The result: the dashboard now matches the ledger to within 0.05%, the month-end "
    "close went from eleven working days to six, and the board pack went out on time that quarter with "
    "figures nobody had to reconcile by hand. The alert has fired twice since, both times catching a late "
    "booking the same morning."
)
ALL_I = (
    "In 2023 I owned our billing export. I rewrote the slow query, I added an index, and I tested it "
    "against a month of invoices; I cut the nightly run from 3 hours to 20 minutes."
)
# Lines that set the candidate's part against the team's: fair only after "we" talk.
TEAM_CONTRAST = re.compile(r"team's|as opposed to|your part|which bits were you|keep saying \"we\"", re.I)


def one_slot(kit: Toolkit, persona_id: str, pressure: str = "tough", seed: int = 0,
             engine: object = None) -> Interview:  # fmt: skip
    job = load_script(EXAMPLE).job
    plan = Plan(slots=[Slot(persona_id=persona_id, minutes=30)], seed=seed, pressure=pressure)  # type: ignore[arg-type]
    session = Session(id="0123456789ab", created_at="2026-01-01T00:00:00+00:00", job=job, plan=plan)
    interview = Interview(session, kit.personas, engine or kit.engine)  # type: ignore[arg-type]
    interview.begin()
    return interview


# ---------------------------------------------------------------- cutting in


def test_tough_pressure_cuts_into_a_230_word_ramble(kit: Toolkit) -> None:
    assert 220 <= len(RAMBLE.split()) <= 240
    turns = one_slot(kit, "hiring_manager").answer(RAMBLE)
    answer, after = turns[0], turns[1]
    assert after.kind == "interruption", [t.kind for t in turns]
    assert after.text in kit.personas["hiring_manager"].follow_ups.interruption
    # The clock counts only what was said before the interviewer cut in.
    assert answer.duration < len(RAMBLE.split()) / 150 + 0.25


def test_a_tight_230_word_story_is_heard_out(kit: Toolkit) -> None:
    assert 220 <= len(TIGHT.split()) <= 240
    turns = one_slot(kit, "hiring_manager").answer(TIGHT)
    assert "interruption" not in [t.kind for t in turns]
    assert turns[0].duration == pytest.approx(len(TIGHT.split()) / 150 + 0.25, abs=0.01)


def test_gentle_interviewers_hear_a_ramble_out(kit: Toolkit) -> None:
    turns = one_slot(kit, "hiring_manager", pressure="gentle").answer(RAMBLE)
    assert "interruption" not in [t.kind for t in turns]


def test_any_answer_past_the_hard_limit_is_cut_even_with_a_result(kit: Toolkit) -> None:
    very_long = " ".join([TIGHT, TIGHT])  # about 460 words, results and all
    turns = one_slot(kit, "hiring_manager").answer(very_long)
    assert turns[1].kind == "interruption"


# ---------------------------------------------------------------- brief remarks


class JudgeDroppingPay(OfflineEngine):
    """Grades as the rules do, then sets the salary flag aside, as a judge may reject a rule's flag."""

    def grade(self, request: GradeRequest) -> AnswerGrade:
        grade = super().grade(request)
        judge = grade.grader.model_copy(update={"engine": "openai", "model": "a-judge"})
        return grade.model_copy(
            update={"flags": [f for f in grade.flags if f != "salary_too_early"], "grader": judge}
        )


@pytest.mark.parametrize("persona_id", ["hiring_manager", "team_member", "skip_level", "cross_functional"])
def test_pay_asked_inside_an_answer_is_remarked_on_whatever_the_judge_kept(
    kit: Toolkit, persona_id: str
) -> None:
    engine = JudgeDroppingPay(kit.rubrics)
    turns = one_slot(kit, persona_id, engine=engine).answer(
        ALL_I + " By the way, what is the salary range for this role?"
    )
    assert turns[0].grade is not None and "salary_too_early" not in turns[0].grade.flags
    said = " ".join(t.text for t in turns[1:])
    remarks = kit.personas[persona_id].remarks.salary  # type: ignore[union-attr]
    assert any(line in said for line in remarks), said


@pytest.mark.parametrize("persona_id", ["hiring_manager", "team_member", "skip_level", "cross_functional"])
def test_an_off_topic_answer_is_remarked_on_by_every_interviewer(kit: Toolkit, persona_id: str) -> None:
    turns = one_slot(kit, persona_id).answer(
        "Honestly I have mostly been thinking about my holiday in Lisbon; the beaches and the seafood there "
        "are wonderful in spring, and the trams up the hills are lovely."
    )
    said = " ".join(t.text for t in turns[1:])
    remarks = kit.personas[persona_id].remarks.off_topic  # type: ignore[union-attr]
    assert any(line in said for line in remarks), said


def test_an_on_topic_answer_gets_no_remark(kit: Toolkit) -> None:
    for persona_id, persona in kit.personas.items():
        said = " ".join(t.text for t in one_slot(kit, persona_id).answer(ALL_I)[1:])
        lines = [*persona.remarks.off_topic, *persona.remarks.salary]  # type: ignore[union-attr]
        assert not any(line in said for line in lines), (persona_id, said)


# ---------------------------------------------------------------- "which part was yours?"


class NoTaskHeard(OfflineEngine):
    """Every story graded complete except its task: the follow-up due asks what the candidate was on
    the hook for, and must not set them against a team they never mentioned."""

    def grade(self, request: GradeRequest) -> AnswerGrade:
        grade = super().grade(request)
        star = {
            part: c.model_copy(update={"score": 0.0 if part == "task" else max(c.score, 0.8)})
            for part, c in grade.star.items()
        }
        return grade.model_copy(update={"flags": [], "star": star}) if grade.star else grade


@pytest.mark.parametrize("persona_id", ["hiring_manager", "team_member", "skip_level", "cross_functional"])
def test_an_answer_all_in_i_never_hears_which_part_was_yours(kit: Toolkit, persona_id: str) -> None:
    engine = NoTaskHeard(kit.rubrics)
    heard = []
    for seed in range(12):  # every line the interviewer might pick
        turns = one_slot(kit, persona_id, seed=seed, engine=engine).answer(ALL_I)
        heard += [t.text for t in turns if t.kind in ("follow_up", "interruption")]
    assert heard, "a follow-up on the task is due under tough pressure"
    assert not [line for line in heard if TEAM_CONTRAST.search(line)]


def test_a_ramble_all_in_i_is_not_cut_with_which_part_was_yours(kit: Toolkit) -> None:
    for persona_id in kit.personas:
        for seed in range(12):
            turns = one_slot(kit, persona_id, seed=seed).answer(RAMBLE)
            cut = [t.text for t in turns if t.kind == "interruption"]
            assert cut and not TEAM_CONTRAST.search(cut[0]), (persona_id, cut)


def test_only_ownership_lines_set_the_candidate_against_the_team(kit: Toolkit) -> None:
    for persona in kit.personas.values():
        for reason, lines in persona.follow_ups.model_dump().items():
            if reason in ("ownership", "handoff_probe"):
                continue
            assert not [line for line in lines if TEAM_CONTRAST.search(line)], (persona.id, reason)
