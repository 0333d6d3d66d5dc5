"""The Feedback tab's content without a browser: the coach's summary (verdicts, three things to fix
with the answers that show them, round-one conflicts), scoring details kept apart, the chart's
sessions, and thank-you drafts a person would send."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from feedback_sessions import EARLY_ID, STRONG_ID, WEAK_ID, three_sessions
from session_factory import personas, weak_session

from simulator.grading.thank_you import check_thank_you, draft_thank_you
from simulator.models import Session, Turn
from simulator.store import Store
from simulator.ui import feedback_render, render
from simulator.ui.actions import PageContext, score_history
from simulator.ui.coach import answer_sentence, things_to_fix
from simulator.ui.feedback_tab import history_frame


@pytest.fixture
def ctx(roundtwo_home: Path) -> Iterator[PageContext]:
    with Store() as store:
        yield PageContext(store=store)


@pytest.fixture
def saved(ctx: PageContext) -> dict[str, Session]:
    return three_sessions(ctx.store)


def text_of(markup: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)).strip()


def visible_text(markup: str) -> str:
    """What a reader sees with scoring details off: `rt-detail` spans dropped."""
    return text_of(re.sub(r'<span class="rt-detail">.*?</span>', "", markup))


# ---------------------------------------------------------------- the summary


def test_the_summary_starts_with_verdicts_then_three_fixes_then_conflicts(saved: dict[str, Session]) -> None:
    session = saved[WEAK_ID]
    summary = feedback_render.summary_html(session, personas())
    headings = re.findall(r"<h3[^>]*>(.*?)</h3>", summary)
    assert headings == ["Verdicts", "Three things to fix", "Round-one conflicts"]
    for verdict in session.debrief:  # each interviewer's verdict, by name
        assert personas()[verdict.persona_id].name in summary
    assert summary.count('class="rt-fix"') == 3


def test_each_fix_quotes_whole_sentences_of_the_answers_that_show_it_and_links_to_them(
    saved: dict[str, Session],
) -> None:
    session = saved[WEAK_ID]
    fixes = things_to_fix(session)
    result = next(f for f in fixes if f.id == "end_with_result")
    answers = {t.index: t for t in session.turns if t.kind == "answer"}
    for evidence in result.answers:
        assert evidence.turn.index in answers
        assert evidence.quote == answer_sentence(evidence.turn.text, "last")  # where the result belonged
        assert evidence.quote in evidence.turn.text and "…" not in evidence.quote
    summary = feedback_render.summary_html(session, personas())
    every_answer = render.answers_html(session, personas())
    for target in re.findall(r'class="rt-answer-link" href="#(answer-\d+)"', summary):
        assert f'id="{target}"' in every_answer  # every link lands on an answer


def test_fixes_are_ranked_by_how_many_answers_show_them() -> None:
    fixes = things_to_fix(weak_session())
    counts = [len(f.answers) for f in fixes]
    assert counts == sorted(counts, reverse=True) and len(fixes) == 3


def test_the_round_one_conflict_is_in_the_summary_with_both_quotes(saved: dict[str, Session]) -> None:
    summary = text_of(feedback_render.conflicts_html(saved[WEAK_ID], personas()))
    assert "Contradiction (team size, with Renata Okafor)" in summary
    assert "I led a team of four engineers" in summary and "leading a team of twelve engineers" in summary


def test_no_round_one_record_says_so_instead_of_an_empty_list(saved: dict[str, Session]) -> None:
    session = saved[WEAK_ID].model_copy(
        update={"round_one": saved[WEAK_ID].round_one.model_copy(update={"answers": [], "notes": ""})}
    )
    assert "nothing to compare against" in feedback_render.conflicts_html(session, personas())


# ---------------------------------------------------------------- details hidden unless asked


def test_rubric_figures_and_thresholds_are_details_not_reading(saved: dict[str, Session]) -> None:
    session = saved[WEAK_ID]
    shown = visible_text(render.debrief_html(session, personas()))
    assert not re.search(r"\(\d\.\d\d( of 1)?\)", shown), shown
    assert "starts at" not in shown and "below 2.8" not in shown
    full = render.debrief_html(session, personas())
    assert re.search(r'class="rt-detail">[^<]*\(\d\.\d\d', full)  # still there for "Show scoring details"
    card = render.answers_html(session, personas())
    assert "rt-detail rt-rubric" in card and "star@" in card  # the rubric version: a detail


def test_a_low_dimension_objection_keeps_its_words_and_loses_its_figure() -> None:
    line = "Helen Achterberg is not convinced on judgement under pressure (0.00 of 1)."
    markup = render.plain_or_detail(line)
    assert visible_text(markup).endswith("judgement under pressure.") and "0.00 of 1" in markup


def test_a_wrap_up_explanation_reads_as_what_happened() -> None:
    markup = render.closing_line(
        "Renata explained the next steps but did not sell the role: your 7 graded answers averaged "
        "3.0 of 5; selling starts at 3.8."
    )
    assert visible_text(markup) == "Renata explained the next steps but did not sell the role."
    assert "selling starts at 3.8" in markup


# ---------------------------------------------------------------- scores across sessions


def test_the_chart_numbers_sessions_in_order_and_leaves_out_a_one_interviewer_early_end(
    ctx: PageContext, saved: dict[str, Session]
) -> None:
    history = score_history(ctx)
    assert history.sessions == ["1", "3"]  # the oldest first, numbered, never placed by clock time
    assert {row["when"] for row in history} == {saved[STRONG_ID].created_at, saved[WEAK_ID].created_at}
    assert (
        history.early_end_line()
        == "Left out, as not comparable: session 2 (ended after 1 of 3 interviewers)."
    )
    frame = history_frame(history)
    assert list(frame.columns) == ["session", "who", "score"] and set(frame["session"]) == {"1", "3"}
    assert EARLY_ID not in history.early_end_line()  # named by its number, as on the chart


def test_no_finished_session_means_no_rows(ctx: PageContext) -> None:
    history = score_history(ctx)
    assert history.rows == [] and history.sessions == [] and history.early_end_line() == ""


# ---------------------------------------------------------------- thank-you drafts


def test_drafts_close_differently_for_each_interviewer_and_never_cut_a_quote(
    saved: dict[str, Session],
) -> None:
    session = saved[WEAK_ID]
    drafts = [draft_thank_you(personas()[s.persona_id], session) for s in session.plan.slots]
    closings = [d.text.split("\n\n")[2] for d in drafts]
    openers = [d.text.split("\n\n")[1].split(".")[0] for d in drafts]
    assert len(set(closings)) == len(drafts) and len(set(openers)) == len(drafts)
    for draft in drafts:
        assert "…" not in draft.text and "..." not in draft.text
        assert check_thank_you(draft.text, personas()[draft.persona_id], session, 2.0).ok


def test_a_draft_never_thanks_for_an_answer_that_was_a_deflection(saved: dict[str, Session]) -> None:
    session = saved[STRONG_ID]
    manager = "hiring_manager"
    answered = draft_thank_you(personas()[manager], session).text
    assert "candid you were about" in answered  # the interviewer did answer the candidate's question
    deflected = [
        t.model_copy(
            update={"text": "I don't want to give you a half-answer to that, so let's leave it for now."}
        )
        if t.persona_id == manager and t.kind == "interviewer_answer"
        else t
        for t in session.turns
    ]
    note = draft_thank_you(personas()[manager], session.model_copy(update={"turns": deflected})).text
    assert "candid" not in note and "answers to my questions" not in note


def test_a_long_question_is_named_by_its_gist_or_not_quoted_at_all(saved: dict[str, Session]) -> None:
    session = saved[WEAK_ID]
    long_question = (
        "Something you built failed for a morning and my team took two hundred calls about it, and the "
        "customers were furious, so walk me through what you would say to them and to my team afterwards?"
    )
    turns: list[Turn] = [
        t.model_copy(update={"text": long_question})
        if t.kind == "question" and t.persona_id == "skip_level"
        else t
        for t in session.turns
    ]
    note = draft_thank_you(personas()["skip_level"], session.model_copy(update={"turns": turns})).text
    assert "Something you built failed" not in note and "…" not in note
