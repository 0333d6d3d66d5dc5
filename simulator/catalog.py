"""Loads and validates the data files: personas/*.yaml and rubrics/*.yaml.

Strict: a bad file fails with its path, the field and the reason on one line, so a
non-programmer editing a persona sees exactly what to fix.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from simulator.grading.reply_rubric import ReplyRubric
from simulator.grading.rubric import ConsistencyRubric, StarRubric
from simulator.grading.session_rubric import CandidateQuestionsRubric, ChecklistRubric
from simulator.models import Persona, RoleBank

ROOT = Path(__file__).resolve().parent.parent
M = TypeVar("M", bound=BaseModel)

# The default order of a second-round loop.
DEFAULT_PANEL = ("hiring_manager", "team_member", "skip_level", "cross_functional")


class CatalogError(ValueError):
    """A data file is missing, unreadable or invalid. `errors` holds one line per problem."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__(errors[0] if len(errors) == 1 else f"{errors[0]} (and {len(errors) - 1} more)")


def personas_dir() -> Path:
    return Path(os.environ.get("ROUNDTWO_PERSONAS", ROOT / "personas"))


def rubrics_dir() -> Path:
    return Path(os.environ.get("ROUNDTWO_RUBRICS", ROOT / "rubrics"))


def _field_path(loc: tuple[int | str, ...], data: object) -> str:
    """A readable path like `questions[hm_conflict].text`: list items are named by their id."""
    out = ""
    node = data
    for key in loc:
        if isinstance(key, int):
            label: object = key
            item = node[key] if isinstance(node, list) and 0 <= key < len(node) else None
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                label = item["id"]
            out += f"[{label}]"
        else:
            out += f".{key}" if out else str(key)
        try:
            node = node[key]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            node = None
    return out or "(top level)"


def validation_lines(path: Path | str, exc: ValidationError, data: object) -> list[str]:
    lines = []
    for err in exc.errors():
        where = _field_path(tuple(err["loc"]), data)
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        lines.append(f"{path}: {where}: {msg}")
    return lines


class _UniqueKeys:
    """A safe loader's mapping constructor, except that a key given twice in one mapping is an error.

    Plain YAML keeps the last value silently, so a persona with two `questions:` blocks would lose
    the first without a word.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        first_line: dict[object, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)  # type: ignore[attr-defined]
            try:
                earlier = first_line.get(key)
            except TypeError:  # an unhashable key: the safe loader reports it
                continue
            if earlier is not None:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} (first given at line {earlier})", key_node.start_mark
                )
            first_line[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep)  # type: ignore[misc]


class _UniqueKeysLoader(_UniqueKeys, yaml.SafeLoader):
    """PyYAML's own parser: the one whose errors (line numbers, RecursionError when deep) users see."""


if yaml.__with_libyaml__:  # PyYAML's wheels bundle libyaml; a build without it reads everything in Python

    class _FastUniqueKeysLoader(_UniqueKeys, yaml.CSafeLoader):
        """libyaml's parser: ten times faster (0.03 s against 0.3 s for the files read at every start)."""


_FAST_MAX_DEPTH = 64  # far beyond any honest file, far below where the two parsers part ways
# Tabs, byte-order marks past the start, the rarer line breaks and control characters: where
# PyYAML refuses what libyaml reads (a tab inside a value, a stray mark), or might.
_UNUSUAL_CHARACTER = re.compile(
    "[\t\x85\u2028\u2029]|(?<!^)\ufeff|[^\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _read_alike(root: yaml.Node) -> bool:
    """Whether libyaml read this text as PyYAML's parser would, judged from the nodes it composed.

    They part ways where PyYAML refuses what libyaml reads: an unusual character (checked before), a
    '?' in a plain value in [...] or {...}, and nesting from about 300 levels (PyYAML runs out of
    stack; libyaml stops at 1,000). Each of those, and anything libyaml refuses, goes to PyYAML.
    Nodes are seen once each, in the order of the text, so an alias is not read again.
    """
    seen: set[int] = set()
    todo: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]  # node, depth, inside [...] or {...}
    while todo:
        node, depth, in_flow = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if in_flow and not node.style and "?" in node.value:  # plain: libyaml says "", PyYAML None
                return False
            continue
        assert isinstance(node, yaml.CollectionNode)
        if depth >= _FAST_MAX_DEPTH:
            return False
        inner = [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else node.value
        todo.extend((n, depth + 1, bool(node.flow_style)) for n in reversed(inner))
    return True


def parse_yaml(text: str) -> object:
    """Safe YAML with duplicate keys refused. Raises yaml.YAMLError, or RecursionError when absurdly deep.

    libyaml reads it, once, when it reads it as PyYAML would; anything else PyYAML's parser reads, so
    every message and every outcome a user sees is that parser's.
    """
    if yaml.__with_libyaml__ and not _UNUSUAL_CHARACTER.search(text):
        loader = _FastUniqueKeysLoader(text)
        try:
            root = loader.get_single_node()
            if root is None:  # no document, or an empty one
                return None
            if _read_alike(root):
                return loader.construct_document(root)
        except Exception:  # any refusal at all: the reference parser says why, in its own words
            pass
        finally:
            loader.dispose()
    return yaml.load(text, Loader=_UniqueKeysLoader)  # a SafeLoader subclass: plain data only


def read_file_yaml(path: Path, limit: int, what: str) -> object:
    """A user's YAML file (a script, a job): a regular file within `limit` bytes, read, or one line
    naming the file."""
    from simulator.limits import MAX_NESTING, size_label  # limits is data only; imported late to stay light

    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # read_yaml names the missing or unreadable file
    else:
        if not path.is_file():
            raise CatalogError([f"{path}: not a regular file"])
    if size > limit:
        raise CatalogError([f"{path}: larger than {size_label(limit)}, the limit for {what}"])
    try:
        return read_yaml(path)
    except RecursionError:
        raise CatalogError([f"{path}: nested more than {MAX_NESTING} levels deep"]) from None


def read_yaml(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogError([f"{path}: file not found"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError([f"{path}: cannot read: {exc}"]) from None
    try:
        return parse_yaml(text)
    except RecursionError:
        raise CatalogError([f"{path}: invalid YAML: nested too deeply"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise CatalogError([f"{path}: {where}invalid YAML: {problem}"]) from None


def load_model(path: Path, model: type[M]) -> M:
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise CatalogError([f"{path}: expected a mapping at the top level"])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise CatalogError(validation_lines(path, exc, data)) from None


def load_persona(path: Path) -> Persona:
    persona = load_model(path, Persona)
    if persona.id != path.stem:
        raise CatalogError([f"{path}: id: '{persona.id}' must match the file name '{path.stem}'"])
    return persona


def load_personas(directory: Path | None = None) -> dict[str, Persona]:
    """Every persona in the folder, by id. Collects all errors before failing."""
    directory = directory or personas_dir()
    if not directory.is_dir():
        raise CatalogError([f"{directory}: personas folder not found"])
    personas: dict[str, Persona] = {}
    errors: list[str] = []
    files = sorted(directory.glob("*.yaml")) + sorted(directory.glob("*.yml"))
    if not files:
        raise CatalogError([f"{directory}: no persona files (*.yaml)"])
    for path in files:
        try:
            persona = load_persona(path)
        except CatalogError as exc:
            errors.extend(exc.errors)
            continue
        personas[persona.id] = persona
    if errors:
        raise CatalogError(errors)
    add_role_banks(personas, directory / "banks")
    return personas


def add_role_banks(personas: dict[str, Persona], directory: Path) -> None:
    """Join personas/banks/<family>.yaml to each persona's `family_questions`. Collects all errors.

    A bank may hold questions for a persona this folder lacks: they wait unused, as the bank is shared.
    """
    if not directory.is_dir():
        return
    errors: list[str] = []
    seen = {q.id: f"{p.id}.yaml" for p in personas.values() for q in p.questions}
    seen |= {
        q.id: f"{p.id}.yaml" for p in personas.values() for qs in p.family_questions.values() for q in qs
    }
    for path in sorted(directory.glob("*.yaml")):
        try:
            bank = load_model(path, RoleBank)
        except CatalogError as exc:
            errors.extend(exc.errors)
            continue
        if bank.family != path.stem:
            errors.append(f"{path}: family: '{bank.family}' must match the file name '{path.stem}'")
            continue
        for persona_id, questions in bank.questions.items():
            for question in questions:
                if question.id in seen:
                    errors.append(
                        f"{path}: questions.{persona_id}[{question.id}].id: already used in {seen[question.id]}"
                    )
                seen[question.id] = path.name
            persona = personas.get(persona_id)
            if persona is not None:
                own = persona.family_questions.get(bank.family, [])
                persona.family_questions = {**persona.family_questions, bank.family: [*own, *questions]}
    if errors:
        raise CatalogError(errors)


@dataclass(frozen=True)
class Rubrics:
    star: StarRubric
    consistency: ConsistencyRubric
    checklist: ChecklistRubric
    candidate_questions: CandidateQuestionsRubric
    replies: ReplyRubric  # versioned on each reply grade, so not part of `version`

    @property
    def version(self) -> str:
        """Recorded with every grade, so an old grade stays explainable after a rubric edit."""
        return (
            f"star@{self.star.version} consistency@{self.consistency.version} "
            f"checklist@{self.checklist.version} candidate_questions@{self.candidate_questions.version}"
        )


def load_rubrics(directory: Path | None = None) -> Rubrics:
    directory = directory or rubrics_dir()
    files: dict[str, type[BaseModel]] = {
        "star": StarRubric,
        "consistency": ConsistencyRubric,
        "checklist": ChecklistRubric,
        "candidate_questions": CandidateQuestionsRubric,
        "replies": ReplyRubric,
    }
    loaded: dict[str, BaseModel] = {}
    errors: list[str] = []
    for name, model in files.items():
        try:
            loaded[name] = load_model(directory / f"{name}.yaml", model)
        except CatalogError as exc:
            errors.extend(exc.errors)
    if errors:
        raise CatalogError(errors)
    return Rubrics(**loaded)  # type: ignore[arg-type]
