"""STAR labels earn nothing: a part counts for what the answer shows, not for the word in front of it.

Before labels were taken out, "Situation: ... Task: ... Action: ... Result: ..." lifted a weak answer
(each capitalised word after a label read as a name, i.e. concrete detail).
"""

from __future__ import annotations

import pytest
from grading_support import grade, star_rows

QUESTION = "Tell me about a time you improved a process."
WEAK = [
    "There was a problem with the reports at work.",
    "Things were slow.",
    "We looked at it and changed some stuff.",
    "Revenue up 300%.",
]
LABELS = ("Situation", "Task", "Action", "Result")


def _labelled(parts: list[str], style: str) -> str:
    if style == "colon":
        return " ".join(f"{label}: {part}" for label, part in zip(LABELS, parts, strict=True))
    if style == "dash":
        return " ".join(f"{label} - {part}" for label, part in zip(LABELS, parts, strict=True))
    if style == "letters":
        return " ".join(f"{label[0]}: {part}" for label, part in zip(LABELS, parts, strict=True))
    if style == "markdown":
        return "\n".join(f"**{label}:** {part}" for label, part in zip(LABELS, parts, strict=True))
    if style == "headings":
        return "\n".join(f"### {label}\n{part}" for label, part in zip(LABELS, parts, strict=True))
    raise ValueError(style)


STYLES = ("colon", "dash", "letters", "markdown", "headings")


@pytest.mark.parametrize("style", STYLES)
def test_labels_do_not_lift_a_weak_answer(style: str) -> None:
    plain = grade(QUESTION, " ".join(WEAK))
    stuffed = grade(QUESTION, _labelled(WEAK, style))
    assert plain.status == stuffed.status == "graded"
    assert plain.overall is not None and stuffed.overall is not None
    assert stuffed.overall <= plain.overall
    assert stuffed.structure is not None and plain.structure is not None
    assert stuffed.structure <= plain.structure
    for part in ("situation", "task", "action", "result"):
        assert stuffed.star[part].score <= plain.star[part].score


def test_labels_alone_are_not_an_answer() -> None:
    g = grade(QUESTION, "Situation: Task: Action: Result:")
    assert g.status == "ungradable" and g.overall is None


def _sentences(answer: str) -> list[str]:
    out, current = [], []
    for word in answer.split():
        current.append(word)
        if word.endswith((".", "!", "?")):
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return out


def _strong_stories() -> list[str]:
    rows = [
        r
        for r in star_rows()
        if r["quality"] == "strong" and r["style"] == "typed" and r["expected"]["status"] == "graded"
    ]
    return [r["answer"] for r in rows if len(_sentences(r["answer"])) >= 4][:4]


@pytest.mark.parametrize("style", ["colon", "markdown"])
def test_a_good_answer_that_uses_labels_keeps_its_grade(style: str) -> None:
    stories = _strong_stories()
    assert len(stories) >= 3
    for answer in stories:
        sentences = _sentences(answer)
        # The labels in front of its first sentence, its second, the middle and its last.
        parts = [sentences[0], sentences[1], " ".join(sentences[2:-1]), sentences[-1]]
        plain = grade(QUESTION, " ".join(parts) if style == "colon" else "\n".join(parts))
        labelled = grade(QUESTION, _labelled(parts, style))
        assert labelled.status == "graded"
        assert plain.overall is not None and labelled.overall == plain.overall
        assert labelled.structure == plain.structure
        for part in ("situation", "task", "action", "result"):
            assert labelled.star[part].score == plain.star[part].score
