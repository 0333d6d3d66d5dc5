"""The second-round checklist over the whole loop, run as rubrics/checklist.yaml lists it.

Each check turns the session into pass, fail or not applicable, with evidence quoted from the
turns and the rubric's advice. The thresholds and cue lists are in the rubric, not here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from simulator.grading.candidate_questions import CandidateQuestionGrade, grade_candidate_questions
from simulator.grading.job_terms import company_terms, find_company_terms
from simulator.grading.session_rubric import (
    CandidateQuestionsRubric,
    ChecklistRubric,
    ChecklistSpec,
    ConsistentWithRoundOne,
    EngagedEveryInterviewer,
    EnoughSignal,
    EvidenceRules,
    GoodQuestions,
    NoOverconfidence,
    NoSalaryTooEarly,
    NoStoryTwice,
    ReferencedCompanySpecifics,
    ReferencedRoundOne,
    StoryBankCoverage,
    ThankYouFollowUp,
    VagueStoriesWithoutResult,
)
from simulator.grading.stories import repeated_stories, theme_coverage
from simulator.grading.text_match import (
    CueHit,
    find_cues,
    first_sentence,
    has_cue,
    quoted,
    sentence_around,
    shorten,
)
from simulator.grading.thank_you import ThankYouCheck
from simulator.grading.transcript import Story, personas_met, stories, was_invited
from simulator.models import ChecklistItem, Persona, Session, Turn
from simulator.panel_verdict import panel_outcome, verdict_label
from simulator.story_chains import loop_findings

Status = Literal["pass", "fail", "not_applicable"]


@dataclass(frozen=True)
class LoopView:
    """What every check reads: the session, its interviewers, the graded candidate questions."""

    session: Session
    personas: Mapping[str, Persona]
    question_grades: list[CandidateQuestionGrade]
    thank_you_checks: Sequence[ThankYouCheck] | None
    evidence: EvidenceRules = field(default_factory=EvidenceRules)

    @property
    def met(self) -> list[str]:
        return [p for p in personas_met(self.session.turns) if p in self.personas]

    def name(self, persona_id: str) -> str:
        persona = self.personas.get(persona_id)
        return persona.name if persona else persona_id

    def who(self, persona_id: str) -> str:
        persona = self.personas.get(persona_id)
        return f"{persona.name} ({persona.title})" if persona else persona_id

    def candidate_turns(self) -> list[Turn]:
        return [
            t
            for t in self.session.turns
            if t.speaker == "candidate" and t.kind in ("answer", "candidate_question")
        ]

    def told(self) -> list[Story]:
        return stories(self.session.turns)

    def said(self, turn: Turn, start: int, end: int) -> str:
        where = "asked" if turn.kind == "candidate_question" else "answered"
        return (
            f"{self.name(turn.persona_id)}, you {where}: {quoted(sentence_around(turn.text, start, end, 28))}"
        )


def _item(spec: ChecklistSpec, status: Status, evidence: list[str]) -> ChecklistItem:
    return ChecklistItem(id=spec.id, title=spec.title, status=status, evidence=evidence, advice=spec.advice)


# ---------------------------------------------------------------- the checks


def check_enough_signal(spec: EnoughSignal, view: LoopView) -> ChecklistItem:
    session = view.session
    if not session.debrief:
        return _item(spec, "not_applicable", ["the debrief is written when the loop ends"])
    outcome = panel_outcome(session, view.evidence)
    evidence = [outcome.explanation()]
    verdicts = {v.persona_id: v.verdict for v in session.debrief}
    graded = {c.persona_id: c.graded for c in session.scorecards}
    for slot in session.plan.slots:
        pid = slot.persona_id
        if pid not in verdicts:
            evidence.append(f"{view.who(pid)}: not reached, the loop ended first")
            continue
        heard = f"{graded.get(pid, 0)} graded answer{'s' if graded.get(pid, 0) != 1 else ''}"
        evidence.append(f"{view.who(pid)}: {heard}, {verdict_label(verdicts[pid]).lower()}")
    return _item(spec, "fail" if outcome.verdict == "no_signal" else "pass", evidence)


def check_consistency(spec: ConsistentWithRoundOne, view: LoopView) -> ChecklistItem:
    if view.session.round_one.is_empty():
        return _item(
            spec, "not_applicable", ["no round-one record was given, so there is nothing to compare"]
        )
    graded = [s for s in view.told() if s.is_scored()]
    if not graded:
        return _item(spec, "not_applicable", ["no answer was graded, so there is nothing to compare"])
    failing: list[str] = []
    other: list[str] = []
    # Once per finding over the loop; elaborations (new detail that fits) are not evidence either way.
    for persona_id, f in loop_findings(view.session):
        line = (
            f"{view.name(persona_id)} heard: round one {quoted(f.round_one_quote)}; "
            f"today {quoted(f.round_two_quote)} ({f.kind}, {f.category.replace('_', ' ')})"
        )
        (failing if f.kind in spec.fail_kinds else other).append(line)
    status: Status = "fail" if len(failing) > spec.max_findings else "pass"
    evidence = failing + other
    if not evidence:
        evidence = [f"no conflicts with round one in {len(graded)} graded answers"]
    return _item(spec, status, evidence)


def check_engagement(spec: EngagedEveryInterviewer, view: LoopView) -> ChecklistItem:
    invited = [p for p in view.met if was_invited(view.session.turns, p)]
    if not invited:
        return _item(spec, "not_applicable", ["no interviewer reached the point of inviting your questions"])
    evidence, missing = [], []
    for pid in invited:
        asked = [g for g in view.question_grades if g.persona_id == pid and g.is_question]
        if len(asked) < spec.min_questions_each:
            missing.append(pid)
            evidence.append(f"No question for {view.who(pid)}" + (f" ({len(asked)} asked)" if asked else ""))
        else:
            evidence.append(f"{view.name(pid)}: {len(asked)} question{'s' if len(asked) != 1 else ''}")
    return _item(spec, "fail" if missing else "pass", evidence)


def check_question_quality(spec: GoodQuestions, view: LoopView) -> ChecklistItem:
    asked = [g for g in view.question_grades if g.is_question]
    if not asked:
        return _item(spec, "not_applicable", ["you asked no questions, so there is nothing to judge"])
    evidence = []
    for g in asked:
        if g.good:
            why = ", ".join(g.strengths) or "open and relevant"
            evidence.append(f"To {view.name(g.persona_id)}: {quoted(shorten(g.question, 25))}: good ({why})")
        else:
            why = (
                "; ".join(g.problems)
                or "not about success, challenges, the team's work or how decisions are made"
            )
            if g.strengths:
                why += f"; on the plus side: {', '.join(g.strengths)}"
            evidence.append(
                f"To {view.name(g.persona_id)}: {quoted(shorten(g.question, 25))}: "
                f"weak, {g.score:.2f} ({why})"
            )
    share = sum(g.good for g in asked) / len(asked)
    ok = share >= spec.min_good_share
    if spec.each_interviewer_needs_one_good:
        for pid in dict.fromkeys(g.persona_id for g in asked):
            if not any(g.good for g in asked if g.persona_id == pid):
                ok = False
                evidence.append(f"No good question for {view.who(pid)}")
    return _item(spec, "pass" if ok else "fail", evidence)


def _counts(turn: Turn, hits: list[CueHit], flagged: bool) -> bool:
    """Whether a turn counts against a flag check. A graded answer is read by the grader's flag, which
    knows whose pay or whose praise it is ("I ran a salary survey", "my manager said I was the best
    analyst"); the check's cues, phrases matched anywhere, read only the turns the grader did not grade
    (the candidate's own questions)."""
    return flagged if turn.grade is not None else bool(hits)


def check_salary(spec: NoSalaryTooEarly, view: LoopView) -> ChecklistItem:
    by_index = {t.index: t for t in view.session.turns}
    order = view.met
    evidence = []
    for turn in view.candidate_turns():
        if turn.persona_id in spec.allowed_with:
            continue
        asked = by_index.get(turn.reply_to) if turn.reply_to is not None else None
        if spec.allow_when_interviewer_asked and asked is not None and has_cue(asked.text, spec.cues):
            continue  # they raised it: answering is fine
        hits = find_cues(turn.text, spec.cues)
        flagged = turn.grade is not None and spec.grade_flag in turn.grade.flags
        if _counts(turn, hits, flagged):
            at = order.index(turn.persona_id) + 1 if turn.persona_id in order else 0
            quote = view.said(turn, hits[0].start, hits[0].end) if hits else view.said(turn, 0, 0)
            evidence.append(f"Interviewer {at} of {len(order)}: {quote}")
    if evidence:
        return _item(spec, "fail", evidence)
    return _item(spec, "pass", ["no talk of pay, benefits or time off before an offer"])


def check_overconfidence(spec: NoOverconfidence, view: LoopView) -> ChecklistItem:
    evidence = []
    for turn in view.candidate_turns():
        hits = find_cues(turn.text, spec.cues)
        flagged = turn.grade is not None and spec.grade_flag in turn.grade.flags
        if not _counts(turn, hits, flagged):
            continue
        if hits:
            evidence.append(view.said(turn, hits[0].start, hits[0].end))
        else:
            evidence.append(view.said(turn, 0, 0) + " (the grader flagged it as overconfident)")
    status: Status = "fail" if len(evidence) > spec.max_hits else "pass"
    return _item(spec, status, evidence or ["no overconfident claims"])


def check_story_repeats(spec: NoStoryTwice, view: LoopView) -> ChecklistItem:
    repeats = repeated_stories(view.session.turns, view.session.story_bank, spec)
    evidence = []
    for r in repeats:
        how = f"both retell {quoted(r.bank_entry)}" if r.bank_entry else f"similarity {r.similarity:.2f}"
        evidence.append(
            f"{view.name(r.persona_id)} heard the same story twice: first for "
            f"{quoted(shorten(r.first.question_text, 12))}: {quoted(first_sentence(r.first.text, 16))}; "
            f"again for {quoted(shorten(r.second.question_text, 12))}: "
            f"{quoted(first_sentence(r.second.text, 16))} ({how})"
        )
    if evidence:
        return _item(spec, "fail", evidence)
    return _item(spec, "pass", ["no interviewer heard the same story twice"])


def check_round_one_reference(spec: ReferencedRoundOne, view: LoopView) -> ChecklistItem:
    evidence = []
    for turn in view.candidate_turns():
        hits = find_cues(turn.text, spec.cues)
        if hits:
            evidence.append(view.said(turn, hits[0].start, hits[0].end))
    if len(evidence) >= spec.min_references:
        return _item(spec, "pass", evidence[:3])
    found = f" (found {len(evidence)}, need {spec.min_references})" if evidence else ""
    return _item(
        spec, "fail", [f"no answer or question referred back to your first interview{found}", *evidence]
    )


def check_company_specifics(spec: ReferencedCompanySpecifics, view: LoopView) -> ChecklistItem:
    terms = company_terms(view.session.job, spec.min_term_length, spec.ignore_terms)
    used: set[str] = set()
    quotes: dict[str, list[str]] = {}  # the sentence quoted -> the terms it mentions
    for turn in view.candidate_turns():
        for hit in find_company_terms(turn.text, terms, spec.common_words):
            if hit.cue.lower() in used:
                continue
            used.add(hit.cue.lower())
            quotes.setdefault(view.said(turn, hit.start, hit.end), []).append(hit.cue)
    evidence = [f"{quote} (mentions {', '.join(named)})" for quote, named in quotes.items()]
    if len(used) >= spec.min_mentions:
        return _item(spec, "pass", evidence[:4])
    named = ", ".join(terms[:8])
    return _item(
        spec,
        "fail",
        [
            f"you mentioned {len(used)} of the company's own terms; need {spec.min_mentions}",
            f"terms from the job and your research notes: {named}",
            *evidence,
        ],
    )


def check_story_bank(spec: StoryBankCoverage, view: LoopView) -> ChecklistItem:
    coverage = theme_coverage(view.session, spec)
    evidence = []
    for c in coverage:
        if c.covered:
            evidence.append(f"Covered: {c.title}: " + "; ".join(c.evidence[:1]))
        else:
            detail = "; ".join(c.evidence) if c.theme == "job_skills" else "no story showed it"
            evidence.append(f"Missing: {c.title} ({detail})")
    return _item(spec, "pass" if all(c.covered for c in coverage) else "fail", evidence)


def check_vague_stories(spec: VagueStoriesWithoutResult, view: LoopView) -> ChecklistItem:
    told = [s for s in view.told() if s.is_scored() and (s.category or "behavioural") in spec.question_kinds]
    if not told:
        return _item(spec, "not_applicable", ["no graded behavioural story to judge"])
    vague = []
    for s in told:
        grade = s.grade
        assert grade is not None
        result = grade.star.get("result")
        result_score = result.score if result is not None else 0.0
        if any(f in grade.flags for f in spec.flags) or result_score < spec.result_below:
            vague.append(s)
    evidence = [
        f"{view.name(s.persona_id)}, asked {quoted(shorten(s.question_text, 12))}: "
        f"{quoted(first_sentence(s.text, 20))} never said how it ended"
        for s in vague
    ]
    share = len(vague) / len(told)
    status: Status = "fail" if share > spec.max_share else "pass"
    evidence.append(f"{len(vague)} of {len(told)} stories without a clear result")
    return _item(spec, status, evidence)


def check_thank_you(spec: ThankYouFollowUp, view: LoopView) -> ChecklistItem:
    checks = list(view.thank_you_checks or [])
    if not checks:
        return _item(spec, "not_applicable", ["no thank-you note has been checked yet"])
    evidence = []
    ok = True
    for pid in view.met:
        mine = [c for c in checks if c.persona_id == pid]
        if not mine:
            ok = False
            evidence.append(f"No note checked for {view.who(pid)}")
            continue
        latest = mine[-1]
        if latest.ok:
            evidence.append(f"Note to {view.name(pid)}: fine ({'; '.join(c.reason for c in latest.passed)})")
        else:
            ok = False
            evidence.append(f"Note to {view.name(pid)}: {'; '.join(c.reason for c in latest.failed)}")
    return _item(spec, "pass" if ok else "fail", evidence)


_CHECKS: dict[type, Callable[..., ChecklistItem]] = {
    EnoughSignal: check_enough_signal,
    ConsistentWithRoundOne: check_consistency,
    EngagedEveryInterviewer: check_engagement,
    GoodQuestions: check_question_quality,
    NoSalaryTooEarly: check_salary,
    NoOverconfidence: check_overconfidence,
    NoStoryTwice: check_story_repeats,
    ReferencedRoundOne: check_round_one_reference,
    ReferencedCompanySpecifics: check_company_specifics,
    StoryBankCoverage: check_story_bank,
    VagueStoriesWithoutResult: check_vague_stories,
    ThankYouFollowUp: check_thank_you,
}


def build_checklist(
    session: Session,
    personas: Mapping[str, Persona],
    checklist: ChecklistRubric,
    questions: CandidateQuestionsRubric,
    thank_you_checks: Sequence[ThankYouCheck] | None = None,
) -> list[ChecklistItem]:
    """Every item the rubric lists, in its order."""
    view = LoopView(
        session=session,
        personas=personas,
        question_grades=grade_candidate_questions(session.turns, personas, session.job, questions),
        thank_you_checks=thank_you_checks,
        evidence=checklist.debrief.evidence,
    )
    return [_CHECKS[type(spec)](spec, view) for spec in checklist.items]
