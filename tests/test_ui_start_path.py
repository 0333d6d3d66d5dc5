"""What the page needs before it can serve: the personas it is built from, not the rubrics.

app.py builds the page from the personas and loads the rubrics (compiling their patterns, about a fifth
of the start's CPU) once the page serves. The personas read first are the toolkit's own afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator import service
from simulator.catalog import ROOT
from simulator.store import Store
from simulator.ui.actions import ActionError, PageContext, example_form
from simulator.ui.practice_actions import competency_choices


@pytest.fixture
def ctx(roundtwo_home: Path) -> Iterator[PageContext]:
    with Store() as store:
        yield PageContext(store=store)


def test_the_setup_form_is_filled_from_the_personas_without_the_rubrics(
    ctx: PageContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_rubrics() -> None:
        raise AssertionError("the rubrics were loaded before the page needed them")

    monkeypatch.setattr(service, "load_rubrics", no_rubrics)
    form = example_form(ctx.personas)  # what the Setup tab is built with
    assert form.title and form.slots
    assert {s.persona_id for s in form.slots} <= set(ctx.personas)


def test_the_whole_page_is_built_without_the_rubrics(
    ctx: PageContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from simulator.ui import build_app  # Gradio: imported only by the tests that build the page

    def no_rubrics() -> None:
        raise AssertionError("the rubrics were loaded before the page needed them")

    monkeypatch.setattr(service, "load_rubrics", no_rubrics)
    choices = competency_choices(ctx)  # the drill's competencies, named as the checklist rubric names them
    build_app(ctx)
    monkeypatch.undo()
    loaded = ctx.kit("offline")
    assert ctx.checklist is loaded.rubrics.checklist  # the toolkit's own, once it is loaded
    assert competency_choices(ctx) == choices
    assert any(label != value for label, value in choices)  # labels, not the raw dimension names


def test_the_toolkit_keeps_the_personas_the_page_was_built_from(ctx: PageContext) -> None:
    first = ctx.personas
    kit = ctx.kit("offline")
    assert kit.personas is first
    assert ctx.personas is first
    assert kit.rubrics.star.scale  # and the rubrics are loaded with it


def test_a_broken_persona_is_one_line_when_the_page_reads_them(
    roundtwo_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "personas"
    folder.mkdir()
    source = sorted((ROOT / "personas").glob("*.yaml"))[0]
    (folder / source.name).write_text(
        source.read_text(encoding="utf-8").replace("fallback_answer:", "fallbak_answer:"), encoding="utf-8"
    )
    monkeypatch.setenv("ROUNDTWO_PERSONAS", str(folder))
    with Store() as store, pytest.raises(ActionError) as caught:
        _ = PageContext(store=store).personas
    assert source.name in str(caught.value) and "fallback_answer: Field required" in str(caught.value)
