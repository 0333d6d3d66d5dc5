"""The second-round checklist over whole sessions, and that a rubric edit changes it with no code change."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from session_factory import (
    HM_LED,
    HM_OUTAGE,
    Q_HM_SALARY,
    Q_HM_SUCCESS,
    STRONG_LED,
    STRONG_OUTAGE,
    TM_DISAGREE,
    SessionBuilder,
    graded,
    personas,
    rubrics_copy,
    shipped_rubrics,
    strong_session,
    weak_session,
)

from simulator.catalog import CatalogError, Rubrics, load_rubrics
from simulator.grading.checklist import build_checklist
from simulator.models import ChecklistItem, Job, RoundOne, Session
from simulator.report import build_report

RETOLD = (
    "The invoicing move to Kafka is a good example again. Finance didn't report to me, but I needed them to "
    "accept a three-week shadow period before we switched off the cron batch. I showed them the daily "
    "comparison from the dual-write plan, and they agreed. Invoice delays went from a day to under ten "
    "minutes."
)
INFLUENCE = "Tell me about a time you had to win over people who didn't report to you."


def checklist(session: Session, rubrics: Rubrics | None = None) -> dict[str, ChecklistItem]:
    rubrics = rubrics or shipped_rubrics()
    items = build_checklist(session, personas(), rubrics.checklist, rubrics.candidate_questions)
    return {i.id: i for i in items}


def test_a_strong_loop_passes_every_check_that_applies() -> None:
    items = checklist(strong_session())
    assert list(items) == [i.id for i in shipped_rubrics().checklist.items]
    assert items.pop("thank_you_follow_up").status == "not_applicable"
    # Before the debrief there are no verdicts to weigh; the report below has them.
    assert items.pop("enough_signal").status == "not_applicable"
    failing = {k: v.evidence for k, v in items.items() if v.status != "pass"}
    assert failing == {}
    assert all(i.advice for i in items.values())
    assert any("As I mentioned in my first interview" in e for e in items["referenced_round_one"].evidence)
    assert any("Dockside" in e for e in items["referenced_company_specifics"].evidence)


def test_a_weak_loop_fails_the_classic_mistakes_with_quotes() -> None:
    items = checklist(weak_session())
    for failed in (
        "consistent_with_round_one",
        "engaged_every_interviewer",
        "good_questions",
        "no_salary_too_early",
        "no_overconfidence",
        "referenced_round_one",
        "referenced_company_specifics",
        "vague_stories_without_result",
    ):
        assert items[failed].status == "fail", failed
    consistency = " ".join(items["consistent_with_round_one"].evidence)
    assert (
        "I led a team of four engineers" in consistency
        and "leading a team of twelve engineers" in consistency
    )
    assert any("I'm the best person for this job" in e for e in items["no_overconfidence"].evidence)


def test_no_question_for_the_skip_level_fails_engagement_naming_them() -> None:
    items = checklist(weak_session())
    engaged = items["engaged_every_interviewer"]
    skip = personas()["skip_level"]
    missing = [e for e in engaged.evidence if e.startswith("No question for")]
    assert missing == [f"No question for {skip.name} ({skip.title})"]
    # "No, you covered everything" was said, and it is not a question.
    assert not any(skip.name in e for e in items["good_questions"].evidence)


def test_salary_asked_in_the_first_slot_fails_quoting_it() -> None:
    items = checklist(weak_session())
    salary = items["no_salary_too_early"]
    manager = personas()["hiring_manager"]
    assert salary.evidence == [f"Interviewer 1 of 3: {manager.name}, you asked: \u201c{Q_HM_SALARY}\u201d"]
    assert "offer" in salary.advice


def test_answering_an_interviewers_salary_question_is_not_raising_it() -> None:
    session = (
        SessionBuilder()
        .slot("hiring_manager")
        .ask("Before we go on: what are your salary expectations for this role?", "culture")
        .answer(
            "I've looked at what similar roles in the Baltic region pay, and a salary between 70 and 80 "
            "thousand euros would be right, but the work matters more to me.",
            graded(3, kind="culture"),
        )
        .build()
    )
    assert checklist(session)["no_salary_too_early"].status == "pass"


def same_story_session(second_interviewer: str) -> Session:
    b = SessionBuilder(story_bank=[])
    b.slot("hiring_manager")
    b.ask(HM_LED).answer(
        STRONG_LED, graded(5, result="We cut invoice delays from a full day to under ten minutes")
    )
    b.ask(HM_OUTAGE, "pressure").answer(STRONG_OUTAGE, graded(5, kind="pressure"))
    if second_interviewer != "hiring_manager":
        b.invite().candidate_asks(Q_HM_SUCCESS).close()
        b.slot(second_interviewer)
    b.ask(INFLUENCE).answer(RETOLD, graded(4, result="Invoice delays went from a day to under ten minutes"))
    return b.build()


def test_the_same_story_twice_to_one_interviewer_is_caught() -> None:
    item = checklist(same_story_session("hiring_manager"))["no_story_twice"]
    assert item.status == "fail"
    [evidence] = item.evidence
    assert evidence.startswith(personas()["hiring_manager"].name)
    assert "As I mentioned in my first interview" in evidence
    assert "The invoicing move to Kafka is a good example again." in evidence


def test_the_same_story_to_two_different_interviewers_is_fine() -> None:
    item = checklist(same_story_session("team_member"))["no_story_twice"]
    assert item.status == "pass"


def test_a_story_bank_entry_retold_twice_is_caught_even_in_new_words() -> None:
    b = SessionBuilder()  # the default story bank holds "Invoicing to Kafka: ..."
    b.slot("team_member")
    b.ask(TM_DISAGREE).answer(
        "Moving invoicing onto Kafka: four of us, five months, off the nightly cron batch. I argued with our "
        "finance lead about the cutover date and we settled on a shadow period. Delays went from a day to "
        "minutes.",
        graded(4),
    )
    b.ask(INFLUENCE).answer(
        "Again the invoicing work. The engineers on it did not report to me, but I got them to agree on the "
        "event format for Kafka by writing the schema first, and delays dropped from a full day to ten "
        "minutes.",
        graded(4),
    )
    item = checklist(b.build())["no_story_twice"]
    assert item.status == "fail"
    assert "Invoicing to Kafka" in item.evidence[0]


def test_story_bank_coverage_names_the_missing_theme() -> None:
    b = SessionBuilder(story_bank=[])
    b.slot("hiring_manager")
    b.ask(HM_OUTAGE, "pressure").answer(STRONG_OUTAGE, graded(5, kind="pressure"))
    item = checklist(b.build())["story_bank_coverage"]
    assert item.status == "fail"
    assert "Missing: failure and learning (no story showed it)" in item.evidence
    assert any(e.startswith("Covered: problem-solving under pressure") for e in item.evidence)
    skills = next(e for e in item.evidence if "the job's named skills" in e)
    assert "Python" in skills


def test_consistency_does_not_apply_without_a_round_one_record() -> None:
    session = strong_session(round_one=RoundOne())
    item = checklist(session)["consistent_with_round_one"]
    assert item.status == "not_applicable"
    assert "no round-one record" in item.evidence[0]


def test_vague_story_without_a_result_is_quoted() -> None:
    b = SessionBuilder()
    b.slot("team_member")
    b.ask(TM_DISAGREE).answer(
        "We had a long debate about the queue design, and we went back and forth for a while about it.",
        graded(2, situation="We had a long debate about the queue design", flags=["no_result"]),
    )
    item = checklist(b.build())["vague_stories_without_result"]
    assert item.status == "fail"
    assert "We had a long debate about the queue design" in item.evidence[0]
    assert item.evidence[-1] == "1 of 1 stories without a clear result"


def test_a_rubric_edit_changes_the_outcome(tmp_path: Path) -> None:
    session = strong_session()
    assert checklist(session)["referenced_company_specifics"].status == "pass"
    assert checklist(session)["no_story_twice"].status == "pass"

    directory = rubrics_copy(tmp_path)
    path = directory / "checklist.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for item in data["items"]:
        if item["id"] == "referenced_company_specifics":
            item["min_mentions"] = 12
        if item["id"] == "no_story_twice":
            item["similarity"] = 0.05  # any shared word would now be "the same story"
    data["items"] = [i for i in data["items"] if i["id"] != "thank_you_follow_up"]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    edited = checklist(session, load_rubrics(directory))
    assert edited["referenced_company_specifics"].status == "fail"
    assert "need 12" in edited["referenced_company_specifics"].evidence[0]
    assert edited["no_story_twice"].status == "fail"
    assert "thank_you_follow_up" not in edited


def test_a_candidate_questions_rubric_edit_changes_good_questions(tmp_path: Path) -> None:
    session = strong_session()
    directory = rubrics_copy(tmp_path)
    path = directory / "candidate_questions.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["good_at"] = 0.95
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert checklist(session, load_rubrics(directory))["good_questions"].status == "fail"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["items"][1].update(max_findingz=1), "items[consistent_with_round_one]"),
        (
            lambda d: d["items"].append(dict(d["items"][2])),
            "checklist item ids repeat: engaged_every_interviewer",
        ),
        (lambda d: d["debrief"]["verdicts"].update(hire=4.5), "strong_hire > hire > lean_no"),
        (
            lambda d: d["items"].append({"id": "be_punctual", "title": "x", "advice": "y" * 12}),
            "items[be_punctual]",
        ),
    ],
)
def test_a_bad_checklist_file_names_the_file_and_the_field(tmp_path: Path, change, message: str) -> None:  # type: ignore[no-untyped-def]
    directory = rubrics_copy(tmp_path)
    path = directory / "checklist.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_rubrics(directory)
    text = "\n".join(caught.value.errors)
    assert str(path) in text
    assert message in text


def test_a_full_loop_heard_enough_for_a_verdict() -> None:
    report = build_report(strong_session(), personas(), shipped_rubrics())
    item = next(i for i in report.checklist if i.id == "enough_signal")
    assert item.status == "pass"
    assert item.evidence[0] == "Strong hire: 8 graded answers from 3 interviewers; each gave a verdict."
    skip = personas()["skip_level"]
    assert f"{skip.name} ({skip.title}): 2 graded answers, hire" in item.evidence


PLUS = Job(
    title="Data Analyst",
    company="Plus",
    level="Mid",
    description="Plus is a budgeting app for households. You will build dashboards for the growth team.",
    research_notes="",
)


def company_check(answer: str, job: Job = PLUS) -> ChecklistItem:
    session = (
        SessionBuilder(job=job, round_one=RoundOne(), story_bank=[])
        .slot("hiring_manager")
        .ask(HM_LED)
        .answer(answer, graded(3))
        .build()
    )
    return checklist(session)["referenced_company_specifics"]


@pytest.mark.parametrize(
    "answer",
    [
        "At my last job I was on 75k plus a bonus, and I led the reporting rebuild for the sales team.",
        "I rebuilt our churn dashboard. Plus, I trained four analysts to maintain it.",
        "I cut the reporting time from two days to four hours, which was a plus for everyone.",
    ],
)
def test_a_company_named_like_an_everyday_word_is_not_found_in_that_word(answer: str) -> None:
    item = company_check(answer)
    assert item.status == "fail"
    assert item.evidence[0] == "you mentioned 0 of the company's own terms; need 1"


@pytest.mark.parametrize(
    ("answer", "quoted"),
    [
        ("I've used Plus every month since 2022 to track our household bills.", "I've used Plus every month"),
        ("Plus's onboarding is the reason I applied: it took me two minutes.", "Plus's onboarding"),
        ("What I'd want to bring to Plus is the cohort analysis I built for my last team.", "bring to Plus"),
    ],
)
def test_the_company_name_used_as_a_name_counts(answer: str, quoted: str) -> None:
    item = company_check(answer)
    assert item.status == "pass"
    assert quoted in item.evidence[0] and item.evidence[0].endswith("(mentions Plus)")


def test_a_two_word_company_counts_in_full_possessive_or_short() -> None:
    bank = PLUS.model_copy(
        update={"company": "Fernhill Bank", "description": "Reporting for retail banking."}
    )
    assert company_check("I read Fernhill Bank's annual report before today.", bank).status == "pass"
    assert company_check("I have followed Fernhill since its mobile launch.", bank).status == "pass"
    assert company_check("We rebuilt the fern hill reporting in a week.", bank).status == "fail"


def test_a_graded_answer_is_read_by_the_graders_flag_not_by_pay_or_praise_words() -> None:
    # Pay words in an HR story and a manager's praise quoted: the grader knows whose they are.
    session = (
        SessionBuilder()
        .slot("hiring_manager")
        .ask("Tell me about a time you used data to change a decision.")
        .answer(
            "As the HR analyst I ran a salary survey of twelve local employers and found our band 6 pay "
            "was 8% under the market, so the board approved a retention premium and leavers fell from "
            "fourteen to five.",
            graded(4),
        )
        .ask("What would your last manager say about you?", "culture")
        .answer(
            "My manager said I'm the best analyst she's worked with, but I think it was the team around me.",
            graded(3, kind="culture"),
        )
        .build()
    )
    items = checklist(session)
    assert items["no_salary_too_early"].status == "pass"
    assert items["no_overconfidence"].status == "pass"


def test_a_graded_answer_the_grader_flags_for_pay_fails_the_check() -> None:
    session = (
        SessionBuilder()
        .slot("hiring_manager")
        .ask("Tell me about a time you improved a process.")
        .answer(
            "I automated the month-end close and cut it from six days to three. Around 95 to 105 thousand, "
            "plus equity, would make the move worth it for me.",
            graded(3, flags=["salary_too_early"]),
        )
        .build()
    )
    item = checklist(session)["no_salary_too_early"]
    assert item.status == "fail"
    assert item.evidence[0].startswith("Interviewer 1 of 1:")
