"""The consistency rubric's {team_noun} and {person} are made from its lists each time it is read,
never kept as if the file had written them: a rubric edited and read back counts the people it names."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from simulator.catalog import CatalogError, load_rubrics, rubrics_dir
from simulator.grading.claims import extract
from simulator.grading.rubric import ConsistencyRubric
from simulator.grading.text import analyse

SAID = "It was just me and two lifeguards on the early shift."


def _team_sizes(rubric: ConsistencyRubric) -> list[float | str]:
    text = analyse(SAID, load_rubrics().star)
    return [claim.value for claim in extract(text, rubric) if claim.category == "team_size"]


def test_a_rubric_read_back_with_another_people_noun_counts_those_people() -> None:
    shipped = load_rubrics().consistency
    assert _team_sizes(shipped) == []  # lifeguards are no people noun of the shipped file
    data = shipped.model_dump(mode="json")
    assert {"team_noun", "person"}.isdisjoint(data["vocabulary"])  # the file's own fragments only
    data["team_nouns"] = [*data["team_nouns"], "lifeguard"]
    edited = ConsistencyRubric.model_validate(data)
    assert _team_sizes(edited) == [3]  # two of them and me
    assert "lifeguard" in edited.vocabulary["person"]


@pytest.mark.parametrize(
    "name, cue_list", [("star", ("overconfident", "cues")), ("consistency", ("hedges",))]
)
def test_a_fragment_that_breaks_a_pattern_is_named_in_one_line(
    tmp_path: Path, name: str, cue_list: tuple[str, ...]
) -> None:
    """Checked as the pattern will run, before anything is compiled: the file and the pattern are
    named, never a regular-expression traceback."""
    shutil.copytree(rubrics_dir(), tmp_path, dirs_exist_ok=True)
    path = tmp_path / f"{name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["vocabulary"]["broken"] = "(unclosed"
    place = data
    for key in cue_list:
        place = place[key]
    place.append("{broken} thing")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_rubrics(tmp_path)
    assert caught.value.errors == [caught.value.errors[0]]
    assert f"{name}.yaml" in caught.value.errors[0]
    assert "pattern '{broken} thing' is not valid once expanded" in caught.value.errors[0]
