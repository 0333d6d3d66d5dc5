"""Loading the rubrics: a cue broken only once its slots are filled is named with its file, however the
cue is read (in its list's one alternation, or alone), and reading the files again in the same process
checks them again (what is kept between reads never lets a broken file through)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from simulator.catalog import CatalogError, load_rubrics, rubrics_dir
from simulator.grading.rubric import declared_cue_lists


def _edited(tmp_path: Path, name: str, edit: Callable[[dict], None]) -> Path:
    shutil.copytree(rubrics_dir(), tmp_path, dirs_exist_ok=True)
    path = tmp_path / f"{name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return tmp_path


def _refusal(folder: Path) -> str:
    with pytest.raises(CatalogError) as caught:
        load_rubrics(folder)
    assert len(caught.value.errors) == 1, caught.value.errors
    return caught.value.errors[0]


def _look_behind_on_a_slot(data: dict) -> None:
    # Fine with one letter standing in for the slot; once "I|we" fills it, the look-behind's width varies.
    data["vocabulary"]["who"] = "I|we|my team"
    data["overconfident"]["cues"].append("(?<={who} )never miss")


def test_a_cue_in_a_list_broken_once_its_slot_is_filled_is_named(tmp_path: Path) -> None:
    line = _refusal(_edited(tmp_path, "star", _look_behind_on_a_slot))
    assert "star.yaml" in line
    assert "pattern '(?<={who} )never miss' is not valid once expanded" in line
    assert "look-behind" in line


def test_a_cue_read_alone_broken_once_its_slot_is_filled_is_named(tmp_path: Path) -> None:
    """team_patterns name their group, so each is compiled alone, never in an alternation."""

    def edit(data: dict) -> None:
        data["team_patterns"].append("(?<=our {person} )(?P<n>{num}) of us")

    line = _refusal(_edited(tmp_path, "consistency", edit))
    assert "consistency.yaml" in line
    assert "pattern '(?<=our {person} )(?P<n>{num}) of us' is not valid once expanded" in line


def test_a_broken_file_read_twice_is_refused_twice_and_the_shipped_one_still_loads(tmp_path: Path) -> None:
    folder = _edited(tmp_path, "star", _look_behind_on_a_slot)
    first = _refusal(folder)
    assert _refusal(folder) == first
    star = load_rubrics().star  # the shipped cues still read an answer after the refusals
    boast = star.compile(star.overconfident.cues).search("Honestly, I never miss a deadline.")
    assert boast is not None and boast.group(0) == "I never miss a deadline"


def test_the_rubrics_read_twice_compile_the_same_cue_lists() -> None:
    first, second = load_rubrics(), load_rubrics()
    for one, other in ((first.star, second.star), (first.consistency, second.consistency)):
        lists = list(declared_cue_lists(one))
        assert lists == list(declared_cue_lists(other))
        assert [one.compile(p).pattern for p in lists] == [other.compile(p).pattern for p in lists]
        assert [one.compile(p).flags for p in lists] == [other.compile(p).flags for p in lists]
