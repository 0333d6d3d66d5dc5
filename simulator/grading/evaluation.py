"""How well the rule-based grader does on a labelled development set.

Pure: it takes the parsed rows (see tests/data/star_devset.jsonl and consistency_devset.yaml) and
the rubrics, grades every row and counts. `bench/grading.py` prints the figures; a test holds them
to the targets.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from simulator.catalog import Rubrics
from simulator.grading.grader import grade_answer
from simulator.grading.request import GradeRequest
from simulator.grading.rubric import STAR_PARTS
from simulator.models import QA, AnswerGrade, Job, RoundOne

PROBLEMS = ("contradiction", "embellishment")


def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    """Rank correlation, ties sharing their mean rank; nan for fewer than three pairs."""
    if len(a) < 3:
        return float("nan")

    def ranks(v: np.ndarray) -> np.ndarray:
        r = np.empty(len(v))
        r[v.argsort(kind="stable")] = np.arange(len(v))
        for value in np.unique(v):
            r[v == value] = r[v == value].mean()
        return r

    ra, rb = ranks(np.asarray(a, dtype=float)), ranks(np.asarray(b, dtype=float))
    if ra.std() == 0 or rb.std() == 0:
        return 0.0
    return float(np.corrcoef(ra, rb)[0, 1])


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @staticmethod
    def total(tallies: Iterable[Tally]) -> Tally:
        """The counts added up (a micro-average over parts or flags)."""
        counts = [(t.tp, t.fp, t.fn) for t in tallies]
        return Tally(*map(sum, zip(*counts, strict=True))) if counts else Tally()

    def count(self, expected: bool, predicted: bool) -> None:
        if expected and predicted:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif expected:
            self.fn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class StarReport:
    components: dict[str, Tally] = field(default_factory=dict)
    criteria: dict[str, Tally] = field(default_factory=dict)
    flags: dict[str, Tally] = field(default_factory=dict)
    ungradable_correct: int = 0
    rows: int = 0
    kind_correct: int = 0
    kinds_checked: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def ungradable_accuracy(self) -> float:
        return self.ungradable_correct / self.rows if self.rows else 1.0

    @property
    def component_f1(self) -> float:
        """Micro-averaged over the four parts."""
        return Tally.total(self.components.values()).f1

    def flag_total(self) -> Tally:
        return Tally.total(self.flags.values())


def star_request(row: dict) -> GradeRequest:
    job = None
    if row.get("company"):
        job = Job(title="the role", company=row["company"], description="(dev set)")
    return GradeRequest(
        question=row["question"], answer=row["answer"], question_kind=row.get("question_kind"), job=job
    )


def evaluate_star(rows: list[dict], rubrics: Rubrics, use_meaning: bool = True) -> StarReport:
    report = StarReport(components={p: Tally() for p in STAR_PARTS})
    for row in rows:
        grade = grade_answer(star_request(row), rubrics, use_meaning=use_meaning)
        expected = row["expected"]
        report.rows += 1
        if grade.status == expected["status"]:
            report.ungradable_correct += 1
        else:
            report.misses.append(f"{row['id']}: status {grade.status}, expected {expected['status']}")
        if expected.get("kind"):
            report.kinds_checked += 1
            report.kind_correct += grade.question_kind == expected["kind"]
        _count_parts(row, grade, report, rubrics)
        if expected["status"] == "graded":
            wanted = set(expected.get("flags") or [])
            for flag in wanted | set(grade.flags):
                report.flags.setdefault(flag, Tally()).count(flag in wanted, flag in grade.flags)
                if (flag in wanted) != (flag in grade.flags):
                    report.misses.append(
                        f"{row['id']}: flag {flag} {'missed' if flag in wanted else 'extra'}"
                    )
    return report


def _count_parts(row: dict, grade: AnswerGrade, report: StarReport, rubrics: Rubrics) -> None:
    expected = row["expected"]
    present_at = rubrics.star.present_at
    for part, wanted in (expected.get("components") or {}).items():
        component = grade.star.get(part)
        got = component is not None and component.score >= present_at
        report.components[part].count(bool(wanted), got)
        if bool(wanted) != got:
            report.misses.append(f"{row['id']}: {part} {'missed' if wanted else 'extra'}")
    for name, wanted in (expected.get("criteria") or {}).items():
        got = grade.dimensions.get(name, 0.0) >= present_at
        report.criteria.setdefault(name, Tally()).count(bool(wanted), got)


# ---------------------------------------------------------------- consistency


@dataclass
class ConsistencyReport:
    labelled: int = 0  # labelled contradictions and embellishments
    found: int = 0  # ... found with a problem finding of the same category
    kind_exact: int = 0  # ... and of the same kind
    clean_pairs: int = 0
    clean_flagged: int = 0  # clean pairs with any contradiction or embellishment
    changed_pairs: int = 0
    spurious: int = 0  # problem findings on changed pairs that match no label
    omissions: int = 0
    omissions_found: int = 0
    matched_correct: int = 0
    pairs: int = 0
    by_category: Counter[str] = field(default_factory=Counter)
    found_by_category: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.labelled if self.labelled else 1.0

    @property
    def false_flag_rate(self) -> float:
        return self.clean_flagged / self.clean_pairs if self.clean_pairs else 0.0

    @property
    def match_accuracy(self) -> float:
        return self.matched_correct / self.pairs if self.pairs else 1.0


def pair_request(pair: dict) -> GradeRequest:
    round_one = RoundOne(
        answers=[QA(question=qa["question"], answer=qa["answer"]) for qa in pair.get("round_one") or []],
        notes=pair.get("round_one_notes") or "",
    )
    return GradeRequest(
        question=pair["question"],
        answer=pair["answer"],
        round_one=round_one,
        question_kind=pair.get("question_kind"),
    )


def _expected_match(pair: dict) -> str | None:
    matched = pair["expected"].get("matched")
    if matched is None:
        return None
    if matched == "notes":
        return "round-one notes"
    return pair["round_one"][int(matched)]["question"]


def evaluate_consistency(pairs: list[dict], rubrics: Rubrics) -> ConsistencyReport:
    report = ConsistencyReport()
    for pair in pairs:
        grade = grade_answer(pair_request(pair), rubrics)
        findings = grade.consistency.findings
        labels = pair["expected"].get("differences") or []
        report.pairs += 1
        if grade.consistency.matched_round_one == _expected_match(pair):
            report.matched_correct += 1
        else:
            report.misses.append(f"{pair['id']}: matched {grade.consistency.matched_round_one!r}")
        problems = [f for f in findings if f.kind in PROBLEMS]
        wanted = [d for d in labels if d["kind"] in PROBLEMS]
        if not wanted:
            report.clean_pairs += 1 if not [d for d in labels if d["kind"] == "omission"] else 0
            if problems and not [d for d in labels if d["kind"] == "omission"]:
                report.clean_flagged += 1
                report.misses.append(f"{pair['id']}: false {problems[0].kind}/{problems[0].category}")
        else:
            report.changed_pairs += 1
        unmatched = list(problems)
        for label in wanted:
            report.labelled += 1
            report.by_category[label["category"]] += 1
            hit = next((f for f in unmatched if f.category == label["category"]), None)
            if hit is None:
                report.misses.append(f"{pair['id']}: missed {label['kind']}/{label['category']}")
                continue
            unmatched.remove(hit)
            report.found += 1
            report.found_by_category[label["category"]] += 1
            report.kind_exact += hit.kind == label["kind"]
        if wanted:
            report.spurious += len(unmatched)
            for f in unmatched:
                report.misses.append(f"{pair['id']}: extra {f.kind}/{f.category}")
        for label in labels:
            if label["kind"] == "omission":
                report.omissions += 1
                if any(f.kind == "omission" for f in findings):
                    report.omissions_found += 1
                else:
                    report.misses.append(f"{pair['id']}: missed omission")
    return report
