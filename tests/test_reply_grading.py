"""Follow-up replies graded on what the follow-up asked: typed, spoken and non-native replies for
every label, each with the words that show it. (Written for these tests: not from the held-out sets.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from simulator.catalog import ROOT, CatalogError, Rubrics, load_rubrics
from simulator.grading.reply import grade_reply, need_for
from simulator.grading.semantic import default_meaning

# (style, follow-up, reply, expected label, words the quote must hold, the orchestrator's reason)
CASES = [
    ("typed", "How did it end? I want the outcome, not the intention.",
     "Average handling time fell from nine minutes to six within a month, and complaints about being "
     "passed around stopped.", "answered", "nine minutes to six", "result"),
    ("spoken", "So how did it turn out?",
     "um so yeah it went pretty well I think, people seemed happier with it", "partly", "went pretty well",
     "result"),
    ("typed", "Can you put a number on that? Time saved, customers affected, a percentage, anything I could check.",
     "Roughly 40 hours a month back for the two schedulers, give or take.", "answered", "40 hours a month",
     "numbers"),
    ("non_native", "How many customers were affected, and how did you tell them?",
     "It was around 300 customers in the north region.", "partly", "300 customers", None),
    ("spoken", "How long did the migration take, and what broke on the way?",
     "uh so what broke was mostly the date formats, the old system stored them as text and, like, half the "
     "imports failed the first night.", "partly", "date formats", None),
    ("typed", "What did you say to the supplier?",
     "Suppliers respond to clear expectations. Good relationships are built on honesty, and I believe that "
     "is the key to any negotiation.", "evasive", "Suppliers respond to clear expectations", None),
    ("spoken", "Did the client renew?",
     "I mean, you know, renewals are always a team effort, it's really about the relationship over the "
     "whole year, that's what matters at the end of the day.", "evasive", "renewals are always a team effort",
     None),
    ("non_native", "What did your manager say about the delay?",
     "In my culture we always respect the manager. Everybody must do their best for the company and the "
     "manager knows this.", "evasive", "we always respect the manager", None),
    ("typed", "What did you do when the engineer refused to fix it?",
     "I would escalate it to his lead, but first I'd try to understand what was blocking him.",
     "hypothetical", "I would escalate it to his lead", None),
    ("spoken", "How did you handle the angry parent?",
     "so ideally you'd, um, you'd sit them down somewhere private and you'd let them talk first, and then "
     "you'd agree the next steps.", "hypothetical", "ideally you'd", None),
    ("non_native", "Did you check the numbers with finance before the meeting?",
     "Normally I would check with finance, because they know the real figures, and I would send them the "
     "slides one day before.", "hypothetical", "Normally I would check with finance", None),
    ("typed", "Why do you think the pilot failed in the second store?",
     "Honestly, I'm not sure. I left the project before the review.", "dont_know", "I'm not sure", None),
    ("spoken", "And then what happened? Did it work?",
     "Honestly I am not sure, I have not really thought about that.", "dont_know", "I am not sure", "result"),
    ("non_native", "How much budget did you have?",
     "I don't remember, sorry. It was decided by the director and I did not see it.", "dont_know",
     "I don't remember", "numbers"),
    ("spoken", "what would you do differently next time?",
     "uh yeah I'd probably, um, involve the night shift much earlier, they found the problems we missed.",
     "answered", "involve the night shift", None),
    ("typed", "Roughly how long was the outage?",
     "I'm not certain of the exact number, but roughly four hours from the first alert to full recovery.",
     "answered", "four hours", None),
    ("typed", "You've said \"we\" a lot. What part of that was yours personally?",
     "The rota redesign was mine: I built the model, ran the two trial weeks and presented it to the ward "
     "managers. The team rolled it out.", "answered", "The rota redesign was mine", "ownership"),
    ("spoken", "what part of that was yours, personally?",
     "yeah so we, we all kind of worked on it together, we did the mapping as a group and we presented it "
     "together.", "partly", "we did the mapping as a group", "ownership"),
    ("non_native",
     "In your first round you said \u201ca team of 4 analysts\u201d. Today I heard \u201c9 analysts\u201d. "
     "Help me reconcile those.",
     "Four is right, it was four analysts in my team. Nine was the whole department when we worked with "
     "the BI people.", "answered", "Four is right", "round_one_conflict"),
    ("typed", "I'm going to push a little, because that's a bit abstract. Can you give me one real conversation?",
     "Communication is a two-way street, and people always want to feel heard. That's what I focus on.",
     "evasive", "Communication is a two-way street", "vague"),
    ("typed", "What tools did you use for the analysis?",
     "Mostly SQL in BigQuery and then Looker for the dashboard the ops team used every morning.", "answered",
     "SQL in BigQuery", None),
    ("typed", "What tools did you use?",
     "Good tools matter less than good questions. Teams always overthink the stack.", "evasive",
     "Good tools matter less than good questions", None),
    ("non_native", "What did you learn from it?",
     "That I should have involved finance much earlier. Now I bring them in at the first draft.", "answered",
     "involved finance much earlier", None),
    ("spoken", "Which supplier did you pick, and why?", "uh we went with Brenner in Hamburg.", "partly",
     "Brenner in Hamburg", None),
    ("typed", "Which supplier did you pick, and why?",
     "Brenner in Hamburg, because they were the only ones who could do the 48-hour turnaround.", "answered",
     "48-hour turnaround", None),
    ("typed", "What changed as a result, and how do you know it was your work that changed it?",
     "Stock-outs fell from twelve a month to three.", "partly", "twelve a month to three", "result"),
]  # fmt: skip


@pytest.fixture(scope="module")
def rubrics() -> Rubrics:
    return load_rubrics()


@pytest.mark.parametrize("meaning_on", [True, False], ids=["rules+meaning", "rules-only"])
@pytest.mark.parametrize(("style", "follow_up", "reply", "label", "shown", "reason"), CASES)
def test_each_reply_gets_its_label_and_the_words_that_show_it(
    rubrics: Rubrics, meaning_on: bool, style: str, follow_up: str, reply: str, label: str, shown: str,
    reason: str | None,
) -> None:  # fmt: skip
    meaning = default_meaning() if meaning_on else None
    grade = grade_reply(
        follow_up,
        reply,
        rubrics.replies,
        rubrics.star,
        meaning=meaning,
        need=need_for(reason, rubrics.replies),
    )
    assert grade.label == label, (style, grade)
    assert grade.quote in reply, "a quote is always the candidate's own words, verbatim"
    assert shown in grade.quote
    assert grade.reason and "\n" not in grade.reason
    assert grade.grader.rubric_version == f"replies@{rubrics.replies.version}"


def test_the_reason_names_what_the_follow_up_asked_for(rubrics: Rubrics) -> None:
    grade = grade_reply(
        "What was the result?", "I'm not sure, to be honest.", rubrics.replies, rubrics.star, need="result"
    )
    assert grade.label == "dont_know" and grade.asked == "the result"
    assert "the result" in grade.reason


def test_a_follow_up_that_asks_what_would_happen_is_answered_in_the_conditional(rubrics: Rubrics) -> None:
    grade = grade_reply(
        "If I called the others on that team, what would they say you did?",
        "They'd say I was the one who rewrote the rota and sat with every nurse to walk them through it.",
        rubrics.replies,
        rubrics.star,
    )
    assert grade.label == "answered"


def test_a_broken_pattern_in_the_reply_rubric_is_named_at_load(tmp_path: Path) -> None:
    folder = tmp_path / "rubrics"
    shutil.copytree(ROOT / "rubrics", folder)
    path = folder / "replies.yaml"
    path.write_text(path.read_text().replace('"\\\\bno idea\\\\b"', '"(no idea"', 1))
    with pytest.raises(CatalogError) as caught:
        load_rubrics(folder)
    message = str(caught.value)
    assert str(path) in message and "dont_know.patterns" in message and "regular expression" in message
