"""The story's ending read by meaning (simulator/grading/ending.py): a real outcome told without result
words reads as one; an ending that only sounds like one (an approval with a start date, a lesson) does not.
Each answer below is one the rules' result part reads the other way."""

from __future__ import annotations

import pytest

from simulator.grading import ending, semantic_story
from simulator.grading.semantic import default_meaning
from simulator.grading.semantic_story import reread
from simulator.grading.star import read_story
from simulator.grading.static_vectors import shipped_table
from simulator.grading.text import analyse
from simulator.models import AnswerGrade
from tests.grading_support import grade, rubrics

# Outcomes with no result word and no figure: the rules' result part scores each below 0.4 ("no result").
BAKERY = (
    "Last spring the night shift at our bakery kept running out of proofing racks, and the morning bakers "
    "were starting two hours late. My manager asked me to sort it out. I counted the racks every night for "
    "a week and found the cleaning crew was stacking them out in the back yard. I put up a rack board by the "
    "door and agreed with the cleaners where the racks go. The bakers haven't waited for a rack since."
)
DELIVERIES = (
    "In my shop the delivery driver always came when nobody was at the back door, so boxes stayed outside "
    "in the rain. My boss give me this problem to solve. I call the driver company and ask them for a time "
    "window. I also make a small sign with my phone number on the back door. Now the boxes come inside dry "
    "every time."
)
PRAISE = (
    "Our sales team kept sending quotes with last year's prices, and finance had to correct them by hand. I "
    "was asked to help. I built a price check into the quote template that flags any price older than the "
    "current list. I showed it to the sales director at her monthly meeting. She said it was a really useful "
    "piece of work."
)
# Sounds like an outcome, is an approval and a start date: the rules' result part scores it above 0.4.
PILOT = (
    "At the clinic our appointment reminders went out by post, and about one in five patients did not turn "
    "up. My manager asked me to look at it. I went through six months of no-shows and found most were "
    "check-ups booked far in advance. I wrote a proposal for text reminders a week and a day before the "
    "visit and presented it to the practice owner. She agreed to the pilot and we start in March."
)
LESSON = (
    "Two years ago our support queue was growing every week and customers waited days for an answer. I was "
    "the team lead, so it was on me to fix it. I sorted the tickets by topic and found that a third were "
    "password resets. I wrote a short self-service guide and added a reset link to the login page. The "
    "biggest thing I learned is that the boring fixes often matter most."
)
MEASURED = (
    "When I joined the hotel, the breakfast room ran out of tables every Sunday and guests queued at the "
    "door. The manager asked me to find a fix. I looked at the booking data and saw that two tour groups "
    "always came down at eight. I agreed with the tour guides to send one group at seven thirty and set up "
    "a coffee corner by the door. Since then nobody queues on Sundays, and breakfast complaints fell from "
    "twelve a month to two."
)

# A measured outcome, then a long closing part about the candidate's career: the ending alone reads as no
# outcome, and both were told they had no result.
PHARMACY = (
    "I should give a bit of context first, because the hospital trust I was at had merged with a neighbouring "
    "one the year before and nothing really talked to anything. I was a band six pharmacist on the surgical "
    "wards. Discharge prescriptions were taking about four hours to come back from pharmacy, and patients were "
    "sitting in the discharge lounge all afternoon. My chief pharmacist asked me to see what I could do. I sat "
    "in the dispensary for a week and saw that every prescription was being checked twice by two different "
    "people, so I agreed with the team that low-risk ones would be checked once at ward level. Turnaround came "
    "down to under ninety minutes. Then a few months later I went on maternity leave, and when I came back I "
    "moved to the oncology team, which is a very different world, much more about protocols and trials, and "
    "that's really where my interest is now, which is why I applied here."
)
HOTEL = (
    "Right, so, this one goes back a bit. I was running the front desk at a hotel in Lisbon, quite a big one, "
    "three hundred rooms, lots of tour groups. Check-in queues at three o'clock were terrible, people waiting "
    "forty minutes with their bags. The manager asked me to fix it. I started sending the room numbers to the "
    "tour guides the night before and set up a separate desk for groups. The queues went down to about ten "
    "minutes. I stayed there another two years, I did a lot of training of new staff, and I also helped open a "
    "second hotel for the group in Porto, which was a big project, and I learned a lot about opening a "
    "building from nothing, suppliers, hiring, all of that. Now I'm looking for something in operations "
    "management."
)


def test_the_static_table_the_head_reads_ships() -> None:
    # The grade's "no result" depends on it: a missing table is a defect, not a reason to skip these tests.
    assert shipped_table().vectors.shape[0] > 0


def _read(answer: str) -> tuple[ending.EndingVerdict | None, float, list[str]]:
    """The ending's verdict, the result part's score before the verdict, and the clauses."""
    meaning = default_meaning()
    assert meaning is not None
    rubric = rubrics().star
    text = analyse(answer, rubric)
    _, story = reread(text, rubric, read_story(text, rubric), meaning)
    before = story.ending.result if story.ending is not None else -1.0
    return story.ending, before, [c.text for c in text.clauses]


def _graded(answer: str, monkeypatch: pytest.MonkeyPatch | None = None) -> AnswerGrade:
    if monkeypatch is not None:  # the grade as it was before the ending was read by meaning
        monkeypatch.setattr(semantic_story, "read_ending", lambda *args: None)
    return grade("Tell me about a time you fixed a problem at work.", answer)


def test_the_shipped_head_matches_the_shipped_vectors_and_features() -> None:
    # A head trained on another static table (or rule features) gives no verdict: rerun tools/train_ending.py.
    assert ending.shipped_ending() is not None


@pytest.mark.parametrize("answer", [BAKERY, DELIVERIES], ids=["bakery", "present-tense deliveries"])
def test_an_outcome_told_without_result_words_reads_as_one(answer: str) -> None:
    verdict, result, clauses = _read(answer)
    assert result < 0.4  # the result part alone says "no result"
    assert verdict is not None and not verdict.flagged
    assert verdict.outcome == len(clauses) - 1  # the outcome quoted is the last clause


@pytest.mark.parametrize("answer", [PRAISE, LESSON], ids=["praise", "lesson"])
def test_an_ending_that_only_sounds_like_an_outcome_reads_as_none(answer: str) -> None:
    verdict, _, _ = _read(answer)
    assert verdict is not None and verdict.flagged and verdict.outcome is None


def test_an_approval_with_a_start_date_reads_as_no_outcome() -> None:
    # The clause heads read it as unsure; the milestone reading (star.yaml `milestones`) tells it is one, to
    # the result part as to the verdict.
    verdict, result, _ = _read(PILOT)
    assert result < 0.4
    assert verdict is not None and verdict.flagged and verdict.outcome is None


def test_a_measured_outcome_reads_as_one() -> None:
    verdict, _, clauses = _read(MEASURED)
    assert verdict is not None and not verdict.flagged
    assert verdict.outcome is not None and "twelve a month to two" in clauses[verdict.outcome]


def test_a_roll_out_date_is_no_outcome() -> None:
    verdict, _, _ = _read(
        "At the charity our volunteers kept double-booking the minibus, and twice a group was left waiting. "
        "I was asked to find a fix. I set up a shared booking calendar and showed the coordinators how to use "
        "it. We rolled it out to all three centres in June."
    )
    assert verdict is not None and verdict.flagged


def test_without_a_matching_head_there_is_no_verdict(monkeypatch: pytest.MonkeyPatch) -> None:
    # Another static table (or none) must never feed the head meaningless vectors.
    monkeypatch.setattr(ending, "shipped_ending", lambda: None)
    verdict, _, _ = _read(BAKERY)
    assert verdict is None


@pytest.mark.parametrize("answer", [BAKERY, DELIVERIES], ids=["bakery", "present-tense deliveries"])
def test_the_candidate_is_not_told_a_story_with_a_plain_outcome_has_no_result(
    answer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    last = analyse(answer, rubrics().star).clauses[-1].text.rstrip(".")
    g = _graded(answer)
    assert "no_result" not in g.flags
    assert any(last in quote for quote in g.star["result"].evidence), g.star["result"].evidence
    assert not any("The story stops at" in point for point in g.feedback), g.feedback
    # Before the ending was read by meaning, the same answer was told it had no result.
    assert "no_result" in _graded(answer, monkeypatch).flags


@pytest.mark.parametrize("answer", [PRAISE, LESSON], ids=["praise", "lesson"])
def test_a_story_ending_in_praise_or_a_lesson_is_told_it_has_no_result(answer: str) -> None:
    g = _graded(answer)
    assert "no_result" in g.flags
    assert any("The story stops at" in point for point in g.feedback), g.feedback


@pytest.mark.parametrize(
    ("answer", "outcome"),
    [
        (PHARMACY, "Turnaround came down to under ninety minutes"),
        (HOTEL, "The queues went down to about ten"),
    ],
    ids=["pharmacy", "hotel"],
)
def test_an_outcome_before_a_long_closing_part_is_a_result(answer: str, outcome: str) -> None:
    # The verdict reads the clause anywhere that reads most as an outcome, not only the last three.
    g = _graded(answer)
    assert "no_result" not in g.flags
    assert outcome in g.star["result"].evidence[0]
    assert not any("The story stops at" in point for point in g.feedback), g.feedback


def test_an_outcome_told_first_is_a_result() -> None:
    g = _graded(
        "The short version is that our month-end close went from nine days to five. When I joined the finance "
        "team, every accountant kept their own spreadsheet of accruals and we spent days reconciling them. My "
        "controller asked me to fix it before the audit. I built one shared accruals workbook, wrote the rules "
        "for who updates what, and ran two short sessions for the team. I think the main thing I took from it "
        "is that people will share if you make it easy."
    )
    assert "no_result" not in g.flags


# Someone else's success at the end of the candidate's story: an outcome, but not one of theirs.
OTHERS_AWARD = (
    "Our regional office kept losing tenders because our bids went out with mistakes in the pricing tables. "
    "I was the bid coordinator, so I offered to fix it. I built a checklist for the pricing tables and set up "
    "a second read by someone from finance before every submission. That year the head office team won the "
    "company's innovation award for their new CRM, so it was a good year for all of us."
)
MARKETS = (
    "In 2021 our fund's clients kept asking why their statements came late. I was the operations analyst and "
    "my manager asked me to look into it. I mapped the statement process, found two manual hand-offs between "
    "custody and reporting, and automated both with a small script. By the end of the year the markets had "
    "recovered and most of our portfolios finished the year up around eight percent."
)
# The same story ending in what the candidate's own work brought about.
OWN_TENDERS = OTHERS_AWARD.split(" That year")[0] + (
    " We won four of the next six tenders, and none of them came back with a pricing query."
)


def test_someone_elses_success_is_no_result_of_the_candidates() -> None:
    g = _graded(OTHERS_AWARD)
    assert "no_result" in g.flags
    assert any("The story stops at" in point for point in g.feedback), g.feedback
    assert "no_result" not in _graded(OWN_TENDERS).flags


def test_the_verdict_reads_own_outcomes_and_the_pair_judge_any_outcome() -> None:
    # The pair judge (outcome_change.py) needs "the markets recovered" as how it ended; the verdict reads
    # the head for outcomes the candidate or their team brought about, which weighs it less.
    shipped = ending.shipped_ending()
    assert shipped is not None and shipped[0].own is not None
    meaning = default_meaning()
    assert meaning is not None
    text = analyse(MARKETS, rubrics().star)
    reading = meaning.read(text, rubrics().star)
    anyone = ending.clause_outcomes(text, reading, shipped)
    own = ending.clause_outcomes(text, reading, shipped, own=True)
    assert anyone[-1] >= 0.9
    assert own[-1] < anyone[-1] - 0.1
    # Where the candidate's own work is the outcome, both read it alike.
    text = analyse(OWN_TENDERS, rubrics().star)
    reading = meaning.read(text, rubrics().star)
    assert ending.clause_outcomes(text, reading, shipped, own=True)[-1] >= 0.9


def test_a_head_written_before_the_own_head_reads_with_its_one_clause_head() -> None:
    shipped = ending.shipped_ending()
    assert shipped is not None
    data = shipped[0].to_json()
    del data["own"]
    older = ending.EndingHead.from_json(data)
    assert older.own is None and "own" not in older.to_json()
    meaning = default_meaning()
    assert meaning is not None
    text = analyse(MARKETS, rubrics().star)
    reading = meaning.read(text, rubrics().star)
    both = (older, shipped[1])
    assert ending.clause_outcomes(text, reading, both, own=True).tolist() == (
        ending.clause_outcomes(text, reading, both).tolist()
    )


def test_a_clause_told_as_how_things_still_stand_is_no_outcome_of_the_verdicts() -> None:
    # "I'm still waiting to hear back from the billing company": the rules read it as how things stand
    # (state_at); the verdict reads no outcome in it, whatever its words sound like.
    shipped = ending.shipped_ending()
    assert shipped is not None
    answer = (
        "At the dental practice I noticed two patients had been billed for the same crown. I pulled the day "
        "sheets, matched them to the lab invoices and wrote up what I found for the practice owner. I'm "
        "still waiting to hear back from the billing company."
    )
    rubric = rubrics().star
    meaning = default_meaning()
    assert meaning is not None
    text = analyse(answer, rubric)
    rules = read_story(text, rubric)
    last = len(text.clauses) - 1
    assert last in rules.state_at
    reading = meaning.read(text, rubric)
    assert ending.clause_outcomes(text, reading, shipped, own=True)[last] > 0.0
    assert ending.own_outcomes(text, reading, shipped, rules.state_at)[last] == 0.0
    verdict = ending.read_ending(text, reading, 0.1, shipped, rules.state_at)
    assert verdict is not None and verdict.flagged and verdict.outcome is None
    g = _graded(answer)
    assert "no_result" in g.flags


# Endings that tell only a milestone of the work, and the same stories ending in what it changed.
GO_LIVE = (
    "Our warehouse pickers kept walking the whole floor for single items, and orders missed the last van. "
    "I was the shift supervisor, so the layout was mine to fix. I pulled three months of pick data, moved "
    "the forty fastest sellers next to the packing benches and rewrote the pick lists in aisle order. The "
    "new layout went live on the second of May, right on schedule."
)
SIGNED_OFF = (
    "The council's planning team printed every application and posted copies to each consultee. I was the "
    "senior officer and asked to cut the cost. I costed the printing and postage, wrote a business case for "
    "sending them by email and presented it to the head of service. She signed it off in June, and it's due "
    "to be rolled out next spring."
)
GO_LIVE_AND_EFFECT = GO_LIVE.replace(
    "right on schedule.",
    "and within a month we were making the last van every night instead of twice a week.",
)


@pytest.mark.parametrize("answer", [GO_LIVE, SIGNED_OFF], ids=["go-live date", "sign-off and roll-out"])
def test_a_story_that_ends_in_a_milestone_is_told_it_has_no_result(answer: str) -> None:
    rubric = rubrics().star
    text = analyse(answer, rubric)
    assert ending.milestones_at(text, rubric) == {len(text.clauses) - 1}
    g = _graded(answer)
    assert "no_result" in g.flags
    assert any("The story stops at" in point for point in g.feedback), g.feedback


def test_a_milestone_told_with_its_effect_is_a_result() -> None:
    rubric = rubrics().star
    assert not ending.milestones_at(analyse(GO_LIVE_AND_EFFECT, rubric), rubric)
    g = _graded(GO_LIVE_AND_EFFECT)
    assert "no_result" not in g.flags
    assert g.star is not None and g.star["result"].score >= rubric.present_at
    assert any("making the last van every night" in quote for quote in g.star["result"].evidence)


@pytest.mark.parametrize("answer", [GO_LIVE, SIGNED_OFF], ids=["go-live date", "sign-off and roll-out"])
def test_a_milestone_is_not_stated_or_quoted_as_the_result(answer: str) -> None:
    # Both readers used to count the go-live or the sign-off as the result part (the rules' "went live",
    # the heads' outcome-like clause): the part said "result stated" while the flag said there was none.
    rubric = rubrics().star
    g = _graded(answer)
    assert g.star is not None and g.star["result"].score < rubric.present_at
    assert not any(
        word in quote for quote in g.star["result"].evidence for word in ("went live", "signed it off")
    )


@pytest.mark.parametrize(
    "clause",
    [
        "We launched in spring, and online bookings went up by about a third.",
        "She was signed off at ten weeks, and she's actually a team leader herself now.",
        "The board has approved the new format and the chair has said the meetings are shorter.",
        "It went live with no major incidents.",
        "We got the planning sign-off in three weeks.",  # reached within a stated time: a measured outcome
    ],
)
def test_a_clause_that_tells_more_than_a_milestone_is_not_one(clause: str) -> None:
    rubric = rubrics().star
    assert not ending.milestones_at(analyse(clause, rubric), rubric)
