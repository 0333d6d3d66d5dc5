"""One interviewer's scorecard and verdict, from the grades of the stories told in their slot.

Each story counts once, through its latest grade (a follow-up's answer is graded together with
the answers it completes). A story's overall grade (1-5) is evidence for the dimension its
question probes: the bank question's `competency` when the question came from the persona's
bank, otherwise the category -> dimension map in rubrics/checklist.yaml (`debrief`). Structure
comes from every story's `structure`; consistency from the round-one findings. A dimension with
no evidence stays null: nothing is invented.
"""

from __future__ import annotations

from collections.abc import Sequence

from simulator.grading.session_rubric import DebriefRubric, VerdictName
from simulator.grading.text_match import first_sentence, quoted, shorten
from simulator.grading.transcript import Story, candidate_questions, slot_turns, stories, was_invited
from simulator.models import DIMENSIONS, Finding, Persona, Scorecard, Turn, Verdict

_COMPETENCIES = tuple(d for d in DIMENSIONS if d not in ("structure", "consistency"))
_RANK: dict[str, int] = {"no_hire": 0, "lean_no": 1, "hire": 2, "strong_hire": 3}


def weights_of(persona: Persona) -> dict[str, float]:
    return {str(d): w for d, w in persona.weights.items()}


def persona_focus(persona: Persona) -> str:
    """The competency this interviewer weighs most: what a behavioural question from them probes."""
    weights = weights_of(persona)
    weighted = [(weights.get(d, 0.0), -i, d) for i, d in enumerate(_COMPETENCIES)]
    return max(weighted)[2]


def story_dimension(persona: Persona, story: Story, rubric: DebriefRubric) -> str | None:
    root = story.root
    if root is not None and root.question_id:
        bank = next((q for q in persona.questions if q.id == root.question_id), None)
        if bank is not None:
            return bank.competency
    category = story.category
    if category is None and story.grade is not None:
        category = story.grade.question_kind
    mapped = {str(k): str(v) for k, v in rubric.category_dimensions.items()}.get(category or "")
    if mapped == "persona_focus":
        return persona_focus(persona)
    return mapped


def contradictions(slot_stories: Sequence[Story]) -> list[tuple[Story, Finding]]:
    found: list[tuple[Story, Finding]] = []
    for story in slot_stories:
        if story.grade is not None:
            found.extend((story, f) for f in story.grade.round_one_conflicts())
    return found


def story_quote(story: Story, prefer_result: bool = True) -> str:
    """The words that best show the story: its result or action evidence, else its opening."""
    grade = story.grade
    if grade is not None and prefer_result:
        for part in ("result", "action"):
            component = grade.star.get(part)
            if component is not None and component.score > 0 and component.evidence:
                return shorten(component.evidence[0], 30)
    return first_sentence(story.text, 30)


def scorecard(
    persona: Persona,
    turns: Sequence[Turn],
    *,
    rubric: DebriefRubric | None = None,
    has_round_one: bool = True,
) -> Scorecard:
    """Per dimension the persona weighs, 0-1 from the stories told to them; weighted on 1-5."""
    rubric = rubric or DebriefRubric()
    weights = weights_of(persona)
    weighted = [d for d in DIMENSIONS if weights.get(d, 0.0) > 0]
    evidence: dict[str, list[float]] = {d: [] for d in weighted}
    graded = ungradable = 0
    contradicted = embellished = 0
    for story in stories(slot_turns(turns, persona.id)):
        grade = story.grade
        if grade is None:
            continue  # not graded yet
        if grade.overall is None:
            ungradable += 1
            continue
        graded += 1
        dimension = story_dimension(persona, story, rubric)
        if dimension in evidence and dimension not in ("structure", "consistency"):
            evidence[dimension].append((grade.overall - 1) / 4)
        if grade.structure is not None and "structure" in evidence:
            evidence["structure"].append(grade.structure)
        kinds = [f.kind for f in grade.consistency.findings]
        contradicted += kinds.count("contradiction")
        embellished += kinds.count("embellishment")
    dimensions: dict[str, float | None] = {
        d: round(sum(v) / len(v), 3) if v else None for d, v in evidence.items()
    }
    if "consistency" in dimensions and graded and has_round_one:
        penalty = contradicted * rubric.contradiction_penalty + embellished * rubric.embellishment_penalty
        dimensions["consistency"] = round(max(0.0, 1.0 - penalty), 3)
    known = {d: v for d, v in dimensions.items() if v is not None}
    score = None
    if graded and known:
        total = sum(weights[d] for d in known)
        mean = sum(weights[d] * v for d, v in known.items()) / total
        score = round(1.0 + 4.0 * mean, 2)
    return Scorecard(
        persona_id=persona.id,
        dimensions=dimensions,
        score=score,
        graded=graded,
        ungradable=ungradable,
        note=_card_note(persona, graded, ungradable, dimensions, rubric),
    )


def _card_note(
    persona: Persona, graded: int, ungradable: int, dimensions: dict[str, float | None], rubric: DebriefRubric
) -> str:
    if not graded:
        if ungradable:
            return f"No answer to {persona.name} could be graded ({ungradable} ungradable): no score."
        return f"No graded answers for {persona.name}, so there is no score."
    missing = [rubric.dimension_label(d) for d, v in dimensions.items() if v is None]
    note = f"{graded} graded answer{'s' if graded != 1 else ''}"
    if ungradable:
        note += f", {ungradable} ungradable"
    if missing:
        note += f"; no evidence on {', '.join(missing)}"
    return note + "."


def _verdict_name(score: float, rubric: DebriefRubric) -> VerdictName:
    t = rubric.verdicts
    if score >= t.strong_hire:
        return "strong_hire"
    if score >= t.hire:
        return "hire"
    if score >= t.lean_no:
        return "lean_no"
    return "no_hire"


def _contradiction_words(finding: Finding) -> str:
    category = finding.category.replace("_", " ")
    return (
        f"in round one you said {quoted(finding.round_one_quote)}; today you said "
        f"{quoted(finding.round_two_quote)} (a {category} contradiction)"
    )


def verdict(
    persona: Persona,
    card: Scorecard,
    turns: Sequence[Turn],
    *,
    rubric: DebriefRubric | None = None,
) -> Verdict:
    """strong_hire ... no_hire from the weighted score, capped by a round-one contradiction;
    reasons quote the answers; the objection is what this interviewer would raise in the debrief."""
    rubric = rubric or DebriefRubric()
    mine = slot_turns(turns, persona.id)
    if card.score is None:
        return Verdict(
            persona_id=persona.id, verdict="no_signal", reasons=[card.note or "Nothing was graded."]
        )
    evidence = rubric.evidence
    if card.graded < evidence.min_graded_answers:
        return Verdict(
            persona_id=persona.id, verdict="no_signal", reasons=[_too_little(persona, card, rubric)]
        )
    told = [s for s in stories(mine) if s.is_scored()]
    conflicts = contradictions(told)
    name = _verdict_name(card.score, rubric)
    thin = name == "strong_hire" and card.graded < evidence.strong_hire_min_graded
    if thin:
        name = "hire"
    capped = bool(conflicts) and _RANK[name] > _RANK[rubric.contradiction_caps_at]
    if capped:
        name = rubric.contradiction_caps_at

    reasons = [_summary(card, rubric)]
    if thin and not capped:
        reasons.append(
            f"Held at hire: a strong hire needs at least {evidence.strong_hire_min_graded} graded answers, "
            f"and {persona.name} graded {card.graded}."
        )
    ranked = sorted(told, key=lambda s: s.overall or 0, reverse=True)
    for story in [s for s in ranked if (s.overall or 0) >= rubric.strong_answer_at][:2]:
        reasons.append(
            f"Strong answer ({story.overall}/5) to {quoted(shorten(story.question_text, 16))}: "
            f"{quoted(story_quote(story))}"
        )
    for story in [s for s in reversed(ranked) if (s.overall or 5) <= rubric.weak_answer_at][:2]:
        flags = ", ".join(rubric.flag_label(f) for f in story.flags)
        reasons.append(
            f"Weak answer ({story.overall}/5) to {quoted(shorten(story.question_text, 16))}: "
            f"{quoted(story_quote(story, prefer_result=False))}" + (f" ({flags})" if flags else "")
        )
    for _, finding in conflicts[:2]:
        reasons.append("Round-one conflict: " + _contradiction_words(finding) + ".")
    if capped:
        reasons.append(f"A round-one contradiction holds this verdict at {name.replace('_', ' ')}.")

    return Verdict(
        persona_id=persona.id,
        verdict=name,
        reasons=reasons,
        objection=_objection(persona, card, name, told, conflicts, mine, rubric),
    )


def _too_little(persona: Persona, card: Scorecard, rubric: DebriefRubric) -> str:
    """Why there is no verdict although something was graded: too few answers to judge on."""
    need = rubric.evidence.min_graded_answers
    heard = f"{card.graded} graded answer{'s' if card.graded != 1 else ''}"
    return (
        f"Not enough signal: {persona.name} heard {heard}, and a verdict needs at least {need}. "
        f"The weighted score so far, {card.score:.1f}/5, is not a verdict."
    )


def _summary(card: Scorecard, rubric: DebriefRubric) -> str:
    known = {d: v for d, v in card.dimensions.items() if v is not None}
    text = (
        f"Weighted score {card.score:.1f}/5 over {card.graded} graded answer{'s' if card.graded != 1 else ''}"
    )
    if len(known) > 1:
        best = max(known, key=lambda d: known[d])
        worst = min(known, key=lambda d: known[d])
        text += (
            f"; strongest on {rubric.dimension_label(best)} ({known[best]:.2f}), "
            f"weakest on {rubric.dimension_label(worst)} ({known[worst]:.2f})"
        )
    return text + "."


def _objection(
    persona: Persona,
    card: Scorecard,
    name: str,
    told: list[Story],
    conflicts: list[tuple[Story, Finding]],
    mine: list[Turn],
    rubric: DebriefRubric,
) -> str | None:
    if conflicts:
        conflict = _contradiction_words(conflicts[0][1])
        return f"{persona.name} would raise the round-one conflict: {conflict}."
    # "No, you covered everything" is a candidate_question turn too, but not a question.
    asked = [t for t in candidate_questions(mine) if "?" in t.text]
    asked_nothing = was_invited(mine, persona.id) and not asked
    positive = _RANK[name] >= _RANK["hire"]
    if positive:
        if asked_nothing:
            return f"{persona.name} would note that you asked them no questions."
        return None
    no_result = [s for s in told if "no_result" in s.flags]
    if no_result:
        return (
            f"{persona.name} would push on results: {quoted(story_quote(no_result[0], prefer_result=False))} "
            f"never said how it ended."
        )
    flagged = [(f, s) for s in told for f in s.flags if f in rubric.flag_words]
    if flagged:
        flag, story = flagged[0]
        return (
            f"{persona.name} would object to {rubric.flag_label(flag)}: "
            f"{quoted(story_quote(story, prefer_result=False))}."
        )
    known = {d: v for d, v in card.dimensions.items() if v is not None}
    if known:
        worst = min(known, key=lambda d: known[d])
        if known[worst] < rubric.weak_dimension_below:
            label = rubric.dimension_label(worst)
            return f"{persona.name} is not convinced on {label} ({known[worst]:.2f} of 1)."
    if asked_nothing:
        return f"{persona.name} would note that you asked them no questions."
    return f"{persona.name} did not hear enough depth: a weighted score of {card.score:.1f}/5."
