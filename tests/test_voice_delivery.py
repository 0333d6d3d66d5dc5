"""Delivery maths on word timings (no model needed), and how delivery reads on the page and in exports."""

from __future__ import annotations

import pytest

from simulator.markdown import session_to_markdown
from simulator.models import Delivery, Pause, Session
from simulator.voice.delivery import (
    TimedWord,
    combined,
    count_fillers,
    long_pauses,
    measure,
    norms,
    without_fillers,
)
from simulator.voice.render import NONE_SPOKEN, delivery_html, delivery_markdown
from simulator.voice.summary import coaching_lines, summarize
from tests.conftest import build_sample_session


def timed(*spec: tuple[str, float, float]) -> list[TimedWord]:
    return [TimedWord(w, s, e) for w, s, e in spec]


def evenly(words: list[str], start: float = 0.0, each: float = 0.4) -> list[TimedWord]:
    return [TimedWord(w, start + i * each, start + (i + 1) * each) for i, w in enumerate(words)]


def test_pace_counts_words_over_the_time_from_first_to_last_word() -> None:
    # 30 words, 0.4 s each: 12 s of speech, after 3 s of silence before the first word.
    words = evenly([f"w{i}" for i in range(30)], start=3.0)
    delivery = measure(words, duration_s=16.0)
    assert delivery.words_per_minute == 150.0  # 30 words / 12 s, the leading silence not counted
    assert delivery.words == 30
    assert delivery.duration_s == 16.0
    assert delivery.pauses == []


def test_a_two_second_silence_is_a_long_pause_where_it_began() -> None:
    words = timed(
        ("I", 0.0, 0.2), ("owned", 0.2, 0.6), ("it.", 0.6, 1.0), ("It", 3.0, 3.2), ("shipped.", 3.2, 3.8)
    )
    delivery = measure(words, duration_s=4.0)
    assert delivery.pauses == [Pause(at_s=1.0, length_s=2.0)]


def test_a_silence_under_the_mark_is_not_a_long_pause() -> None:
    mark = norms().long_pause_s
    words = timed(("one", 0.0, 0.5), ("two", 0.5 + mark - 0.1, 1.5 + mark))
    assert long_pauses(words, mark) == []
    assert len(long_pauses(words, mark - 0.2)) == 1


def test_fillers_are_counted_whatever_the_case_and_punctuation_and_not_as_words() -> None:
    words = evenly(["Um,", "I", "led", "uh", "the", "team.", "UM...", "You", "know,", "it", "worked."])
    delivery = measure(words, duration_s=5.0)
    assert delivery.fillers == {"uh": 1, "um": 2, "you know": 1}
    assert delivery.words == 6  # I led the team it worked
    speaking_minutes = (11 * 0.4) / 60
    assert delivery.fillers_per_minute == pytest.approx(4 / speaking_minutes, rel=0.01)


def test_ordinary_words_that_can_be_fillers_are_left_alone() -> None:
    found, used = count_fillers(["I", "like", "Python", "so", "I", "used", "it", "right", "away"])
    assert found == {} and used == 0


def test_nothing_said_gives_zero_figures_not_a_division_error() -> None:
    assert measure([], duration_s=3.0) == Delivery(
        words_per_minute=0.0, fillers_per_minute=0.0, duration_s=3.0
    )
    one = measure(timed(("Yes.", 0.1, 0.4)), duration_s=1.0)
    assert one.words_per_minute == 0.0 and one.words == 1


def test_punctuation_only_tokens_are_not_words() -> None:
    delivery = measure(
        timed(("...", 0.0, 0.1), ("Done", 0.1, 0.5), ("-", 0.5, 0.6), ("here.", 0.6, 1.2)), 2.0
    )
    assert delivery.words == 2


def test_coaching_speaks_only_when_pace_or_fillers_are_far_from_the_usual_range() -> None:
    rules = norms()
    steady = Delivery(words_per_minute=140, fillers_per_minute=1.0, fillers={"um": 1}, duration_s=90)
    assert coaching_lines(steady) == []
    fast = coaching_lines(steady.model_copy(update={"words_per_minute": rules.pace_high + 30}))
    assert (
        len(fast) == 1
        and fast[0].startswith("Fast: ")
        and f"{rules.pace_low:.0f}-{rules.pace_high:.0f}" in fast[0]
    )
    slow = coaching_lines(steady.model_copy(update={"words_per_minute": rules.pace_low - 30}))
    assert slow[0].startswith("Slow: ")
    filler = coaching_lines(
        steady.model_copy(update={"fillers_per_minute": 6.0, "fillers": {"um": 5, "uh": 2}})
    )
    assert "6.0 fillers a minute" in filler[0] and "“um” ×5" in filler[0]
    long = coaching_lines(steady.model_copy(update={"duration_s": rules.long_answer_s + 60}))
    assert long[0].startswith("Long: ")


def spoken_session() -> Session:
    """The sample session with its first two answers spoken."""
    session = build_sample_session()
    answers = [t for t in session.turns if t.kind == "answer"]
    answers[0].delivery = Delivery(
        words_per_minute=190, pauses=[Pause(at_s=12.5, length_s=2.4)], fillers={"um": 6, "uh": 2},
        fillers_per_minute=5.3, duration_s=95, words=280,
    )  # fmt: skip
    answers[1].delivery = Delivery(words_per_minute=130, fillers_per_minute=0, duration_s=200, words=400)
    return session


def test_the_session_summary_adds_talk_time_per_interviewer_and_finds_the_longest_answer() -> None:
    session = spoken_session()
    summary = summarize(session)
    assert [a.number for a in summary.answers] == [1, 2]
    assert summary.talk_seconds == 295
    assert summary.fillers == {"um": 6, "uh": 2}
    assert summary.longest is not None and summary.longest.number == 2
    first = summary.answers[0].turn.persona_id
    assert summary.talk_by_persona[first] >= 95
    assert summary.clock_by_persona[first] == 30
    # Pace over the whole session weighs each answer by its words: 680 words over 88 + 185 s.
    assert summary.words_per_minute == pytest.approx(680 / (280 / 190 + 400 / 130), rel=0.01)


def test_the_feedback_tab_shows_each_spoken_answer_and_coaching_escaped() -> None:
    session = spoken_session()
    html = delivery_html(session, {})
    assert html.count('class="rt-delivery-row"') == 2
    assert "2 spoken answers" in html and "4:55 of talk" in html
    assert "2.4 s at 0:12" in html
    assert "um ×6, uh ×2" in html
    assert "Fast: 190 words a minute" in html
    assert "of a 30-minute slot" in html


def test_stored_filler_words_are_escaped_on_the_page() -> None:
    session = spoken_session()  # an imported session may hold anything
    first = next(t for t in session.turns if t.delivery)
    assert first.delivery is not None
    first.delivery.fillers = {"<img src=x onerror=alert(1)>": 9}
    html = delivery_html(session, {})
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt; ×9" in html


def test_a_typed_session_says_how_to_get_delivery_and_exports_no_delivery_section() -> None:
    session = build_sample_session()
    assert NONE_SPOKEN in delivery_html(session, {})
    assert delivery_markdown(session) == ""
    assert "## Delivery" not in session_to_markdown(session)


def test_the_markdown_export_carries_delivery() -> None:
    text = session_to_markdown(spoken_session())
    assert "## Delivery (spoken answers)" in text
    assert "| 1 | 1:35 | 190 | 2.4 s at 0:12 | 5.3 (um ×6, uh ×2) |" in text


def test_delivery_survives_the_session_json_round_trip() -> None:
    session = spoken_session()
    again = Session.model_validate_json(session.model_dump_json())
    assert [t.delivery for t in again.turns] == [t.delivery for t in session.turns]


@pytest.mark.parametrize(
    ("spoken", "graded"),
    [
        ("Um, I, uh, fixed the build. Um, so it took a day.", "I fixed the build. So it took a day."),
        ("It took a day, um.", "It took a day."),
        ("UH... we shipped in March.", "We shipped in March."),
        ("You know, I umpired the final.", "You know, I umpired the final."),  # not "um"; phrases stay
        ("iOS shipped first. Uh, then web.", "iOS shipped first. Then web."),
    ],
)
def test_the_answer_to_grade_is_the_transcript_without_one_word_fillers(spoken: str, graded: str) -> None:
    """A spoken story and the same story typed give the same text, so the same STAR grade."""
    assert without_fillers(spoken) == graded


def test_an_answer_recorded_in_two_goes_adds_up() -> None:
    first = measure(evenly(["Um,", *[f"a{i}" for i in range(20)]]), duration_s=10.0)
    gap = timed(("b0", 0.0, 0.4), ("b1", 2.4, 2.8), ("uh", 2.8, 3.2), ("b2", 3.2, 3.6))
    second = measure(gap, duration_s=4.0)
    both = combined(first, second)
    assert both.words == 23 and both.duration_s == 14.0
    assert both.fillers == {"uh": 1, "um": 1}
    assert both.pauses == [Pause(at_s=10.4, length_s=2.0)]  # where it was, counted from the first go
    minutes = 20 / first.words_per_minute + 3 / second.words_per_minute  # the speech behind each pace
    assert both.words_per_minute == pytest.approx(23 / minutes, rel=0.01)
