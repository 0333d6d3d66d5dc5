"""The shipped personas, the example bar-raiser persona and the example scripts.

Personas are data a non-programmer edits, so these tests check what such an editor relies on:
every shipped file loads, its text slots are ones the engine fills, a broken copy fails with the
file and the field named, and a fifth persona dropped into the folder just works.
"""

from __future__ import annotations

import re
import shutil
import string
from collections import Counter
from pathlib import Path

import pytest
import yaml

from simulator.catalog import DEFAULT_PANEL, ROOT, CatalogError, load_personas
from simulator.models import QA, Job, Persona

PERSONAS = ROOT / "personas"
EXAMPLES = ROOT / "examples"
CATEGORIES = {"behavioural", "skills", "case", "culture", "potential", "pressure"}

# The slots each kind of line may use: anything else would reach the candidate as raw "{...}".
JOB_SLOTS = {"skill", "company", "title"}
SPEAKER_SLOTS = {"name", "my_title", "title", "company", "minutes"}
HANDOFF_SLOTS = SPEAKER_SLOTS | {"next_name", "next_title"}
FOLLOW_UP_SLOTS = {
    "round_one_conflict": {"round_one_quote", "round_two_quote"},
    "handoff_probe": {"colleague", "note"},
}
ANSWER_SLOTS = {"company", "title"}

SCRIPT_KEYS = {
    "job",
    "round_one",
    "round_one_notes",
    "panel",
    "minutes",
    "pressure",
    "answers",
    "candidate_questions",
    "seed",
}
JOB_KEYS = {"title", "company", "level", "description", "research_notes"}


def slots(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def lines_with_slots(persona: Persona) -> list[tuple[str, str, set[str]]]:
    """Every line of a persona that the engine formats: (where, text, allowed slots)."""
    out: list[tuple[str, str, set[str]]] = []
    out += [(f"questions[{q.id}]", q.text, JOB_SLOTS) for q in persona.questions]
    out += [("intro", line, SPEAKER_SLOTS) for line in persona.intro]
    out += [("invite_questions", line, SPEAKER_SLOTS) for line in persona.invite_questions]
    for sign, sign_lines in persona.wrap_up.model_dump().items():
        out += [(f"wrap_up.{sign}", line, SPEAKER_SLOTS) for line in sign_lines]
    out += [("handoff", line, HANDOFF_SLOTS) for line in persona.handoff]
    for reason, reason_lines in persona.follow_ups.model_dump().items():
        out += [(f"follow_ups.{reason}", line, FOLLOW_UP_SLOTS.get(reason, set())) for line in reason_lines]
    out += [(f"candidate_answers[{a.topic}]", a.answer, ANSWER_SLOTS) for a in persona.candidate_answers]
    out.append(("fallback_answer", persona.fallback_answer, ANSWER_SLOTS))
    return out


@pytest.fixture(scope="module")
def shipped() -> dict[str, Persona]:
    return load_personas(PERSONAS)


@pytest.fixture(scope="module")
def with_bar_raiser(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Persona]:
    folder = tmp_path_factory.mktemp("five")
    for path in PERSONAS.glob("*.yaml"):
        shutil.copy(path, folder)
    shutil.copy(EXAMPLES / "bar_raiser.yaml", folder)
    return load_personas(folder)


# ---------------------------------------------------------------- the shipped panel


def test_the_four_default_personas_ship_and_load(shipped: dict[str, Persona]) -> None:
    assert set(shipped) == set(DEFAULT_PANEL)
    assert sum(shipped[p].default_minutes for p in DEFAULT_PANEL) == 95
    assert len({p.name for p in shipped.values()}) == 4, "each interviewer needs their own name"


def test_question_ids_are_unique_across_the_panel(with_bar_raiser: dict[str, Persona]) -> None:
    owners = Counter(q.id for p in with_bar_raiser.values() for q in p.questions)
    assert [qid for qid, n in owners.items() if n > 1] == []
    texts = Counter(q.text for p in with_bar_raiser.values() for q in p.questions)
    assert [t for t, n in texts.items() if n > 1] == [], "no two interviewers ask the same question"


@pytest.mark.parametrize("persona_id", [*DEFAULT_PANEL, "bar_raiser"])
def test_each_bank_is_a_full_second_round(persona_id: str, with_bar_raiser: dict[str, Persona]) -> None:
    persona = with_bar_raiser[persona_id]
    categories = Counter(q.category for q in persona.questions)
    assert set(categories) == CATEGORIES
    assert len(persona.questions) >= 24
    assert categories.most_common(1)[0][0] == "behavioural"
    assert 3 <= sum(q.curveball for q in persona.questions) <= 4
    assert sum("{skill}" in q.text for q in persona.questions) >= 5
    assert all(q.themes for q in persona.questions if q.category == "behavioural")
    assert len(persona.candidate_answers) >= 10
    assert {"structure", "consistency"} <= set(persona.weights)


@pytest.mark.parametrize("persona_id", [*DEFAULT_PANEL, "bar_raiser"])
def test_every_line_uses_only_slots_the_engine_fills(
    persona_id: str, with_bar_raiser: dict[str, Persona]
) -> None:
    persona = with_bar_raiser[persona_id]
    bad = [(where, sorted(slots(text) - allowed)) for where, text, allowed in lines_with_slots(persona)]
    assert [b for b in bad if b[1]] == []
    # Formatting the way the engine does must not fail on stray braces either.
    values = {s: "X" for s in JOB_SLOTS | HANDOFF_SLOTS | ANSWER_SLOTS}
    values |= {s: "X" for group in FOLLOW_UP_SLOTS.values() for s in group}
    for _, text, _ in lines_with_slots(persona):
        assert "{" not in text.format(**values)


@pytest.mark.parametrize("persona_id", [*DEFAULT_PANEL, "bar_raiser"])
def test_follow_ups_and_wrap_ups_have_variety(persona_id: str, with_bar_raiser: dict[str, Persona]) -> None:
    persona = with_bar_raiser[persona_id]
    assert all("{round_two_quote}" in line for line in persona.follow_ups.round_one_conflict)
    assert all("{note}" in line for line in persona.follow_ups.handoff_probe)
    assert all(len(lines) >= 2 for lines in persona.wrap_up.model_dump().values())
    assert len(persona.intro) >= 2 and len(persona.invite_questions) >= 2 and len(persona.handoff) >= 2


@pytest.mark.parametrize("persona_id", [*DEFAULT_PANEL, "bar_raiser"])
def test_salary_questions_are_deferred_to_the_offer_stage(
    persona_id: str, with_bar_raiser: dict[str, Persona]
) -> None:
    persona = with_bar_raiser[persona_id]
    salary = [a for a in persona.candidate_answers if "salary" in a.keywords]
    assert len(salary) == 1
    assert "recruiter" in salary[0].answer and "offer" in salary[0].answer
    assert all(k == k.lower() for a in persona.candidate_answers for k in a.keywords)


# Questions candidates commonly ask, and a word the topic of the prepared answer must contain.
COMMON_CANDIDATE_QUESTIONS = {
    "What would you want to see from me in my first ninety days?": "90 days",
    "What's the biggest challenge right now?": "challenge",
    "How would you describe the culture?": "culture",
    "What do you enjoy most about working here?": "enjoy",
    "How is performance measured?": "performance",
    "What do career growth paths look like?": "growth",
    "How does the team handle disagreement?": "disagree",
    "What does a typical week look like?": "week",
    "What do you wish you'd known when you joined?": "wish",
    "Is the team remote or hybrid?": "remote",
    "What does onboarding look like?": "onboarding",
    "What's the salary range for this role?": "salary",
}


def best_prepared_answer(persona: Persona, question: str) -> str | None:
    """The topic whose keywords overlap the question most (the earlier entry on a tie), as the brief asks."""
    asked = question.lower()
    hits = [
        sum(bool(re.search(rf"\b{re.escape(k)}", asked)) for k in a.keywords)
        for a in persona.candidate_answers
    ]
    best = max(hits)
    return persona.candidate_answers[hits.index(best)].topic if best else None


@pytest.mark.parametrize("persona_id", DEFAULT_PANEL)
def test_common_candidate_questions_find_the_prepared_answer(
    persona_id: str, shipped: dict[str, Persona]
) -> None:
    persona = shipped[persona_id]
    missed = {
        question: best_prepared_answer(persona, question)
        for question, expected in COMMON_CANDIDATE_QUESTIONS.items()
        if expected not in (best_prepared_answer(persona, question) or "")
    }
    assert missed == {}


def test_weights_follow_what_each_interviewer_judges(shipped: dict[str, Persona]) -> None:
    def heaviest(persona_id: str) -> set[str]:
        weights = shipped[persona_id].weights
        top = sorted(weights.values(), reverse=True)[:2]
        return {dim for dim, w in weights.items() if w >= top[-1]}

    assert (
        max(shipped["hiring_manager"].weights, key=shipped["hiring_manager"].weights.__getitem__)
        == "job_skills"
    )
    assert heaviest("skip_level") == {"long_term_potential", "pressure_and_ambiguity"}
    assert heaviest("cross_functional") == {"cross_functional_influence", "collaboration"}
    assert (
        max(shipped["team_member"].weights, key=shipped["team_member"].weights.__getitem__) == "collaboration"
    )


# ---------------------------------------------------------------- a fifth persona


def test_the_bar_raiser_drops_in_as_a_fifth_persona(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for path in PERSONAS.glob("*.yaml"):
        shutil.copy(path, tmp_path)
    shutil.copy(EXAMPLES / "bar_raiser.yaml", tmp_path)

    loaded = load_personas(tmp_path)
    assert sorted(loaded) == sorted([*DEFAULT_PANEL, "bar_raiser"])
    assert loaded["bar_raiser"].name == "Maren Solberg"

    # The app reads the folder named by ROUNDTWO_PERSONAS: the same drop-in works with no argument.
    monkeypatch.setenv("ROUNDTWO_PERSONAS", str(tmp_path))
    assert "bar_raiser" in load_personas()


def test_the_bar_raiser_is_not_part_of_the_default_panel() -> None:
    assert not (PERSONAS / "bar_raiser.yaml").exists()


# ---------------------------------------------------------------- broken copies


def broken_copy(tmp_path: Path, edit: object) -> Path:
    """Copy the four shipped personas, then break the hiring manager's file with `edit`."""
    for path in PERSONAS.glob("*.yaml"):
        shutil.copy(path, tmp_path)
    target = tmp_path / "hiring_manager.yaml"
    if callable(edit):
        data = yaml.safe_load(target.read_text(encoding="utf-8"))
        edit(data)
        target.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    else:
        target.write_text(str(edit), encoding="utf-8")
    return target


def load_error(tmp_path: Path) -> CatalogError:
    with pytest.raises(CatalogError) as caught:
        load_personas(tmp_path)
    return caught.value


def test_a_misspelt_key_names_the_file_and_both_fields(tmp_path: Path) -> None:
    target = broken_copy(tmp_path, lambda d: d.__setitem__("fallbak_answer", d.pop("fallback_answer")))
    error = load_error(tmp_path)
    assert f"{target}: fallbak_answer: unknown field" in error.errors
    assert f"{target}: fallback_answer: Field required" in error.errors
    assert str(target) in str(error)
    assert all(line.startswith(str(target)) for line in error.errors), "only the broken file is blamed"


def test_a_missing_field_names_the_file_and_field(tmp_path: Path) -> None:
    target = broken_copy(tmp_path, lambda d: d.pop("weights"))
    error = load_error(tmp_path)
    assert error.errors == [f"{target}: weights: Field required"]
    assert str(error) == f"{target}: weights: Field required"


def test_a_bad_category_names_the_question_by_its_id(tmp_path: Path) -> None:
    def bad_category(data: dict) -> None:
        data["questions"][2]["category"] = "technical"

    target = broken_copy(tmp_path, bad_category)
    error = load_error(tmp_path)
    assert len(error.errors) == 1
    assert error.errors[0].startswith(f"{target}: questions[hm_missed_commitment].category: Input should be")
    assert "'behavioural'" in error.errors[0]


def test_a_duplicate_question_id_is_named(tmp_path: Path) -> None:
    def duplicate(data: dict) -> None:
        data["questions"][5]["id"] = data["questions"][0]["id"]

    target = broken_copy(tmp_path, duplicate)
    error = load_error(tmp_path)
    assert str(target) in str(error)
    assert "question ids repeat: hm_hardest_delivery" in str(error)


def test_bad_yaml_names_the_file_and_line(tmp_path: Path) -> None:
    text = (PERSONAS / "hiring_manager.yaml").read_text(encoding="utf-8")
    target = broken_copy(tmp_path, text.replace("default_minutes: 30", "default_minutes: [30", 1))
    error = load_error(tmp_path)
    assert len(error.errors) == 1
    assert error.errors[0].startswith(f"{target}: line ")
    assert "invalid YAML" in error.errors[0]


def test_an_id_that_does_not_match_the_file_name_is_rejected(tmp_path: Path) -> None:
    target = broken_copy(tmp_path, lambda d: d.__setitem__("id", "manager"))
    error = load_error(tmp_path)
    assert error.errors == [f"{target}: id: 'manager' must match the file name 'hiring_manager'"]


def test_every_broken_file_is_reported_at_once(tmp_path: Path) -> None:
    broken_copy(tmp_path, lambda d: d.pop("weights"))
    (tmp_path / "team_member.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    error = load_error(tmp_path)
    assert {Path(line.split(":")[0]).name for line in error.errors} == {
        "hiring_manager.yaml",
        "team_member.yaml",
    }


# ---------------------------------------------------------------- example scripts


@pytest.fixture(scope="module", params=["backend_engineer", "product_manager"])
def script(request: pytest.FixtureRequest) -> dict:
    data = yaml.safe_load((EXAMPLES / f"{request.param}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_scripts_use_only_the_script_keys(script: dict) -> None:
    assert set(script) <= SCRIPT_KEYS
    assert {"job", "answers"} <= set(script)
    assert set(script["job"]) <= JOB_KEYS
    Job.model_validate(script["job"])
    assert 150 <= len(script["job"]["description"].split()) <= 250


def test_scripts_carry_a_concrete_round_one(script: dict) -> None:
    pairs = [QA.model_validate(pair) for pair in script["round_one"]]
    assert 6 <= len(pairs) <= 8
    assert all(any(ch.isdigit() for ch in pair.answer) for pair in pairs[:4]), (
        "round one has numbers to check"
    )


def test_scripts_name_a_real_panel_and_valid_settings(script: dict, shipped: dict[str, Persona]) -> None:
    panel = script.get("panel", list(DEFAULT_PANEL))
    assert set(panel) <= set(shipped)
    assert len(set(panel)) == len(panel)
    assert set(script.get("minutes", {})) <= set(panel)
    assert all(isinstance(m, int) for m in script.get("minutes", {}).values())
    assert script.get("pressure", "realistic") in {"gentle", "realistic", "tough"}
    assert isinstance(script.get("seed", 0), int)


def test_scripts_hold_enough_answers_and_questions(script: dict) -> None:
    answers, questions = script["answers"], script["candidate_questions"]
    assert 22 <= len(answers) <= 28
    assert all(isinstance(a, str) and a.strip() for a in answers)
    assert 5 <= len(questions) <= 6
    assert sum("salary" in q.lower() for q in questions) == 1


def test_the_two_scripts_exercise_different_settings() -> None:
    backend = yaml.safe_load((EXAMPLES / "backend_engineer.yaml").read_text(encoding="utf-8"))
    product = yaml.safe_load((EXAMPLES / "product_manager.yaml").read_text(encoding="utf-8"))
    assert backend["pressure"] == "realistic" and backend["panel"] == list(DEFAULT_PANEL)
    assert product["pressure"] == "tough" and len(product["panel"]) == 3
