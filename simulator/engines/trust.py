"""How far a model's judge may be trusted: its agreement with coaches, measured by `judge-eval`.

`python -m simulator judge-eval` grades the labelled check set with the judge and with the offline
grader and stores both agreements here, per model, in the user's data folder. A judge that agreed
with the coaches less often than the offline grader (on STAR parts or on scores) is *advisory*: its grade is shown beside the
offline grade, never over it, so a weak model cannot turn a good answer into a bad one (nor flip a
panel verdict). A model never measured is advisory on the local engine (the bundled tiny model)
and trusted elsewhere, as before this file existed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from pydantic import Field, ValidationError

from simulator.models import Strict
from simulator.paths import home

TRUST_FILE = "judge_trust.json"


class JudgeTrust(Strict):
    model: str
    judge_agreement: float = Field(ge=0.0, le=1.0, description="share of STAR parts that agreed with coaches")
    offline_agreement: float = Field(ge=0.0, le=1.0, description="the offline grader's share on the same set")
    judge_near: float = Field(
        0.0, ge=0.0, le=1.0, description="share of scores within one point of the coach's"
    )
    offline_near: float = Field(0.0, ge=0.0, le=1.0)
    answers: int = Field(ge=0)
    fell_back: int = Field(0, ge=0, description="answers the judge gave no usable verdict for")
    measured_at: str = ""

    @property
    def advisory(self) -> bool:
        """Below the offline grader on parts or on scores: either way it would make grades worse."""
        return self.judge_agreement < self.offline_agreement or self.judge_near < self.offline_near

    def line(self) -> str:
        role = "advisory: shown beside the offline grade" if self.advisory else "trusted to grade"
        return (
            f"judge {self.model}: agreed with coaches on {self.judge_agreement:.0%} of parts; "
            f"the offline grader on {self.offline_agreement:.0%}; scores within a point: "
            f"{self.judge_near:.0%} against {self.offline_near:.0%} ({role})"
        )


def trust_path(folder: Path | None = None) -> Path:
    return (folder or home()) / TRUST_FILE


def _read(path: Path) -> dict[str, dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def load_trust(model: str, folder: Path | None = None) -> JudgeTrust | None:
    """The stored measurement for this model, or None (never measured, or the file is unreadable)."""
    raw = _read(trust_path(folder)).get(model)
    try:
        return JudgeTrust.model_validate(raw) if raw is not None else None
    except ValidationError:
        return None


def save_trust(trust: JudgeTrust, folder: Path | None = None) -> Path:
    path = trust_path(folder)
    data = _read(path)
    data[trust.model] = trust.model_dump(mode="json")
    partial = path.with_suffix(f".{os.getpid()}.part")  # written whole, then renamed
    partial.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
    partial.replace(path)
    return path


def judge_is_advisory(trust: JudgeTrust | None, engine: str) -> bool:
    if trust is None:
        return engine == "local"
    return trust.advisory


def setup_line(engine: str, model: str, folder: Path | None = None) -> str:
    """What the setup page says about the judge of this engine and model."""
    if engine == "local":
        from simulator.engines.local import MODEL_ALIAS

        model = MODEL_ALIAS
    trust = load_trust(model, folder)
    if trust is not None:
        return trust.line()
    role = "advisory until measured" if judge_is_advisory(None, engine) else "not measured yet"
    return f"judge {model}: {role} (python -m simulator judge-eval --engine {engine})"
