"""STAR parts, structure, question kinds and the rubric file behind them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from grading_support import grade, rubrics, star_rows

from simulator.catalog import ROOT, CatalogError, load_rubrics
from simulator.grading.evaluation import evaluate_star, star_request
from simulator.grading.grader import grade_answer
from simulator.grading.kinds import infer_kind

STRONG = (
    "At my previous company, a mid-sized online grocer, our checkout API had started timing out during the "
    "Friday evening peak, and we were losing orders. As the engineer on call that quarter, I was responsible "
    "for getting p95 latency back under our 500 ms target before the holiday season. I profiled the service "
    "and found that every request re-fetched the full product catalogue from the database. I added a "
    "read-through cache in Redis and rolled it out behind a feature flag to 10% of users first. p95 latency "
    "dropped from 1.8 seconds to 320 ms, and abandoned checkouts fell by about 15% over the next month."
)
SPOKEN = (
    "um so this was at my last job in a hotel, I was the night manager, and uh we had a coach party of like "
    "forty guests turn up at two in the morning and the booking had been lost so my job was "
    "basically to find "
    "them rooms fast and I called the two sister hotels nearby and I got taxis booked for twelve of "
    "them and I "
    "put the rest in the rooms we had held back for late arrivals and so yeah by three everyone was "
    "in a room "
    "and the tour company actually sent us their whole summer programme after that"
)
WE_STORY = (
    "The app redesign at my last job was a big one. We rebuilt the onboarding flow, we ran user interviews, "
    "we built prototypes and we tested them with customers. We shipped it in the spring and signups went up "
    "by 20 percent."
)
GENERIC = (
    "I'm a real team player and I always make sure everyone is heard. In general I think "
    "communication is the "
    "most important thing, so I try to keep everyone in the loop and I'm very collaborative."
)
HYPOTHETICAL = (
    "I would first figure out why the deadline was going to be missed. Then I'd talk to the stakeholders and "
    "explain the situation honestly, and I would propose a new date with a clear plan. I'd keep "
    "everyone updated."
)


def test_a_complete_story_scores_every_part_with_the_answers_own_words() -> None:
    g = grade("Tell me about a time you improved the performance of a system.", STRONG)
    assert g.status == "graded" and g.question_kind == "behavioural"
    assert {part: c.score >= 0.5 for part, c in g.star.items()} == {
        "situation": True,
        "task": True,
        "action": True,
        "result": True,
    }
    assert any("timing out during the Friday evening peak" in e for e in g.star["situation"].evidence)
    assert any("I was responsible" in e for e in g.star["task"].evidence)
    assert any("I profiled the service" in e for e in g.star["action"].evidence)
    assert any("dropped from 1.8 seconds to 320 ms" in e for e in g.star["result"].evidence)
    assert g.overall == 5 and g.structure is not None and g.structure >= 0.8
    assert g.flags == []


def test_a_spoken_run_on_answer_is_split_and_quoted_verbatim_with_its_fillers() -> None:
    # How the rules cut a run-on answer into clauses and quote it: what both readers build on.
    g = grade("Tell me about a time you handled a crisis.", SPOKEN, rules_only=True)
    assert all(c.score >= 0.5 for c in g.star.values())
    for component in g.star.values():
        for quote in component.evidence:
            assert quote in SPOKEN  # highlightable in what was said, "um" and all
            assert len(quote.split()) <= rubrics().star.transcript.quote_words
    assert any("I called the two sister hotels nearby" in e for e in g.star["action"].evidence)
    assert any("by three everyone was in a room" in e for e in g.star["result"].evidence)


def test_structure_ranks_a_full_story_above_a_we_story_above_a_generic_claim() -> None:
    question = "Tell me about a project you're proud of."
    strong, we, generic = (grade(question, a) for a in (STRONG, WE_STORY, GENERIC))
    assert strong.structure > we.structure > generic.structure  # type: ignore[operator]
    assert strong.overall > we.overall > generic.overall  # type: ignore[operator]
    assert "we_not_i" in we.flags
    assert "vague" in generic.flags


def test_a_generic_claim_scores_one() -> None:
    assert grade("Tell me about a project you're proud of.", GENERIC).overall == 1


def test_a_hypothetical_answer_is_flagged_and_capped() -> None:
    g = grade("Tell me about a time you dealt with a missed deadline.", HYPOTHETICAL)
    assert "hypothetical" in g.flags
    assert g.overall is not None and g.overall <= rubrics().star.caps["hypothetical"]
    assert all(c.score < 0.5 for c in g.star.values())


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Tell me about a time you disagreed with your manager.", "behavioural"),
        ("Give me an example of a project that failed.", "behavioural"),
        ("Have you ever had to fire someone?", "behavioural"),
        ("How would you design a rate limiter for our public API?", "case"),
        ("Estimate how many cups of coffee are sold in London each day.", "case"),
        ("How do you approach code reviews?", "skills"),
        ("What's the difference between a process and a thread?", "skills"),
        ("Why do you want to work here?", "culture"),
        ("What kind of culture do you do your best work in?", "culture"),
        ("Where do you see yourself in five years?", "potential"),
        ("What would you do if two directors gave you conflicting priorities?", "pressure"),
    ],
)
def test_the_question_kind_comes_from_its_wording(question: str, kind: str) -> None:
    assert infer_kind(question, rubrics().star) == kind


def test_why_the_company_by_name_is_a_culture_question() -> None:
    assert infer_kind("Why Northwind?", rubrics().star, company="Northwind") == "culture"


def test_the_personas_tag_wins_over_the_wording() -> None:
    g = grade("Tell me about a time you disagreed with your manager.", STRONG, kind="skills")
    assert g.question_kind == "skills"


CASE = (
    "First I'd want to check whether the drop is real: did anything change in how we log events? "
    "Assuming the "
    "data is sound, I'd break the drop down by platform, country and user tenure. The trade-off is "
    "speed versus "
    "depth: a quick segment cut gets us a hypothesis in a day, a full cohort analysis takes a week. I'd "
    "recommend the quick cut first and going deep only on the segment that explains most of the drop."
)


def test_a_case_answer_is_graded_on_reasoning_and_never_for_lacking_star() -> None:
    g = grade("Our weekly active users dropped 10% last month. How would you investigate?", CASE)
    assert g.question_kind == "case"
    assert g.star == {}  # no STAR parts to be missing
    assert "hypothetical" not in g.flags  # "I'd" is the right register for a case
    assert {"clarifies_problem", "states_approach", "weighs_tradeoffs", "recommendation"} <= set(g.dimensions)
    assert all(g.dimensions[c] >= 0.5 for c in ("clarifies_problem", "states_approach", "weighs_tradeoffs"))
    assert g.overall is not None and g.overall >= 4


def test_a_thin_case_answer_scores_low_on_the_same_rubric() -> None:
    g = grade(
        "How would you design a system to send a million notifications a day?",
        "I would use a queue and some workers. Then the notifications get sent. It should scale fine "
        "in the cloud.",
    )
    assert g.dimensions["clarifies_problem"] < 0.5 and g.dimensions["weighs_tradeoffs"] < 0.5
    assert g.overall is not None and g.overall <= 2


def test_a_potential_question_answered_with_a_story_is_graded_as_a_story() -> None:
    story = grade("What have you learned from a senior leader?", STRONG, kind="potential")
    plan = grade(
        "Where do you see yourself in five years?",
        "In five years I'd like to lead a small team. I'd start by taking on the on-call lead next "
        "year and I'd "
        "ask to mentor the next two hires. The trade-off is that I'd code less. So my plan is to grow into a "
        "tech lead role first.",
        kind="potential",
    )
    assert story.question_kind == plan.question_kind == "potential"
    assert set(story.star) == {"situation", "task", "action", "result"}
    assert plan.star == {} and "states_approach" in plan.dimensions
    assert "hypothetical" not in plan.flags


def test_a_skills_question_that_asks_for_an_example_gets_a_star_grade_for_a_story() -> None:
    g = grade("Tell me about a tool or practice you championed and later dropped.", STRONG, kind="skills")
    assert g.question_kind == "skills" and g.star["result"].score >= 0.5


def test_a_culture_answer_is_graded_on_specifics_and_values() -> None:
    specific = grade(
        "Why do you want to work at Northwind?",
        "I've used Northwind's inventory app for two years, and a bug we reported in March was fixed "
        "within a "
        "week with a note explaining the cause. I care a lot about that kind of openness with "
        "customers; at my "
        "last company I started publishing our release notes with the reasons behind each change.",
        company="Northwind",
    )
    generic = grade(
        "Why do you want to work here?",
        "It seems like a great company with a positive culture and good growth opportunities for me.",
    )
    assert specific.question_kind == generic.question_kind == "culture"
    assert specific.dimensions["specifics"] >= 0.5 and specific.dimensions["values_shown"] >= 0.5
    assert generic.dimensions["specifics"] < 0.5
    assert specific.overall > generic.overall  # type: ignore[operator]


def test_grading_is_deterministic_and_records_what_it_used() -> None:
    first = grade("Tell me about a time you improved something.", SPOKEN)
    second = grade("Tell me about a time you improved something.", SPOKEN)
    assert first == second
    assert first.grader.engine == "offline"
    assert first.grader.model.startswith("rules+semantic@")  # the heads' version is recorded with the grade
    assert first.grader.rubric_version == rubrics().version
    assert "star@" in first.grader.rubric_version and "consistency@" in first.grader.rubric_version


def test_every_evidence_quote_in_the_dev_set_is_verbatim() -> None:
    for row in star_rows():
        g = grade_answer(star_request(row), rubrics())
        for component in g.star.values():
            for quote in component.evidence:
                assert quote and quote in row["answer"], (row["id"], quote)


def test_dev_set_star_components_meet_the_target() -> None:
    # The rules were tuned on this set; it holds them (the fallback and an input to the semantic heads)
    # to their figures. The grade by meaning is measured on the held-out sets by bench/quality.py.
    report = evaluate_star(star_rows(), rubrics(), use_meaning=False)
    assert report.component_f1 >= 0.85, report.misses
    for part, tally in report.components.items():
        assert tally.f1 >= 0.8, (part, report.misses)
    assert report.kind_correct == report.kinds_checked
    flags = report.flag_total()
    assert flags.precision >= 0.85 and flags.recall >= 0.85, report.misses


def _copy_rubrics(tmp_path: Path) -> Path:
    target = tmp_path / "rubrics"
    shutil.copytree(ROOT / "rubrics", target)
    return target


def _edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


ODD_RESULT = (
    "Last spring our team's release notes kept going out with mistakes. I was asked to fix the "
    "process. I wrote "
    "a checklist, I set up a review with support before each release, and I paired with the writer for two "
    "releases. And the whole thing went swimmingly."
)


def test_a_rubric_edit_changes_the_grade_with_no_code_change(tmp_path: Path) -> None:
    question = "Tell me about a time you fixed a process."
    before = grade(question, ODD_RESULT)
    assert before.star["result"].score < 0.5

    folder = _copy_rubrics(tmp_path)

    def add_cue(data: dict) -> None:
        data["version"] = "9.1"
        data["parts"]["result"]["cues"].append({"weight": 0.8, "patterns": ["went swimmingly"]})

    _edit(folder / "star.yaml", add_cue)
    edited = load_rubrics(folder)
    after = grade(question, ODD_RESULT, with_rubrics=edited)
    assert after.star["result"].score >= 0.5 and "no_result" not in after.flags
    assert any("went swimmingly" in e for e in after.star["result"].evidence)
    current = f"star@{rubrics().star.version}"
    assert "star@9.1" in after.grader.rubric_version and current in before.grader.rubric_version


def test_an_anchor_edit_moves_the_overall_score(tmp_path: Path) -> None:
    # The anchored scale places the rules' composite (non-story answers, and the grade by rules alone);
    # a story's level by meaning comes from the cuts `make train` writes to semantic_heads.json.
    question = "Tell me about a time you improved the performance of a system."
    assert grade(question, STRONG, rules_only=True).overall == 5
    folder = _copy_rubrics(tmp_path)

    def raise_the_bar(data: dict) -> None:
        for level in data["scale"]:
            if level["score"] == 5:
                level["min_composite"] = 0.99
                level["anchor"] = "Flawless: reserved for answers that could be used as a teaching example."

    _edit(folder / "star.yaml", raise_the_bar)
    assert grade(question, STRONG, with_rubrics=load_rubrics(folder), rules_only=True).overall == 4


def test_a_broken_cue_in_the_rubric_fails_at_load_naming_the_file_and_field(tmp_path: Path) -> None:
    folder = _copy_rubrics(tmp_path)
    _edit(folder / "star.yaml", lambda d: d["parts"]["task"]["cues"][0]["patterns"].append("my (job"))
    with pytest.raises(CatalogError) as caught:
        load_rubrics(folder)
    line = caught.value.errors[0]
    assert "star.yaml" in line and "parts.task.cues" in line and "my (job" in line


# ---------------------------------------------------------------- one clause, one part

SCANNERS = (
    "The rollout I'd pick is the handheld scanner project I led at Brackwell last year. Our mis-pick rate "
    "had crept up to about 4% across the four depots, and two supermarket customers had started fining us "
    "for wrong deliveries. As depot operations lead, the rollout plan was mine. I ran a three-week pilot at "
    "the smallest depot, I rewrote the picking checklist around the scanners, and I trained the shift leads "
    "myself. In the end we cut mis-picks by 70%, and the fines stopped within two months. The scanners also "
    "made stock counts quicker: a full count went from two days to one."
)


def test_a_clause_is_quoted_for_the_part_it_shows_best() -> None:
    g = grade("Tell me about a project you led.", SCANNERS)
    situation, action, result = (g.star[p].evidence for p in ("situation", "action", "result"))
    scene = "The rollout I'd pick is the handheld scanner project I led at Brackwell last year"
    assert scene in situation
    assert not any(scene in quote for quote in action)  # its "I led" does not make it an action as well
    # A figure for how things stood before is the situation, not a result.
    assert any("had crept up to about 4%" in quote for quote in situation)
    assert not any("had crept up" in quote for quote in result)
    assert all(quote in SCANNERS for part in g.star.values() for quote in part.evidence)


def test_an_ownership_statement_is_the_task() -> None:
    g = grade("Tell me about a project you led.", SCANNERS)
    assert g.star["task"].score >= rubrics().star.present_at
    assert any("the rollout plan was mine" in quote for quote in g.star["task"].evidence)
    shift = grade(
        "Tell me about a time you handled a crisis.",
        "so the kitchen flooded on a Saturday night, two hours before service. I was the sous chef and the "
        "head chef was away, so it was on me. I moved the prep upstairs, rang the plumber and cut the menu "
        "to six dishes, and we did every booking that night.",
    )
    assert shift.star["task"].score >= rubrics().star.present_at
    assert any("it was on me" in quote for quote in shift.star["task"].evidence)


def test_a_result_stated_after_the_change_is_a_result_not_a_starting_state() -> None:
    g = grade(
        "Tell me about a time you cleared a backlog.",
        "When I joined the accounts team there were about 300 unpaid supplier invoices. My job was to clear "
        "them before the audit. I sorted them by supplier and rang the five biggest myself to agree payment "
        "plans. By the time the auditors arrived the backlog was down to 40, and they had no findings on "
        "payables.",
    )
    assert "no_result" not in g.flags
    assert any("was down to 40" in quote for quote in g.star["result"].evidence)
