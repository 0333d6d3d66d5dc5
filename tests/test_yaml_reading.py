"""Data files are read by libyaml when it reads them as PyYAML's own parser would, and by that parser
otherwise: the start is faster, and every outcome and message a user sees is the same as before.

The reference is PyYAML's parser with duplicate keys refused (`_UniqueKeysLoader`), which read
every file until libyaml took over; the outcome compared is the data read, or the error's kind and
text (line numbers included), or RecursionError.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from simulator.catalog import ROOT, CatalogError, _UniqueKeysLoader, load_personas, parse_yaml

SHIPPED = sorted(
    path
    for folder in ("personas", "personas/banks", "rubrics", "examples", "simulator/data")
    for path in (ROOT / folder).glob("*.yaml")
)


def _reference(text: str) -> object:
    return yaml.load(text, Loader=_UniqueKeysLoader)


def _outcome(read: Callable[[str], object], text: str) -> tuple[str, str]:
    try:
        return "read", repr(read(text))
    except RecursionError:
        return "RecursionError", ""
    except Exception as exc:  # the kind and the words a user would be shown
        return type(exc).__name__, str(exc)


def _nested_flow(levels: int) -> str:
    return "job: " + "[" * levels + "]" * levels + "\n"


def _nested_block(levels: int) -> str:
    return "".join("  " * i + f"k{i}:\n" for i in range(levels)) + "  " * levels + "v\n"


# Where the two parsers could part ways: nesting on both sides of 64 (where libyaml hands over),
# around 300-500 (where PyYAML runs out of stack) and 1,000 (where libyaml stops); duplicate keys;
# tabs, stray byte-order marks, control characters and the rarer line breaks; '?' and ':' inside
# [...] and {...}; aliases (shared and recursive), tags, directives, documents, block scalars.
TEXTS = [
    *(_nested_flow(n) for n in (10, 63, 64, 65, 300, 400, 490, 500, 1000)),
    *(_nested_block(n) for n in (63, 64, 300, 500, 999, 1000)),
    *("- " * n + "x\n" for n in (64, 300, 999, 1001)),
    "a: 1\na: 2\n",
    "a:\n  b: 1\n  b: 2\n",
    "{a: 1, a: 2}",
    "'a': 1\n\"a\": 2\n",
    "1: a\n1.0: b\n",
    "<<: {a: 1}\na: 2\n",
    "? [a]\n: 1\n",
    "a:\n\tb: 1\n",
    "name: Renata\tOkafor\n",
    "a: b\x85c: d\n",
    "a: 1\n\ufeffb: 2\n",
    "\ufeffa: 1\n",
    "a: \x01\n",
    "a: b\u2028c\n",
    "themes: [job_skills?]\n",
    "themes: [job skills, product strat?egy]\n",
    "{a?: 1}",
    "[a:b]",
    "{a: b: c}",
    "a: b: c",
    "a: 'unclosed\n",
    "a: [1, 2\n",
    "--- 1\n--- 2\n",
    "a: &x [1]\nb: *x\n",
    "a: &a [*a]\n",
    "b: *nope\n",
    "a: !!python/object:os.system x\n",
    "a: !foo x\n",
    "%YAML 1.2\n--- a\n",
    "%YAML 2.0\n--- a\n",
    "%TAG ! tag:x,2000:\n--- !a b\n",
    "t: 2001-12-14t21:59:43.10-05:00\no: 0o12\nq: 012\nr: 1_000\ns: .inf\nn: ~\n",
    "b: !!binary aGVsbG8=\ns: !!set {a, b}\no: !!omap [a: 1, b: 2]\n",
    "l: |2-\n   x\n  y\n",
    "a: >\n  folded\n  text\n\n  more\n",
    "a: 1\r\nb: 2\r\n",
    'a: "\\ud800"\n',
    "a: 'x'y\n",
    "- a\nb: 1\n",
    "a:\n- 1\n - 2\n",
    "a: [1,]\n",
    "@a: 1\n",
    "a: %b\n",
    "a: 1\n...\nb: 2\n",
    "",
    "# only a comment\n",
    "? " + "x" * 1100 + "\n: 1\n",
    "a" * 1100 + ": 1\n",
]


def test_the_shipped_files_are_read_by_libyaml_into_the_same_data(monkeypatch: pytest.MonkeyPatch) -> None:
    references = {path: _reference(path.read_text(encoding="utf-8")) for path in SHIPPED}

    def refuse(*args: object) -> None:
        raise AssertionError("PyYAML's Python scanner was used")

    monkeypatch.setattr(yaml.scanner.Scanner, "check_token", refuse)
    assert len(SHIPPED) > 20
    for path in SHIPPED:
        assert parse_yaml(path.read_text(encoding="utf-8")) == references[path], path


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_each_tricky_text_reads_as_pyyaml_reads_it(text: str) -> None:
    assert _outcome(parse_yaml, text) == _outcome(_reference, text)


def test_mangled_copies_of_the_shipped_files_read_as_pyyaml_reads_them() -> None:
    """A persona being edited: slices of the shipped files with a few characters typed, deleted or replaced."""
    rng = random.Random(9)
    texts = [path.read_text(encoding="utf-8") for path in SHIPPED]
    typed = list(" \t\n:-[]{},#&*!|>'\"?%@`\\~.09az\r\x85\ufeff\x01\u2028")
    read_by_both = 0
    for _ in range(800):
        source = rng.choice(texts)
        start = rng.randrange(len(source))
        chars = list(source[start : start + rng.randrange(50, 1500)])
        for _ in range(rng.randrange(1, 6)):
            at = rng.randrange(len(chars) + 1)
            roll = rng.random()
            if roll < 0.4 or not chars:
                chars.insert(at, rng.choice(typed))
            elif roll < 0.8:
                del chars[min(at, len(chars) - 1)]
            else:
                chars[min(at, len(chars) - 1)] = rng.choice(typed)
        text = "".join(chars)
        fast, reference = _outcome(parse_yaml, text), _outcome(_reference, text)
        assert fast == reference, repr(text)
        read_by_both += fast[0] == "read"
    assert read_by_both > 50  # the comparison covered texts that read, not only refusals


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            ("name: Renata Okafor", "name: Renata\tOkafor"),
            "line 8: invalid YAML: found character '\\t' that cannot start any token",
        ),
        (
            ("themes: [job_skills]", "themes: [job_skills?]"),
            "line 123: invalid YAML: expected ',' or ']', but got '?'",
        ),
        (("name: Renata Okafor", "name: " + "[" * 600 + "]" * 600), "invalid YAML: nested too deeply"),
    ],
    ids=["a tab in a value", "a question mark in a list", "600 levels deep"],
)
def test_a_persona_only_libyaml_would_read_is_refused_as_before(
    tmp_path: Path, edit: tuple[str, str], message: str
) -> None:
    """libyaml reads each of these; PyYAML's parser refused them, and still does, with the same line."""
    for path in (ROOT / "personas").glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    target = tmp_path / "hiring_manager.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace(*edit, 1), encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_personas(tmp_path)
    assert caught.value.errors == [f"{target}: {message}"]
