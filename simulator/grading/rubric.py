"""Schemas of the answer-level rubric files: rubrics/star.yaml and rubrics/consistency.yaml."""

from __future__ import annotations

from pydantic import Field

from simulator.models import Strict


class StarRubric(Strict):
    name: str
    version: str = Field(pattern=r"^\d+(\.\d+)*$")


class ConsistencyRubric(Strict):
    name: str
    version: str = Field(pattern=r"^\d+(\.\d+)*$")
