"""Role-specific question banks: personas/banks/<family>.yaml, chosen from the job.

What a user relies on: a data analyst is asked analyst questions (not "shipping without tests"),
each of the six families gets questions written for it from every interviewer, a persona file can add
its own, and a broken bank file is named with its field by `personas check`.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from simulator.catalog import DEFAULT_PANEL, ROOT, CatalogError, load_personas
from simulator.cli.main import main
from simulator.models import Job, Plan, Session, Slot
from simulator.orchestrator import Interview
from simulator.service import Toolkit
from simulator.skills import job_family

PERSONAS = ROOT / "personas"
BANKS = PERSONAS / "banks"
FAMILIES = (
    "software_engineering",
    "data_analytics",
    "product_management",
    "design",
    "marketing_sales",
    "operations_customer_success",
)
JOBS = {
    "software_engineering": Job(
        title="Backend Engineer", company="Tollgate", description="Build payment APIs in Go on PostgreSQL."
    ),
    "data_analytics": Job(
        title="Senior Data Analyst",
        company="Lumenfield",
        description="Own retention metrics, write SQL daily, build dashboards in Looker, analyse A/B tests.",
    ),
    "product_management": Job(
        title="Senior Product Manager",
        company="Orchard",
        description="Own the roadmap for checkout; run product discovery with design and engineering.",
    ),
    "design": Job(
        title="Product Designer",
        company="Orchard",
        description="Design flows in Figma, run usability tests and contribute to our design system.",
    ),
    "marketing_sales": Job(
        title="Growth Marketing Manager",
        company="Brightdesk",
        description="Plan campaigns across paid and lifecycle channels and own the lead funnel in HubSpot.",
    ),
    "operations_customer_success": Job(
        title="Customer Success Manager",
        company="Brightdesk",
        description="Look after 300 accounts: onboarding, renewals and churn, working in Zendesk.",
    ),
}
# Words that make a question an engineering one.
ENGINEERING = re.compile(
    r"\b(?:pull request|code review|tests?|test suite|ticket|deploy\w*|endpoint|codebase|schema)\b", re.I
)
GENERIC_ANSWER = (
    "At my last company I noticed our weekly report was wrong, so I rebuilt the query myself, "
    "checked it against finance's figures and cut the error from 8% to under 1% within a month."
)


def asked(kit: Toolkit, job: Job, persona_id: str, answers: int, seed: int = 0) -> list[tuple[str, str]]:
    """(question id, text) of every question one interviewer asks over `answers` answers."""
    session = Session(
        id="0123456789ab",
        created_at="2026-01-01T00:00:00+00:00",
        job=job,
        plan=Plan(slots=[Slot(persona_id=persona_id, minutes=60)], seed=seed, pressure="gentle"),
    )
    interview = Interview(session, kit.personas, kit.engine)
    interview.begin()
    for _ in range(answers):
        if interview.awaiting().kind != "answer":
            break
        interview.answer(GENERIC_ANSWER)
    return [(t.question_id or "", t.text) for t in session.turns if t.kind == "question"]


# ---------------------------------------------------------------- the shipped banks


def test_six_families_ship_a_bank_for_every_interviewer(kit: Toolkit) -> None:
    assert sorted(p.stem for p in BANKS.glob("*.yaml")) == sorted(FAMILIES)
    for family in FAMILIES:
        for persona_id in DEFAULT_PANEL:
            questions = kit.personas[persona_id].family_questions.get(family, [])  # type: ignore[call-overload]
            assert len(questions) >= 2, (family, persona_id)
        manager = kit.personas["hiring_manager"].family_questions[family]  # type: ignore[index]
        peer = kit.personas["team_member"].family_questions[family]  # type: ignore[index]
        assert any(q.category == "case" for q in manager), family  # a case prompt
        assert any(q.category == "case" for q in peer), family  # a work sample


def test_bank_question_ids_and_texts_are_unique_across_the_panel(kit: Toolkit) -> None:
    every = [
        q for p in kit.personas.values() for qs in [p.questions, *p.family_questions.values()] for q in qs
    ]
    assert [i for i, n in Counter(q.id for q in every).items() if n > 1] == []
    assert [t for t, n in Counter(q.text for q in every).items() if n > 1] == []


@pytest.mark.parametrize("family", FAMILIES)
def test_the_family_is_read_from_the_job(family: str) -> None:
    assert job_family(JOBS[family]) == family


def test_a_job_no_family_fits_gets_the_general_bank(kit: Toolkit) -> None:
    chef = Job(title="Head Chef", company="Brasserie Nord", description="Run a kitchen of twelve.")
    assert job_family(chef) is None
    ids = [qid for qid, _ in asked(kit, chef, "team_member", 6)]
    general = {q.id for q in kit.personas["team_member"].questions}
    assert ids and set(ids) <= general


# ---------------------------------------------------------------- questions that fit the job


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_team_member_asks_an_analyst_no_engineering_questions(kit: Toolkit, seed: int) -> None:
    questions = asked(kit, JOBS["data_analytics"], "team_member", 10, seed=seed)
    assert len(questions) >= 6
    engineering = [text for _, text in questions if ENGINEERING.search(text)]
    assert engineering == []
    assert sum(qid.startswith("da_") for qid, _ in questions) >= 3


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_hears_its_own_questions_early(kit: Toolkit, family: str) -> None:
    bank = {q.id for q in kit.personas["hiring_manager"].family_questions[family]}  # type: ignore[index]
    first = [qid for qid, _ in asked(kit, JOBS[family], "hiring_manager", 4)]
    assert len(set(first[:4]) & bank) >= 2, first


def test_engineers_still_get_the_engineering_work_samples(kit: Toolkit) -> None:
    ids = {
        qid
        for seed in range(3)
        for qid, _ in asked(kit, JOBS["software_engineering"], "team_member", 12, seed)
    }
    assert ids & {
        "tm_case_review_sample",
        "tm_case_flaky_checks",
        "tm_pressure_vague_ticket",
        "se_tm_review_this",
    }


# ---------------------------------------------------------------- a persona file adds its own


def copy_personas(tmp_path: Path) -> Path:
    shutil.copytree(PERSONAS, tmp_path / "personas")
    return tmp_path / "personas"


def test_a_persona_file_can_add_its_own_family_questions(tmp_path: Path) -> None:
    folder = copy_personas(tmp_path)
    target = folder / "team_member.yaml"
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    data["family_questions"] = {
        "design": [
            {
                "id": "tm_own_design_pairing",
                "text": "How would you and I pair on a design review when we both disagree on the flow?",
                "category": "case",
                "competency": "collaboration",
            }
        ]
    }
    target.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    design = load_personas(folder)["team_member"].family_questions["design"]
    ids = [q.id for q in design]
    assert ids[0] == "tm_own_design_pairing" and "de_tm_critique" in ids


# ---------------------------------------------------------------- broken banks


def break_bank(folder: Path, edit: object) -> Path:
    target = folder / "banks" / "data_analytics.yaml"
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    edit(data)  # type: ignore[operator]
    target.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return target


def test_a_bad_category_names_the_bank_file_the_persona_and_the_question(tmp_path: Path) -> None:
    folder = copy_personas(tmp_path)
    target = break_bank(folder, lambda d: d["questions"]["team_member"][0].__setitem__("category", "sql"))
    with pytest.raises(CatalogError) as caught:
        load_personas(folder)
    assert caught.value.errors[0].startswith(f"{target}: questions.team_member[da_tm_messy_query].category:")


def test_an_id_already_used_by_a_persona_is_refused(tmp_path: Path) -> None:
    folder = copy_personas(tmp_path)
    target = break_bank(folder, lambda d: d["questions"]["team_member"][0].__setitem__("id", "tm_best_team"))
    with pytest.raises(CatalogError) as caught:
        load_personas(folder)
    assert caught.value.errors == [
        f"{target}: questions.team_member[tm_best_team].id: already used in team_member.yaml"
    ]


def test_personas_check_covers_the_banks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["personas", "check"]) == 0
    assert "role-specific" in capsys.readouterr().out
    folder = copy_personas(tmp_path)
    target = break_bank(folder, lambda d: d.__setitem__("family", "design"))
    assert main(["personas", "check", str(folder)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"{target}: family: 'design' must match the file name 'data_analytics'"
    )
