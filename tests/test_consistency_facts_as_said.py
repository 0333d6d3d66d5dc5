"""Dates, lengths of time and sums said the way people say them, read as the same facts: a currency by
its code ("GBP 40,000"), a year by its calendar ("the 2021 tax year"), a share of a year ("a quarter of a
year"), a change by comparing ("a third less"), a later time ("the following spring"), a month named
mid-sentence, the time since an event ("nine months after surgery"), a sum in "grand".

Sentences are read the way the consistency check reads them (claims.extract); whole pairs are graded the
way a candidate sees them, and the tests assert on the finding and the quote it shows.
"""

from __future__ import annotations

import pytest
from grading_support import claims_of as claims
from grading_support import problems_between as problems

# ---------------------------------------------------------------- read as said


def test_a_currency_code_before_a_figure_is_money() -> None:
    (saving,) = claims("The new controls saved around EUR 65,000 a year in heating.", "number")
    assert (saving.kind, saving.low) == ("money:EUR", 65000.0)


def test_a_capitalised_name_before_a_figure_is_still_no_money() -> None:
    assert claims("We moved the reports to Python 3 over the summer.", "number") == []


def test_a_year_named_by_its_calendar_is_a_date() -> None:
    years = [c.low for c in claims("The rules changed at the start of the 2022 financial year.", "date")]
    assert years == [2022.0]
    assert claims("The rules changed at the start of the 2022 financial year.", "number") == []


def test_a_share_of_a_year_is_a_length_of_time_not_a_share() -> None:
    (span,) = claims("The posters had been up for a quarter of a year and nobody had called.", "duration")
    assert span.low == pytest.approx(91.25)
    assert claims("The posters had been up for a quarter of a year and nobody had called.", "number") == []


def test_a_share_said_by_comparing_is_the_size_of_a_change() -> None:
    (cut,) = claims("By the spring we were binning about a third less bread than before.", "number")
    assert (cut.kind, cut.slot, cut.change) == ("percent", "by", -1)
    assert cut.low == pytest.approx(33.3)


def test_a_time_inside_a_longer_one_is_read_once() -> None:
    times = claims("We went live in the autumn, just after the summer holidays.", "date")
    assert [c.said for c in times] == ["autumn", "just after the summer holidays"]


def test_the_time_since_an_event_is_read_alike_with_or_without_a_lead_in() -> None:
    (then,) = claims("She was back at work nine months after the operation.", "duration")
    (now,) = claims("it was about six months after the operation that she came back.", "duration")
    assert (then.slot, now.slot) == ("elapsed", "elapsed")


def test_a_sum_in_grand_is_money_and_a_grand_total_is_no_sum() -> None:
    (raised,) = claims("we gave the shelter a cheque for like thirty grand. it was a great night.", "number")
    assert (raised.kind, raised.low) == ("money:", 30000.0)
    assert [c.low for c in claims("A grand total of 40 people signed up.", "number")] == [40.0]


# ---------------------------------------------------------------- graded as a pair


def test_a_saving_said_by_its_currency_code_then_in_words_is_compared() -> None:
    then = (
        "As facilities analyst for a chain of gyms in Bristol I found the pool pumps running all night. "
        "I had the contractor put them on timers. It saved around GBP 30,000 a year in electricity."
    )
    now = (
        "I was going through the meter data for our gyms and the pool pumps never switched off at night. "
        "The contractor fitted timers for us. The saving came to six figures a year on electricity."
    )
    found = problems(then, now)
    assert [(kind, category) for kind, category, _ in found] == [("embellishment", "number")]
    assert "six figures" in found[0][2]


def test_the_same_saving_said_by_its_code_and_in_words_is_no_change() -> None:
    then = "I renegotiated the courier contract for the warehouse and it saved GBP 40,000 a year."
    now = "i redid the courier deal for the warehouse, and that saved us about forty thousand pounds a year."
    assert problems(then, now) == []


def test_a_later_spring_is_not_the_date_the_story_happened() -> None:
    then = (
        "In March 2022 our payroll team moved from spreadsheets to a new payroll system. I ran the "
        "training myself. Within six months almost every manager approved overtime in the system."
    )
    now = (
        "We switched in the autumn of 2022, just after the summer holidays. I ran the training sessions "
        "myself, and by the following spring almost every manager approved overtime in the system."
    )
    found = problems(then, now)
    assert [(kind, category) for kind, category, _ in found] == [("contradiction", "date")]
    assert "autumn" in found[0][2]


def test_a_month_named_in_both_rounds_without_in_is_no_change() -> None:
    then = (
        "I filed the VAT return for the wrong period: I used May instead of June figures. I told my manager."
    )
    now = "I filed it and then saw I had used the figures of May, not June. I told my manager that same day."
    assert problems(then, now) == []


def test_a_quarter_of_a_year_and_three_months_are_one_span() -> None:
    then = "We'd had the flyers out three months with no calls, so I moved the budget to search ads."
    now = "the flyers had been out for a quarter of a year, nothing, so i put the money into search ads."
    assert problems(then, now) == []


def test_a_job_finished_in_six_weeks_and_one_that_took_three_are_two_spans() -> None:
    then = (
        "I lead a crew of six fitters. The school wanted no noise during lessons, so we worked evenings. "
        "We finished the refit in six weeks. The heating bills fell by a third."
    )
    now = (
        "The school needed a refit with no noise in lessons. So with my six fitters we work evenings. We "
        "added a Sunday shift and it took us only three weeks. The heating bills fell by about a third."
    )
    found = problems(then, now)
    assert [(kind, category) for kind, category, _ in found] == [("contradiction", "duration")]
    assert "three weeks" in found[0][2]


def test_a_quality_told_more_exactly_is_no_swap() -> None:
    then = "I went back through old demos that never closed and offered each of them a short pilot."
    now = "i went back to everyone who'd had a demo and gone quiet and offered them a thirty-day pilot."
    assert [c for _, c, _ in problems(then, now)] == []


def test_the_highest_and_the_biggest_are_one_quality() -> None:
    then = "I built the live results page on election night. The page had our highest traffic of the year."
    now = "i did the live results page on election night, and it ended up our biggest traffic of the year."
    assert problems(then, now) == []


def test_a_sum_raised_said_in_words_is_money_not_a_count_of_the_people_before_it() -> None:
    then = (
        "I run community fundraising at a hospice. I turned our fun run into a sponsored walk. The first "
        "year we had 500 walkers and we raised £36,000, against about £7,000 the year before."
    )
    now = (
        "so the fun run was losing us money, and i made it a sponsored walk. first year about five hundred "
        "people did it, and we raised, um, a hundred and ten thousand, compared to seven grand before."
    )
    found = problems(then, now)
    assert [(kind, category) for kind, category, _ in found] == [("embellishment", "number")]
    assert "a hundred and ten thousand" in found[0][2]


def test_a_length_a_report_ran_to_is_its_size_not_where_a_change_ended() -> None:
    then = (
        "I inherited a 60-page weekly report that nobody read. I asked each store manager what they used, "
        "and cut it to a four-page report with one page per area."
    )
    now = (
        "The weekly report ran to sixty pages when I took it over, and nobody opened it. I asked the store "
        "managers what they used and rebuilt it as four pages, one for each area."
    )
    assert problems(then, now) == []
