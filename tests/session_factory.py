"""Real-looking second-round sessions for the report, checklist and thank-you tests.

Sessions are built turn by turn the way the orchestrator records them (intro, questions, answers
with `reply_to`, follow-ups, the candidate's questions answered in character from the persona
file, wrap-up, hand-off), with answer grades as the grader stores them on each answer turn.
The personas are the shipped persona files; nothing here depends on their wording.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

from simulator.catalog import ROOT, Rubrics, load_personas, load_rubrics
from simulator.models import (
    QA,
    AnswerGrade,
    Consistency,
    Finding,
    GraderInfo,
    Job,
    Persona,
    Plan,
    RoundOne,
    Session,
    Slot,
    StarComponent,
    Turn,
)

RULES = GraderInfo(engine="offline", model="rules", rubric_version="star@1.0 consistency@1.0")
WORDS_PER_MINUTE = 150

JOB = Job(
    title="Senior Backend Engineer",
    company="Harbourline",
    level="Senior",
    description=(
        "Harbourline's booking platform team builds the APIs that small freight shippers use to book, "
        "track and pay for shipments. You will design and run Python services on PostgreSQL and Kafka, "
        "own API design for the booking flow, and mentor two mid-level engineers. On-call one week in six."
    ),
    research_notes=(
        "Launched Dockside, a self-serve booking portal, in 2024. Moving the booking monolith to "
        "event-driven services this year. The CTO, Maren Holt, writes about boring technology and small, "
        "reversible changes. Roughly 3,000 shipper customers, mostly in the Baltic region."
    ),
)

ROUND_ONE = RoundOne(
    answers=[
        QA(
            question="Tell me about a project you led.",
            answer=(
                "I led a team of four engineers that moved our invoicing service from a nightly cron batch "
                "onto Kafka events. It took five months, and invoice delays dropped from a full day to "
                "under ten minutes."
            ),
        ),
        QA(
            question="Why are you looking to move?",
            answer=(
                "My company is winding down its logistics product, and I want to stay close to freight "
                "and booking systems."
            ),
        ),
    ]
)

STORY_BANK = [
    "Invoicing to Kafka: led four engineers off a nightly cron batch; invoice delays from a day to ten "
    "minutes",
    "Payment webhook backlog: on call during a carrier's peak week, cleared 1,800 stuck bookings",
    "Bookings table lock: a migration I shipped locked the table at peak; I learned to test at full scale",
    "Rate-limiter disagreement: profiled with a colleague instead of rewriting in Go",
]


@cache
def personas() -> dict[str, Persona]:
    return load_personas(ROOT / "personas")


def rubrics_copy(tmp_path: Path) -> Path:
    """A private copy of rubrics/ that a test may edit."""
    target = tmp_path / "rubrics"
    shutil.copytree(ROOT / "rubrics", target)
    return target


def shipped_rubrics() -> Rubrics:
    return load_rubrics(ROOT / "rubrics")


# ---------------------------------------------------------------- grades as the grader stores them


def graded(
    overall: int,
    *,
    structure: float | None = None,
    kind: str = "behavioural",
    situation: str = "",
    action: str = "",
    result: str = "",
    flags: Iterable[str] = (),
    findings: Iterable[Finding] = (),
) -> AnswerGrade:
    """A graded answer; each quoted span must come from the answer it grades."""
    star = {}
    for part, quote in (("situation", situation), ("action", action), ("result", result)):
        star[part] = StarComponent(score=0.9 if quote else 0.0, evidence=[quote] if quote else [])
    return AnswerGrade(
        status="graded",
        question_kind=kind,
        overall=overall,
        structure=structure if structure is not None else round(0.15 + 0.17 * overall, 2),
        star=star,  # type: ignore[arg-type]
        consistency=Consistency(findings=list(findings)),
        flags=list(flags),
        grader=RULES,
    )


def ungradable(reason: str = "too short to grade: no situation, action or result") -> AnswerGrade:
    return AnswerGrade(status="ungradable", reason=reason, grader=RULES)


def team_size_contradiction() -> Finding:
    return Finding(
        kind="contradiction",
        category="team_size",
        round_one_quote="I led a team of four engineers",
        round_two_quote="leading a team of twelve engineers",
        explanation="Round one said four engineers; today it is twelve.",
    )


# ---------------------------------------------------------------- the builder


def fill(text: str, persona: Persona) -> str:
    """A persona line with its slots filled, as the offline interviewer says it."""
    values = {
        "name": persona.name,
        "my_title": persona.title,
        "title": JOB.title,
        "company": JOB.company,
        "skill": "API design",
        "next_name": "the next interviewer",
        "next_title": "colleague",
    }
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


class SessionBuilder:
    """Appends turns as the orchestrator would, keeping the simulated clocks."""

    def __init__(
        self,
        *,
        job: Job = JOB,
        round_one: RoundOne = ROUND_ONE,
        story_bank: list[str] | None = None,
        cast: Mapping[str, Persona] | None = None,
    ):
        self.job = job
        self.round_one = round_one
        self.story_bank = list(STORY_BANK if story_bank is None else story_bank)
        self.cast = cast or personas()
        self.turns: list[Turn] = []
        self.slots: list[Slot] = []
        self.clock = 0.0
        self.slot_clock = 0.0
        self.persona: Persona | None = None
        self.open_question: int | None = None

    def _add(self, speaker: str, kind: str, text: str, **fields: object) -> Turn:
        assert self.persona is not None, "open a slot first"
        duration = round(len(text.split()) / WORDS_PER_MINUTE, 2)
        turn = Turn(
            index=len(self.turns),
            speaker=speaker,
            persona_id=self.persona.id,
            kind=kind,  # type: ignore[arg-type]
            text=text,
            at_minute=round(self.clock, 2),
            slot_minute=round(self.slot_clock, 2),
            duration=duration,
            **fields,  # type: ignore[arg-type]
        )
        self.turns.append(turn)
        self.clock += duration
        self.slot_clock += duration
        return turn

    def slot(self, persona_id: str, minutes: int = 30) -> SessionBuilder:
        self.persona = self.cast[persona_id]
        self.slots.append(Slot(persona_id=persona_id, minutes=minutes))
        self.slot_clock = 0.0
        self._add(persona_id, "intro", fill(self.persona.intro[0], self.persona))
        return self

    def ask(self, text: str, category: str = "behavioural", question_id: str | None = None) -> SessionBuilder:
        assert self.persona is not None
        turn = self._add(self.persona.id, "question", text, category=category, question_id=question_id)
        self.open_question = turn.index
        return self

    def follow_up(self, text: str, reason: str = "result") -> SessionBuilder:
        assert self.persona is not None
        turn = self._add(self.persona.id, "follow_up", text, follow_up_reason=reason)
        self.open_question = turn.index
        return self

    def answer(self, text: str, grade: AnswerGrade | None) -> SessionBuilder:
        self._add("candidate", "answer", text, reply_to=self.open_question, grade=grade)
        self.open_question = None
        return self

    def invite(self) -> SessionBuilder:
        assert self.persona is not None
        self._add(self.persona.id, "invite_questions", fill(self.persona.invite_questions[0], self.persona))
        return self

    def candidate_asks(self, text: str) -> SessionBuilder:
        """The candidate's question, answered in character from the persona's prepared answers."""
        assert self.persona is not None
        self._add("candidate", "candidate_question", text)
        low = text.lower()
        reply = next(
            (a.answer for a in self.persona.candidate_answers if any(k.lower() in low for k in a.keywords)),
            self.persona.fallback_answer,
        )
        self._add(self.persona.id, "interviewer_answer", fill(reply, self.persona))
        return self

    def declines(self, text: str = "No, I think you covered everything, thanks.") -> SessionBuilder:
        """Invited to ask, the candidate asks nothing."""
        self._add("candidate", "candidate_question", text)
        return self

    def run_clock_to(self, minute: float) -> SessionBuilder:
        """Time spent thinking and talking that the transcript does not show."""
        self.slot_clock = max(self.slot_clock, minute)
        return self

    def close(self, sign: str = "next_steps") -> SessionBuilder:
        assert self.persona is not None
        lines = getattr(self.persona.wrap_up, sign)
        self._add(self.persona.id, "wrap_up", fill(lines[0], self.persona))
        self._add(self.persona.id, "handoff", fill(self.persona.handoff[0], self.persona))
        return self

    def build(self) -> Session:
        return Session(
            id="f00dfeed0001",
            created_at="2025-05-06T09:00:00+00:00",
            status="complete",
            job=self.job,
            round_one=self.round_one,
            story_bank=self.story_bank,
            plan=Plan(slots=self.slots, pressure="realistic", seed=3),
            turns=self.turns,
        )


# ---------------------------------------------------------------- two candidates

HM_LED = "Tell me about a time you led a piece of work that changed how your team shipped."
HM_API = "How would you design the booking API so a shipper can retry a request safely?"
HM_OUTAGE = "Tell me about a time production broke and you were the one who had to fix it."
TM_DISAGREE = "Tell me about a disagreement with a teammate about a technical decision."
TM_CULTURE = "What kind of team do you do your best work in?"
TM_MISTAKE = "Tell me about a mistake you made and what you learned from it."
SL_FUTURE = "Where do you want to be in three years, and what are you doing about it now?"
SL_AMBIGUITY = "Tell me about a decision you had to make without enough information."

STRONG_LED = (
    "As I mentioned in my first interview, I led the move of our invoicing service from a nightly cron "
    "batch onto Kafka events. I was the tech lead for a team of four engineers, and my job was to get "
    "invoices out the same day without a big-bang cutover. I split the migration into three reversible "
    "steps, wrote the dual-write plan myself and ran the shadow comparison every morning for three weeks. "
    "We cut invoice delays from a full day to under ten minutes, and finance closed the month two days "
    "earlier."
)
STRONG_API = (
    "First I'd ask what retries look like today and which client libraries shippers use. My approach: every "
    "booking request carries an idempotency key, PostgreSQL stores the key with the response under a unique "
    "constraint, and a retry returns the stored response. The trade-off is an extra write per request and a "
    "cleanup job for old keys. I'd accept that, because a double booking costs far more than a few "
    "milliseconds, and I'd ship it on the Dockside booking endpoint first."
)
STRONG_OUTAGE = (
    "Last spring our payment webhook queue backed up during a carrier's peak week and 1,800 bookings were "
    "stuck unpaid. I was on call, so it was mine. I paused the consumer, found a poison message from a "
    "malformed carrier payload, moved it to a dead-letter queue and replayed the backlog in batches of two "
    "hundred. Everything cleared in forty minutes, and I added a schema check so that payload shape can't "
    "stop the queue again."
)
STRONG_DISAGREE = (
    "A colleague wanted to rewrite our rate limiter in Go; I thought we should fix the Python version first. "
    "I asked for a one-hour session where we each profiled the hot path, and I wrote up the numbers: the "
    "bottleneck was a Redis round trip, not the language. We agreed to batch the calls, which took two days "
    "instead of six weeks, and p95 latency dropped from 300 to 90 milliseconds. I learned to argue with data "
    "early rather than with opinions."
)
STRONG_CULTURE = (
    "One that writes things down and reviews each other's work kindly. On my current team I started a weekly "
    "design review where anyone could bring a half-finished idea, and within two months most incidents had a "
    "written plan before the fix. I like small, reversible changes, which is why Maren Holt's posts on "
    "boring "
    "technology made me want to work here."
)
STRONG_MISTAKE = (
    "Two years ago I shipped a database migration that locked the bookings table for eleven minutes at peak. "
    "I had tested it on a copy a tenth of the size, and that was my mistake. I wrote the postmortem, added a "
    "rule that every migration runs against a full-size snapshot first, and since then we have run over "
    "forty "
    "migrations with no locking incident. The lesson was to test at real scale."
)
STRONG_FUTURE = (
    "I want to be leading the design of a platform other teams build on. Over the last year I mentored two "
    "engineers through their first on-call rotations and wrote our service template, which four teams now "
    "use. In three years I'd like to be the person at Harbourline who shapes how booking services are built, "
    "still writing code but spending more time on design reviews and mentoring."
)
STRONG_AMBIGUITY = (
    "When a carrier API started returning partial data with no warning, I had to decide within an hour "
    "whether to keep accepting bookings, and nobody knew the cause. I set a threshold: above five percent "
    "partial responses we'd switch to manual confirmation. I told support and the carrier, we hit eight "
    "percent, and I switched. We lost no bookings, and the carrier fixed it the next day. I'd make the same "
    "call again, with the threshold written down in advance."
)

Q_HM_SUCCESS = "What would success look like for this role in the first 90 days?"
Q_HM_CHALLENGE = "What is the biggest challenge the booking team faces in moving Dockside off the monolith?"
Q_TM_WEEK = "What does a typical week look like for you, and how does code review work day to day?"
Q_SL_STRATEGY = "How do you see the strategy for the booking platform changing over the next two years?"


def strong_session(**builder_args: object) -> Session:
    b = SessionBuilder(**builder_args)  # type: ignore[arg-type]
    b.slot("hiring_manager", 30)
    b.ask(HM_LED).answer(
        STRONG_LED,
        graded(
            5,
            situation="our invoicing service from a nightly cron batch onto Kafka events",
            action="I split the migration into three reversible steps",
            result="We cut invoice delays from a full day to under ten minutes",
        ),
    )
    b.ask(HM_API, "skills").answer(
        STRONG_API,
        graded(4, kind="skills", action="every booking request carries an idempotency key"),
    )
    b.ask(HM_OUTAGE, "pressure").answer(
        STRONG_OUTAGE,
        graded(
            5,
            kind="pressure",
            situation="our payment webhook queue backed up during a carrier's peak week",
            action="I paused the consumer, found a poison message",
            result="Everything cleared in forty minutes",
        ),
    )
    b.run_clock_to(26).invite().candidate_asks(Q_HM_SUCCESS).candidate_asks(Q_HM_CHALLENGE)
    b.run_clock_to(29).close("selling_the_role")

    b.slot("team_member", 30)
    b.ask(TM_DISAGREE).answer(
        STRONG_DISAGREE,
        graded(
            4,
            situation="A colleague wanted to rewrite our rate limiter in Go",
            action="I asked for a one-hour session where we each profiled the hot path",
            result="p95 latency dropped from 300 to 90 milliseconds",
        ),
    )
    b.ask(TM_CULTURE, "culture").answer(
        STRONG_CULTURE, graded(4, kind="culture", action="I started a weekly design review")
    )
    b.ask(TM_MISTAKE).answer(
        STRONG_MISTAKE,
        graded(
            5,
            situation="I shipped a database migration that locked the bookings table",
            action="I wrote the postmortem, added a rule",
            result="we have run over forty migrations with no locking incident",
        ),
    )
    b.invite().candidate_asks(Q_TM_WEEK).close("next_steps")

    b.slot("skip_level", 25)
    b.ask(SL_FUTURE, "potential").answer(
        STRONG_FUTURE,
        graded(4, kind="potential", action="I mentored two engineers", result="which four teams now use"),
    )
    b.ask(SL_AMBIGUITY, "pressure").answer(
        STRONG_AMBIGUITY,
        graded(
            5,
            kind="pressure",
            action="I set a threshold",
            result="We lost no bookings, and the carrier fixed it the next day",
        ),
    )
    b.invite().candidate_asks(Q_SL_STRATEGY).close("next_steps")
    return b.build()


WEAK_LED = (
    "So, um, basically I was leading a team of twelve engineers on the invoicing stuff, moving it to Kafka. "
    "We did a lot of planning and we worked really hard on it, and it was a big project with lots of moving "
    "parts, and we had a lot of meetings with finance and everyone. It was a really big effort from the team."
)
WEAK_API = (
    "I'd just use retries with a library, it's pretty standard stuff. Honestly I'm the best person for this "
    "job when it comes to APIs, I've done this a hundred times."
)
WEAK_OUTAGE = (
    "I would probably look at the logs first and then figure out what's wrong and fix it, and then I'd tell "
    "people what happened so they know, and we would make sure it doesn't happen again."
)
WEAK_DISAGREE = (
    "We had some disagreements about languages on the team. We talked it through in a few meetings and we "
    "decided as a team in the end. It was fine, everyone was happy with where we landed on it."
)
WEAK_FUTURE = (
    "Honestly I just want to keep growing and learning new things. Maybe a lead role, maybe not, it "
    "depends on "
    "what comes up. I'm pretty flexible about it and I think I'd be good at whatever."
)
Q_HM_SALARY = "What's the salary range for this role, and how many vacation days do I get?"


def weak_session() -> Session:
    b = SessionBuilder()
    b.slot("hiring_manager", 30)
    b.ask(HM_LED).answer(
        WEAK_LED,
        graded(
            2,
            structure=0.3,
            situation="leading a team of twelve engineers on the invoicing stuff",
            flags=["no_result", "we_not_i", "rambling"],
            findings=[team_size_contradiction()],
        ),
    )
    b.ask(HM_API, "skills").answer(WEAK_API, graded(2, kind="skills", flags=["overconfident"]))
    b.ask(HM_OUTAGE, "pressure").answer(
        WEAK_OUTAGE, graded(1, kind="pressure", flags=["hypothetical", "no_result"])
    )
    b.invite().candidate_asks(Q_HM_SALARY).close("brisk_close")

    b.slot("team_member", 30)
    b.ask(TM_DISAGREE).answer(
        WEAK_DISAGREE,
        graded(2, situation="We had some disagreements about languages", flags=["we_not_i", "no_result"]),
    )
    b.invite().candidate_asks("Do you like working here?").close("brisk_close")

    b.slot("skip_level", 25)
    b.ask(SL_FUTURE, "potential").answer(WEAK_FUTURE, graded(2, kind="potential", flags=["no_result"]))
    b.invite().declines().close("brisk_close")
    return b.build()
