"""Pressure settings: how often interviewers follow up, throw curveballs, interrupt, keep time."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import Field

from simulator.models import Pressure, Strict

DATA = Path(__file__).parent / "data" / "pressure.yaml"


class PressureProfile(Strict):
    follow_up_rate: float = Field(ge=0.0, le=1.0)
    conflict_follow_up_rate: float = Field(ge=0.0, le=1.0)
    max_follow_ups: int = Field(ge=0, le=5)
    curveball_rate: float = Field(ge=0.0, le=1.0)
    ramble_after_words: int | None = Field(None, ge=50)
    interrupt_after_words: int | None = Field(None, ge=50)
    clock_grace_minutes: float = Field(ge=0.0)
    candidate_question_minutes: float = Field(ge=0.0)


@cache
def profiles() -> dict[str, PressureProfile]:
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return {name: PressureProfile.model_validate(values) for name, values in raw.items()}


def profile(pressure: Pressure) -> PressureProfile:
    return profiles()[pressure]
