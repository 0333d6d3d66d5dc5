"""The interviewers' answers to the candidate's questions, through the Python API.

Answers come from the job description, the research notes and the persona file: never a fact the
setup contradicts (a team size, an on-call rota, a tool, a way of working), on-topic questions
answered rather than deflected, and "thanks, no more questions" taken as what it is.

The contradiction checks below read the answers with their own patterns, not the engine's.
"""

from __future__ import annotations

import re

import pytest

from simulator.models import Job, Plan, Session, Slot
from simulator.orchestrator import Interview
from simulator.service import Toolkit

PANEL = ("hiring_manager", "team_member", "skip_level", "cross_functional")

ANALYST = Job(
    title="Senior Data Analyst",
    company="Lumenfield",
    level="Senior",
    description=(
        "Lumenfield's growth analytics team is a team of six analysts who sit with product and marketing. "
        "You will own the metrics behind onboarding and retention, build dashboards in Looker on top of "
        "Snowflake, and write SQL every day. You will design and analyse A/B tests with product managers "
        "and present the results to the leadership team. This is a fully remote role across European time zones."
    ),
    research_notes=(
        "Moving from nightly batch jobs to a new data platform on Snowflake and dbt this year. "
        "Raised a Series B in 2024 to expand into Germany and France. "
        "The CEO writes about making every team self-serve on data."
    ),
)
BACKEND = Job(
    title="Backend Engineer",
    company="Tollgate",
    description=(
        "Tollgate builds payment APIs for parking operators. You'll join a six-person platform team "
        "writing Go services on PostgreSQL. On-call one week in six, with a day off after a rough night. "
        "Hybrid: two days a week in our Leeds office."
    ),
    research_notes="Launched a contactless checkout product in 2025. Planning to enter the Spanish market next year.",
)
SUPPORT = Job(
    title="Customer Success Manager",
    company="Brightdesk",
    description=(
        "Our customer success team of four looks after 300 mid-market accounts. You will run onboarding, "
        "quarterly business reviews and renewals, working in Zendesk and Salesforce. Office-based in Dublin."
    ),
    research_notes="Churn fell from 14% to 9% last year after a new onboarding programme.",
)
JOBS = {"analyst": ANALYST, "backend": BACKEND, "support": SUPPORT}

# What candidates ask, batched by four: an interviewer closes after four questions.
QUESTIONS = [
    [
        "How big is the team?",
        "What tools and tech stack does the team use?",
        "What's the on-call like?",
        "Is the team remote or hybrid?",
    ],
    [
        "What's the biggest challenge right now?",
        "What does a typical week look like?",
        "Where is the company heading over the next two years?",
        "What do you wish you'd known when you joined?",
    ],
    [
        "How does the team handle disagreement?",
        "What would success look like in the first 90 days?",
        "How is performance measured?",
        "What does onboarding look like?",
    ],
]

NUMBER = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "eleven": 11, "twelve": 12}  # fmt: skip
N = r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
TEAM_SIZE = [
    rf"\bteam of {N}\b",
    rf"\b{N}[- ]person\b",
    rf"\bwe(?:'re| are) {N}\b",
    rf"\b{N} of us\b",
    rf"\b{N} (?:people|analysts|engineers) (?:on|in) (?:the|our) team\b",
]
ON_CALL = rf"\bone week in (?:every )?{N}\b"
TOOLS = ["Looker", "Snowflake", "dbt", "Tableau", "Power BI", "PostgreSQL", "MySQL", "Kafka", "Go", "Python",
         "Java", "Kubernetes", "AWS", "Zendesk", "Salesforce", "HubSpot", "Jira", "Figma", "BigQuery"]  # fmt: skip
MODES = {"remote": r"\bremote\b", "hybrid": r"\bhybrid\b", "office": r"\b(?:office|on-site|in person)\b"}


def numbers(pattern: str, text: str) -> set[int]:
    return {int(m) if m.isdigit() else NUMBER[m] for m in re.findall(pattern, text, re.I)}


def contradictions(answer: str, job: Job) -> list[str]:
    setup = f"{job.description} {job.research_notes}"
    found = []
    sizes = {n for p in TEAM_SIZE for n in numbers(p, answer)}
    if sizes - {n for p in TEAM_SIZE for n in numbers(p, setup)}:
        found.append(f"team size {sorted(sizes)}")
    rota = numbers(ON_CALL, answer)
    if rota - numbers(ON_CALL, setup):
        found.append(f"on-call one week in {sorted(rota)}")
    named = {t for t in TOOLS if re.search(rf"(?<!\w){re.escape(t)}(?!\w)", answer)}
    if named - {t for t in TOOLS if re.search(rf"(?<!\w){re.escape(t)}(?!\w)", setup)}:
        found.append(f"tools {sorted(named)}")
    stated = {m for m, p in MODES.items() if re.search(p, setup, re.I)}
    said = {m for m, p in MODES.items() if re.search(p, answer, re.I)}
    if stated and said - stated:
        found.append(f"works {sorted(said)} where the job says {sorted(stated)}")
    return found


def invited(kit: Toolkit, job: Job, persona_id: str, seed: int = 0) -> Interview:
    """One interviewer, already asking for the candidate's questions (two passes move them on)."""
    session = Session(
        id="0123456789ab",
        created_at="2026-01-01T00:00:00+00:00",
        job=job,
        plan=Plan(slots=[Slot(persona_id=persona_id, minutes=30)], seed=seed),
    )
    interview = Interview(session, kit.personas, kit.engine)
    interview.begin()
    interview.move_on()
    interview.move_on()
    assert interview.awaiting().kind == "candidate_question"
    return interview


def answers_to(kit: Toolkit, job: Job, persona_id: str, questions: list[str]) -> list[str]:
    interview = invited(kit, job, persona_id)
    out = []
    for question in questions:
        turns = interview.ask(question)
        out.append(next(t.text for t in turns if t.kind == "interviewer_answer"))
    return out


# ---------------------------------------------------------------- never contradicting the setup


@pytest.mark.parametrize("job_name", sorted(JOBS))
@pytest.mark.parametrize("persona_id", PANEL)
def test_no_answer_contradicts_the_job_description_or_research_notes(
    kit: Toolkit, job_name: str, persona_id: str
) -> None:
    job = JOBS[job_name]
    found = {}
    for batch in QUESTIONS:
        for question, answer in zip(batch, answers_to(kit, job, persona_id, batch), strict=True):
            problems = contradictions(answer, job)
            if problems:
                found[question] = (problems, answer)
    assert found == {}


def test_the_team_size_is_the_job_descriptions_not_an_invented_one(kit: Toolkit) -> None:
    [challenge, size] = answers_to(
        kit, ANALYST, "hiring_manager", ["What's the biggest challenge right now?", "How big is the team?"]
    )
    assert "seven people" not in challenge
    assert "team of six analysts" in size


def test_the_on_call_rota_and_the_stack_come_from_the_job(kit: Toolkit) -> None:
    [on_call, stack] = answers_to(
        kit, BACKEND, "team_member", ["What's on-call like?", "What's the tech stack?"]
    )
    assert "one week in six" in on_call and "one week in seven" not in on_call
    assert "Go services on PostgreSQL" in stack


# ---------------------------------------------------------------- on-topic questions answered


def test_a_four_year_team_member_knows_the_move_in_the_research_notes(kit: Toolkit) -> None:
    [answer] = answers_to(kit, ANALYST, "team_member", ["How is the move to the new data platform going?"])
    assert "new data platform on Snowflake and dbt" in answer
    assert "I don't know" not in answer


def test_the_experimentation_process_is_answered_from_the_job_description(kit: Toolkit) -> None:
    [answer] = answers_to(kit, ANALYST, "team_member", ["How does the team run experiments?"])
    assert "A/B tests with product managers" in answer


def test_the_director_answers_strategy_from_the_research_notes(kit: Toolkit) -> None:
    [answer] = answers_to(kit, ANALYST, "skip_level", ["What's the strategy for the next couple of years?"])
    assert "expand into Germany and France" in answer
    assert "not sure I'm the right person" not in answer


def test_what_an_interviewer_does_not_know_is_said_plainly(kit: Toolkit) -> None:
    [answer] = answers_to(kit, BACKEND, "cross_functional", ["Which framework do you use for the services?"])
    gaps = [g.says for g in kit.personas["cross_functional"].knowledge.does_not_know]  # type: ignore[union-attr]
    assert answer in gaps


# ---------------------------------------------------------------- thanks and "no more questions"


@pytest.mark.parametrize(
    "said",
    [
        "Thanks, no more questions from me.",
        "That's all from me, thank you.",
        "No, I'm good. You covered everything.",
        "nope",
    ],
)
def test_no_more_questions_closes_the_conversation_instead_of_being_answered(kit: Toolkit, said: str) -> None:
    interview = invited(kit, ANALYST, "hiring_manager")
    turns = interview.ask(said)
    assert [t.kind for t in turns] == ["candidate_question", "wrap_up", "handoff"]
    assert "half-answer" not in " ".join(t.text for t in turns)
    assert interview.awaiting().kind == "nothing"


def test_thanks_gets_a_reply_and_the_floor_stays_open(kit: Toolkit) -> None:
    interview = invited(kit, ANALYST, "skip_level")
    turns = interview.ask("Thank you, that's really helpful.")
    assert [t.kind for t in turns] == ["candidate_question", "interviewer_answer"]
    assert turns[1].text in kit.personas["skip_level"].knowledge.thanks  # type: ignore[union-attr]
    assert interview.awaiting().kind == "candidate_question"
    # Thanks did not use up one of the four questions an interviewer takes.
    for question in QUESTIONS[0][:3]:
        interview.ask(question)
    assert interview.awaiting().kind == "candidate_question"


def test_a_question_that_also_thanks_is_still_answered(kit: Toolkit) -> None:
    interview = invited(kit, ANALYST, "team_member")
    turns = interview.ask("Thanks! And how does the team run experiments?")
    assert "A/B tests" in turns[-1].text
