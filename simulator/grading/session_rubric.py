"""Schemas of the session-level rubric files: rubrics/checklist.yaml, rubrics/candidate_questions.yaml."""

from __future__ import annotations

from pydantic import Field

from simulator.models import Strict


class ChecklistRubric(Strict):
    name: str
    version: str = Field(pattern=r"^\d+(\.\d+)*$")


class CandidateQuestionsRubric(Strict):
    name: str
    version: str = Field(pattern=r"^\d+(\.\d+)*$")
