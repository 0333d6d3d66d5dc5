"""Shared fixtures. Every test gets its own ROUNDTWO_HOME, so none touches a real user's data."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from simulator.grading.rubric import PartName
from simulator.models import (
    QA,
    AnswerGrade,
    ChecklistItem,
    Consistency,
    Finding,
    GraderInfo,
    HandoffNote,
    Job,
    Plan,
    RoundOne,
    Scorecard,
    Session,
    Slot,
    StarComponent,
    ThankYouDraft,
    Turn,
    Verdict,
    WrapUpSigns,
)
from tests.suite_timing import SuiteTiming, rewrite_slow_files

if TYPE_CHECKING:
    from simulator.service import Toolkit

BROWSER_WAIT_MS = (
    60_000  # how long a browser test's expect() may wait: a ceiling on busy cores, not a measure
)


@pytest.fixture(autouse=True)
def _browser_wait_ceiling(request: pytest.FixtureRequest) -> None:
    """Every browser test gets the same ceiling, whatever file ran before it on this worker (expect's
    timeout is one setting for the whole process, and some files lower it for their own fixtures)."""
    if request.node.get_closest_marker("browser") is None:
        return
    from playwright.sync_api import expect

    expect.set_options(timeout=BROWSER_WAIT_MS)


SLOW_FILES = Path(__file__).with_name("slow_files.txt")


def slowest_first() -> dict[str, int]:
    """The measured slowest test files (tests/slow_files.txt), each with its place in that list."""
    lines = SLOW_FILES.read_text(encoding="utf-8").splitlines()
    paths = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return {path: place for place, path in enumerate(paths)}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under `make test` (pytest-xdist, whole files per worker, in this order): the files measured
    slowest first (tests/slow_files.txt), then the other browser files, then the files with the most
    tests. The longest files start first, so no worker is left running one long file alone at the end
    while the other idles. A run without workers keeps pytest's order."""
    if not hasattr(config, "workerinput"):  # set on xdist's workers only
        return
    counts = Counter(item.path for item in items)
    browser = {item.path for item in items if item.get_closest_marker("browser")}
    measured = slowest_first()
    place = {
        path: measured.get(path.relative_to(config.rootpath).as_posix(), len(measured)) for path in counts
    }
    items.sort(key=lambda item: (place[item.path], item.path not in browser, -counts[item.path]))


_TIMING = SuiteTiming()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    node = getattr(report, "node", None)  # under xdist, on the controller: the worker that ran it
    _TIMING.add(report.nodeid, report.duration, node.gateway.id if node is not None else None)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """When each worker finished (one left alone for long: tests/slow_files.txt has drifted); with
    ROUNDTWO_SLOW_FILES=write, that list rewritten from this run (tests/suite_timing.py)."""
    if hasattr(config, "workerinput"):
        return
    for line in _TIMING.worker_lines():
        terminalreporter.write_line(line)
    if os.environ.get("ROUNDTWO_SLOW_FILES") == "write":
        rewrite_slow_files(SLOW_FILES, _TIMING.slowest_files())
        terminalreporter.write_line(f"{SLOW_FILES} rewritten from this run's times")


@pytest.fixture(scope="module")
def kit() -> Toolkit:
    """The offline engine with the shipped personas and rubrics, loaded once per test file."""
    from simulator.service import Toolkit  # imported here: most test files never need the service

    return Toolkit.load("offline")


@pytest.fixture(autouse=True)
def roundtwo_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "roundtwo-home"
    monkeypatch.setenv("ROUNDTWO_HOME", str(home))
    return home


@pytest.fixture
def sample_session() -> Session:
    """A finished two-interviewer session, built by hand: every turn kind, graded answers
    (one with a round-one contradiction, one ungradable), and the whole report filled in."""
    return build_sample_session()


# ---------------------------------------------------------------- the sample session

RULES = GraderInfo(engine="offline", model="rules", rubric_version="star@1 consistency@1")

SAMPLE_JOB = Job(
    title="Senior Data Engineer",
    company="Tidewater Logistics",
    level="Senior",
    description=(
        "Own the batch and streaming pipelines behind our shipment tracking. Airflow, dbt and Kafka; "
        "on-call for the data platform one week in six."
    ),
    research_notes="They moved from nightly batches to near-real-time tracking last year.",
)

SAMPLE_ROUND_ONE = RoundOne(
    answers=[
        QA(
            question="Tell me about a project you led.",
            answer=(
                "I led a team of five engineers to rebuild the nightly billing pipeline. We cut the run "
                "time from six hours to ninety minutes over two quarters."
            ),
        ),
        QA(
            question="Why are you leaving your current job?",
            answer="I want to work on streaming data; my current team is batch only.",
        ),
    ],
    notes="The recruiter said the second round is four people back to back.",
)


def _graded(
    kind: str,
    overall: int,
    structure: float,
    star: dict[PartName, tuple[float, list[str]]],
    feedback: list[str],
    **more: Any,
) -> AnswerGrade:
    """A graded answer from the offline rules: STAR parts as (score, evidence) pairs."""
    return AnswerGrade(
        status="graded",
        question_kind=kind,
        overall=overall,
        structure=structure,
        star={
            part: StarComponent(score=score, evidence=evidence) for part, (score, evidence) in star.items()
        },
        feedback=feedback,
        grader=RULES,
        **more,
    )


def _grade_pipeline_failure() -> AnswerGrade:
    return _graded(
        "behavioural",
        4,
        0.8,
        {
            "situation": (0.9, ["the billing pipeline failed two hours before month-end close"]),
            "task": (0.7, ["I had to get invoices out by nine"]),
            "action": (0.9, ["I rolled back the schema change", "I reran the failed partitions by hand"]),
            "result": (0.8, ["invoices went out forty minutes late instead of a day"]),
        },
        [
            "Clear situation and a measurable result: 'forty minutes late instead of a day'.",
            "The team size differs from round one; say which number is right and why.",
        ],
        consistency=Consistency(
            findings=[
                Finding(
                    kind="contradiction",
                    category="team_size",
                    round_one_quote="I led a team of five engineers",
                    round_two_quote="a team of twelve engineers",
                    explanation="Round one said five engineers; today it is twelve.",
                )
            ],
            matched_round_one="Tell me about a project you led.",
        ),
        outline=[
            "Situation: billing pipeline down two hours before month-end close.",
            "Task: invoices out by nine, and you owned the pipeline.",
            "Action: roll back the schema change, rerun the failed partitions, tell finance.",
            "Result: forty minutes late instead of a day; a schema check added to CI.",
        ],
    )


def _grade_clarification() -> AnswerGrade:
    return _graded(
        "behavioural",
        3,
        0.5,
        {"situation": (0.4, ["the core team was five"]), "action": (0.3, [])},
        ["You owned the discrepancy quickly; name the seven analysts' role in one sentence."],
    )


def _grade_dbt_design() -> AnswerGrade:
    return _graded(
        "skills",
        3,
        0.4,
        {"action": (0.7, ["merge on the event id with a three-day lookback"])},
        ["The design is sound but took four minutes; lead with the lookback window."],
        flags=["rambling"],
    )


def _grade_disagreement() -> AnswerGrade:
    return _graded(
        "behavioural",
        2,
        0.3,
        {
            "situation": (0.6, ["we disagreed about moving to Kafka"]),
            "action": (0.3, ["we wrote a doc", "we decided as a team"]),
            "result": (0.0, []),
        },
        ["Every action is 'we': say what you did yourself.", "No result: what happened after the decision?"],
        flags=["we_not_i", "no_result"],
        outline=[
            "Situation: the Kafka debate.",
            "Action: what you wrote and whom you convinced.",
            "Result: ...",
        ],
    )


# (speaker, persona_id, kind, text, extra fields). Times are computed from the words spoken.
_SCRIPT: list[tuple[str, str, str, str, dict]] = [
    ("hiring_manager", "hiring_manager", "intro",
     "Hi, I'm Dana. I run the data platform group and you would report to me. I want to spend our "
     "half hour on how you build and run pipelines.", {}),
    ("hiring_manager", "hiring_manager", "question",
     "Tell me about a time a production pipeline you owned failed at a bad moment.",
     {"question_id": "hm_pipeline_failure", "category": "behavioural"}),
    ("candidate", "hiring_manager", "answer",
     "At my last job the billing pipeline failed two hours before month-end close. I was leading a team "
     "of twelve engineers and I had to get invoices out by nine. I rolled back the schema change, then I "
     "reran the failed partitions by hand and kept finance posted every twenty minutes. The invoices went "
     "out forty minutes late instead of a day, and we added a schema check to CI.",
     {"reply_to": 1, "grade": _grade_pipeline_failure}),
    ("hiring_manager", "hiring_manager", "follow_up",
     "In your first interview you said a team of five engineers; today it was twelve. Which was it?",
     {"follow_up_reason": "round_one_conflict", "category": "behavioural"}),
    ("candidate", "hiring_manager", "answer",
     "Fair question. The core team was five; twelve counts the seven analysts who depended on us.",
     {"reply_to": 3, "grade": _grade_clarification}),
    ("hiring_manager", "hiring_manager", "question",
     "How would you design incremental loads in dbt for a table that gets late-arriving events?",
     {"question_id": "hm_dbt_incremental", "category": "skills"}),
    ("candidate", "hiring_manager", "answer",
     "I'd merge on the event id with a three-day lookback, and partition by event date so the merge "
     "only touches recent partitions. Then there's the question of backfills, and of how you size the "
     "warehouse for it, and honestly there are a lot of ways to do this depending on the volume.",
     {"reply_to": 5, "grade": _grade_dbt_design}),
    ("hiring_manager", "hiring_manager", "interruption",
     "Let me stop you there. What would you monitor to know it was working?", {}),
    ("candidate", "hiring_manager", "answer", "Um. Good question.",
     {"reply_to": 7, "grade": lambda: AnswerGrade(
         status="ungradable", reason="too short to grade: no situation, action or result", grader=RULES)}),
    ("hiring_manager", "hiring_manager", "question",
     "Walk me through how you would cut our tracking latency from ten minutes to one.",
     {"question_id": "hm_latency_case", "category": "case"}),
    ("candidate", "hiring_manager", "pass", "I'd like to move on.", {"reply_to": 9}),
    ("hiring_manager", "hiring_manager", "notice", "Dana's half hour is nearly up.", {}),
    ("hiring_manager", "hiring_manager", "invite_questions",
     "We're close to time. What questions do you have for me?", {}),
    ("candidate", "hiring_manager", "candidate_question",
     "What would success look like in the first 90 days?", {}),
    ("hiring_manager", "hiring_manager", "interviewer_answer",
     "By day 90 I'd want you owning the tracking pipeline's on-call and having shipped one latency fix.", {}),
    ("hiring_manager", "hiring_manager", "wrap_up",
     "Thanks, this was useful. You'll hear about next steps this week.", {}),
    ("hiring_manager", "hiring_manager", "handoff", "Priya from the platform team is next; she's great.", {}),
    ("team_member", "team_member", "intro", "Hi! I'm Priya, a staff engineer on the team you'd join.", {}),
    ("team_member", "team_member", "question",
     "Tell me about a disagreement with a teammate over a technical decision.",
     {"question_id": "tm_disagreement", "category": "behavioural"}),
    ("candidate", "team_member", "answer",
     "We disagreed about moving to Kafka. We wrote a doc, we compared options and we decided as a team.",
     {"reply_to": 18, "grade": _grade_disagreement}),
    ("team_member", "team_member", "wrap_up", "Great, that's our time. Thanks for chatting.", {}),
]  # fmt: skip


def build_sample_session() -> Session:
    slots = {"hiring_manager": 30, "team_member": 25}
    turns: list[Turn] = []
    clock, slot_start, current = 0.0, 0.0, ""
    for index, (speaker, persona_id, kind, text, extra) in enumerate(_SCRIPT):
        if persona_id != current:
            current, slot_start = persona_id, clock
        duration = round(len(text.split()) / 150, 2)
        fields = {k: (v() if k == "grade" else v) for k, v in extra.items()}
        turns.append(
            Turn(
                index=index,
                speaker=speaker,
                persona_id=persona_id,
                kind=kind,
                text=text,
                at_minute=round(clock, 2),
                slot_minute=round(clock - slot_start, 2),
                duration=duration,
                created_at="2025-03-04T10:00:00+00:00",
                **fields,
            )
        )
        clock += duration + 0.5
    return Session(
        id="5e55a0c1d2e3",
        created_at="2025-03-04T10:00:00+00:00",
        status="complete",
        job=SAMPLE_JOB,
        round_one=SAMPLE_ROUND_ONE,
        story_bank=["Billing pipeline outage at month-end", "The Kafka migration debate"],
        plan=Plan(
            slots=[Slot(persona_id=p, minutes=m) for p, m in slots.items()], pressure="realistic", seed=7
        ),
        turns=turns,
        handoff_notes=[
            HandoffNote(
                from_persona="hiring_manager",
                text="The team size changed between rounds: five, then twelve.",
                probe="the size of the team they led",
            )
        ],
        scorecards=[
            Scorecard(
                persona_id="hiring_manager",
                dimensions={"job_skills": 0.66, "structure": 0.57, "consistency": 0.4},
                score=3.3,
                graded=3,
                ungradable=1,
            ),
            Scorecard(
                persona_id="team_member",
                dimensions={"collaboration": 0.4, "culture_fit": None, "structure": 0.3},
                score=2.0,
                graded=1,
                ungradable=0,
            ),
        ],
        debrief=[
            Verdict(
                persona_id="hiring_manager",
                verdict="hire",
                reasons=["Handled the outage well: 'invoices went out forty minutes late instead of a day'."],
                objection="The team size story changed from five to twelve.",
            ),
            Verdict(
                persona_id="team_member",
                verdict="lean_no",
                reasons=["Only 'we' in the disagreement story: 'we decided as a team'."],
                objection="I could not tell what they did themselves.",
            ),
        ],
        checklist=[
            ChecklistItem(
                id="consistent_with_round_one",
                title="Consistent with round one",
                status="fail",
                evidence=["a team of twelve engineers"],
                advice="Before the second round, reread what you said in the first and keep the numbers.",
            ),
            ChecklistItem(
                id="asked_every_interviewer",
                title="Asked every interviewer a question",
                status="fail",
                evidence=["no question for team_member"],
                advice="Prepare two questions for each person on the panel.",
            ),
            ChecklistItem(id="no_salary_early", title="No salary talk before an offer", status="pass"),
            ChecklistItem(id="thank_you_sent", title="Thank-you notes sent", status="not_applicable"),
        ],
        wrap_up_signs=[
            WrapUpSigns(
                persona_id="hiring_manager",
                signs=["next_steps"],
                explanation="Dana talked about next steps: a good sign after a strong first answer.",
            ),
            WrapUpSigns(
                persona_id="team_member", signs=["brisk_close"], explanation="A quick, polite close."
            ),
        ],
        thank_you=[
            ThankYouDraft(
                persona_id="hiring_manager",
                to="Dana",
                text=(
                    "Dear Dana,\n\nThank you for the conversation about the tracking pipeline's latency."
                    "\n\nBest,"
                ),
            ),
            ThankYouDraft(
                persona_id="team_member",
                to="Priya",
                text="Hi Priya,\n\nThanks for the chat about the Kafka decision.\n\nBest,",
            ),
        ],
        usage={"offline": {"calls": 24, "tokens_in": 0, "tokens_out": 0, "estimated_cost": 0.0}},
    )


# ---------------------------------------------------------------- the example round, run once


@pytest.fixture(scope="session")
def example_round_run(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, str]:
    """`python -m simulator run --script examples/backend_engineer.yaml --db ... --json`, run once per
    test run: the database it saved (closed, so the file is whole) and what it printed. A whole
    four-interviewer round is the slowest command there is (half a minute of CPU); tests that start
    from a finished round copy the file (`copy_example_round`) and never change this one. Under
    xdist the workers share one run: the first to need it runs it while holding a lock, the others
    wait for that lock and read what it left (the round is seeded, so any worker would save the same)."""
    import fcntl
    import subprocess
    import sys

    from simulator.catalog import ROOT

    if hasattr(request.config, "workerinput"):  # xdist: the run's own folder, above each worker's
        folder = tmp_path_factory.getbasetemp().parent / "example-round"
        folder.mkdir(exist_ok=True)
    else:
        folder = tmp_path_factory.mktemp("example-round")
    db, printed = folder / "s.db", folder / "printed.json"
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, whatever happens inside
        if not printed.exists():
            out = subprocess.run(
                [sys.executable, "-m", "simulator", "run", "--script",
                 str(ROOT / "examples" / "backend_engineer.yaml"), "--db", str(db), "--json"],
                capture_output=True, text=True, cwd=ROOT, timeout=300,
                env={**os.environ, "ROUNDTWO_HOME": str(folder / "home")},
            )  # fmt: skip
            assert out.returncode == 0, out.stderr
            printed.write_text(out.stdout, encoding="utf-8")  # last: its presence says the run is whole
    return db, printed.read_text(encoding="utf-8")


@pytest.fixture
def copy_example_round(example_round_run: tuple[Path, str], tmp_path: Path) -> tuple[Path, str]:
    """This test's own copy of the example round's database, and the JSON the run printed."""
    import shutil

    db, printed = example_round_run
    mine = tmp_path / "s.db"
    shutil.copyfile(db, mine)
    return mine, printed
