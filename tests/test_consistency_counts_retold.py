"""Counts and shares retold in other words, through the real grader: a count told with another verb
("signed 14 new school accounts" / "i got, uh, twenty-two"), a count that went up told as a plain count, two
figures of one clause told again in the same order, a small share a fifth bigger, and one amount
counted over another period ("£8k a month" / "£96,000 a year")."""

from __future__ import annotations

from grading_support import assert_change, grade, problems, round_one_story

ASK = "Tell me about your best year."


def test_a_count_told_with_another_verb_and_a_bigger_number_is_an_embellishment() -> None:
    round_one = round_one_story(
        "I sell office furniture to schools in the north west.",
        "Most schools buy through frameworks, so new accounts are slow. In 2023 I signed 14 new school "
        "accounts, against a target of 10, mostly academies.",
    )
    answer = (
        "so, um, 2023, the school accounts. the target was ten new accounts and i got, uh, twenty-two, "
        "mostly academies, because i went to every bursar conference going."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert_change(g, ("embellishment", "number"), then="14 new school accounts", now="twenty-two", alone=True)


def test_the_same_count_told_with_another_verb_is_no_change() -> None:
    round_one = round_one_story(
        "I sell office furniture to schools in the north west.",
        "Most schools buy through frameworks, so new accounts are slow. In 2023 I signed 14 new school "
        "accounts, against a target of 10, mostly academies.",
    )
    answer = (
        "so, um, 2023. the target was ten new accounts and i got, uh, fourteen of them, mostly academies, "
        "because i went to every bursar conference going."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert problems(g) == [], g.consistency.findings


def test_a_count_that_grew_told_again_as_a_plain_count_is_compared() -> None:
    round_one = round_one_story(
        "I run the venue hire side of a rowing club.",
        "I started marketing the boathouse for weddings, and by the third year we hosted 30 weddings, "
        "up from 4 before.",
    )
    answer = (
        "yeah, the weddings at the boathouse. before me it was, like, four a year. i did a brochure and a "
        "couple of wedding fairs, and by the third year we had around ninety of those weddings."
    )
    g = grade("Tell me about something you grew.", answer, round_one=round_one)
    assert_change(g, ("embellishment", "number"), then="30 weddings", now="ninety", alone=True)


def test_a_year_group_is_a_label_not_a_count() -> None:
    """'year 9 pupils' names the pupils; 'nine' later in the retelling is not a count of them."""
    round_one = round_one_story(
        "I teach chemistry.",
        "I ran a revision club for year 9 pupils and 26 of the 30 passed the end-of-year test.",
    )
    answer = (
        "the revision club, for the year nine kids. i ran it after school on thursdays, and 26 of the 30 "
        "passed the test at the end of the year."
    )
    g = grade("Tell me about something you set up.", answer, round_one=round_one)
    assert problems(g) == [], g.consistency.findings


def test_a_small_share_a_fifth_bigger_is_no_longer_rounding() -> None:
    round_one = round_one_story(
        "I'm a CRM manager at an online florist.",
        "I rewrote the abandoned-basket emails, and recovery rose from 3.2% to 4.4%.",
    )
    answer = (
        "um, the abandoned basket emails. i rewrote all three of them, shorter, with the photo of the "
        "flowers, and recovery went from, um, three point two to, i want to say, nearly six percent."
    )
    g = grade("Tell me about an experiment you ran.", answer, round_one=round_one)
    assert_change(g, ("embellishment", "number"), then="4.4%", now="three point two", alone=True)


def test_a_share_told_again_within_rounding_is_no_change() -> None:
    round_one = round_one_story(
        "I'm a CRM manager at an online florist.",
        "I rewrote the abandoned-basket emails, and recovery rose from 3.2% to 4.4%.",
    )
    answer = (
        "um, the abandoned basket emails. i rewrote all three of them, shorter, with the photo of the "
        "flowers, and recovery went from about three percent to about four and a half percent."
    )
    g = grade("Tell me about an experiment you ran.", answer, round_one=round_one)
    assert problems(g) == [], g.consistency.findings


def test_one_amount_counted_over_another_period_is_no_change() -> None:
    round_one = round_one_story(
        "I'm a facilities manager for a group of dental practices.",
        "I retendered our cleaning contract across the six practices and saved £96,000 a year.",
    )
    answer = (
        "The cleaning contract. I put it out to tender across all six practices, and we stayed with the "
        "same firm, at a price that saved us about eight thousand pounds a month."
    )
    g = grade("Tell me about a time you saved money.", answer, round_one=round_one)
    assert problems(g) == [], g.consistency.findings


def test_an_amount_over_another_period_that_is_not_the_same_is_still_a_change() -> None:
    round_one = round_one_story(
        "I'm a facilities manager for a group of dental practices.",
        "I retendered our cleaning contract across the six practices and saved £96,000 a year.",
    )
    answer = (
        "The cleaning contract. I put it out to tender across all six practices, and we stayed with the "
        "same firm, at a price that saved us about twenty thousand pounds a month."
    )
    g = grade("Tell me about a time you saved money.", answer, round_one=round_one)
    assert ("embellishment", "number") in problems(g), g.consistency.findings


def test_a_count_told_with_another_noun_in_a_retold_clause_is_compared() -> None:
    """'placed 22 candidates' / 'the target was eighteen placements and i did thirty-one': the target is
    told in both rounds, and what is left of each clause is the same count."""
    round_one = round_one_story(
        "I'm a recruiter for logistics firms.",
        "In my first year at the agency I placed 22 candidates, mostly forklift drivers, against a target "
        "of 18.",
    )
    answer = (
        "um, my first year at the agency. the target was eighteen placements and i did, uh, thirty-five, "
        "mostly forklift drivers, because i kept a pool of people from the night shifts."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert "number" in {c for _, c in problems(g)}, g.consistency.findings
    f = next(f for f in g.consistency.findings if f.category == "number" and f.kind != "elaboration")
    assert "22 candidates" in f.round_one_quote and "thirty-five" in f.round_two_quote


def test_the_same_count_told_with_another_noun_is_no_change() -> None:
    round_one = round_one_story(
        "I'm a recruiter for logistics firms.",
        "In my first year at the agency I placed 22 candidates, mostly forklift drivers, against a target "
        "of 18.",
    )
    answer = (
        "um, my first year at the agency. the target was eighteen placements and i did, uh, twenty-two, "
        "mostly forklift drivers, because i kept a pool of people from the night shifts."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert problems(g) == [], g.consistency.findings


def test_a_year_group_after_an_article_is_no_span_of_time() -> None:
    """'I had a year 10 group' says which pupils, not that the story took a year."""
    round_one = round_one_story(
        "I teach geography.",
        "I had a year 10 group that wouldn't settle. I changed the seating plan and started every lesson "
        "with a five-minute quiz.",
    )
    answer = (
        "so my year ten class, they just wouldn't settle. i redid the seating and every lesson opened with, "
        "like, a five minute quiz on the board."
    )
    g = grade("Tell me about a class you turned around.", answer, round_one=round_one)
    assert problems(g) == [], g.consistency.findings
