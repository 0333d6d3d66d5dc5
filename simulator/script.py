"""Scripted sessions: a YAML file with the job, round one, the panel and the candidate's answers.

`python -m simulator run --script FILE.yaml` plays one through with no person at the keyboard.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator

from simulator.catalog import DEFAULT_PANEL, CatalogError, read_file_yaml, validation_lines
from simulator.limits import (
    MAX_ANSWER_CHARS,
    MAX_ANSWERS,
    MAX_CANDIDATE_QUESTIONS,
    MAX_SCRIPT_BYTES,
)
from simulator.models import QA, Delivery, Job, Persona, Plan, Pressure, RoundOne, Setup, Slot, Strict
from simulator.plain_data import PlainDataError, check_plain


class AudioAnswer(Strict):
    """An answer given as a recording: transcribed offline, graded as text, its delivery kept."""

    audio: str = Field(min_length=1, description="a recording; a relative path is from the script's folder")

    def path(self, script_path: Path | str) -> Path:
        given = Path(self.audio).expanduser()
        return given if given.is_absolute() else Path(script_path).parent / given


@dataclass(frozen=True)
class ScriptedAnswer:
    """One answer as the session receives it: typed text, or a recording's transcript and delivery."""

    text: str
    delivery: Delivery | None = None


class Script(Strict):
    job: Job
    round_one: list[QA] = Field(default_factory=list)
    round_one_notes: str = ""
    story_bank: list[str] = Field(default_factory=list)
    panel: list[str] = Field(default_factory=lambda: list(DEFAULT_PANEL), min_length=1)
    minutes: dict[str, int] = Field(default_factory=dict)
    pressure: Pressure = "realistic"
    answers: list[str | AudioAnswer] = Field(min_length=1)
    candidate_questions: list[str] = Field(default_factory=list)  # typed only
    seed: int | None = None

    @field_validator("answers", mode="before")
    @classmethod
    def _recordings(cls, values: object) -> object:
        # A mapping is a recording: say plainly what is wrong with it, not what a text would need.
        if not isinstance(values, list):
            return values
        out: list[object] = []
        for i, value in enumerate(values):
            if isinstance(value, dict):
                unknown = sorted(str(k) for k in value if k != "audio")
                if unknown or not isinstance(value.get("audio"), str) or not value["audio"].strip():
                    extra = f" (unknown: {', '.join(unknown)})" if unknown else ""
                    raise ValueError(
                        f"item {i + 1}: a recorded answer is {{audio: PATH}} and nothing else{extra}"
                    )
                value = AudioAnswer(audio=value["audio"])
            out.append(value)
        return out

    @field_validator("answers", "candidate_questions")
    @classmethod
    def _no_blank(cls, values: list[str | AudioAnswer], info: ValidationInfo) -> list[str | AudioAnswer]:
        most = MAX_ANSWERS if info.field_name == "answers" else MAX_CANDIDATE_QUESTIONS
        if len(values) > most:
            raise ValueError(f"{len(values)} items; the limit is {most}")
        for i, value in enumerate(values):
            if isinstance(value, AudioAnswer):
                continue  # checked when transcribed: see voice/script_audio.py
            if not value.strip():
                raise ValueError(f"item {i + 1} is blank")
            if len(value) > MAX_ANSWER_CHARS:
                raise ValueError(
                    f"item {i + 1} is {len(value):,} characters; the limit is {MAX_ANSWER_CHARS:,}"
                )
        return values

    @model_validator(mode="after")
    def _panel(self) -> Script:
        if len(set(self.panel)) != len(self.panel):
            raise ValueError("panel: an interviewer appears twice")
        for persona_id, minutes in self.minutes.items():
            if persona_id not in self.panel:
                raise ValueError(f"minutes: '{persona_id}' is not on the panel")
            if not 3 <= minutes <= 120:
                raise ValueError(f"minutes: {persona_id} must be between 3 and 120")
        return self


def typed_answers(script: Script) -> list[ScriptedAnswer]:
    """The script's answers when none is a recording (recordings: voice.script_audio)."""
    if any(isinstance(a, AudioAnswer) for a in script.answers):
        raise CatalogError(["answers: a recorded answer must be transcribed first (voice.script_audio)"])
    return [ScriptedAnswer(a) for a in script.answers if isinstance(a, str)]


def load_script(path: Path) -> Script:
    """The script in the file; CatalogError with one line naming the file and field otherwise."""
    data = read_file_yaml(path, MAX_SCRIPT_BYTES, "a script")
    if not isinstance(data, dict):
        raise CatalogError([f"{path}: expected a mapping at the top level"])
    try:
        check_plain(data)
        return Script.model_validate(data)
    except PlainDataError as exc:
        raise CatalogError([f"{path}: {exc}"]) from None
    except ValidationError as exc:
        raise CatalogError(validation_lines(path, exc, data)) from None


def script_setup(
    script: Script, personas: dict[str, Persona], source: Path | str, seed: int | None = None
) -> Setup:
    """The Setup a script describes; unknown personas are an error naming the script's field."""
    for i, persona_id in enumerate(script.panel):
        if persona_id not in personas:
            known = ", ".join(sorted(personas))
            raise CatalogError([f"{source}: panel[{i}]: unknown persona '{persona_id}' (known: {known})"])
    slots = [
        Slot(persona_id=p, minutes=script.minutes.get(p, personas[p].default_minutes)) for p in script.panel
    ]
    chosen_seed = seed if seed is not None else (script.seed if script.seed is not None else 0)
    return Setup(
        job=script.job,
        round_one=RoundOne(answers=script.round_one, notes=script.round_one_notes),
        story_bank=script.story_bank,
        plan=Plan(slots=slots, pressure=script.pressure, seed=chosen_seed),
    )


def spread_questions(questions: list[str], slots: int) -> list[list[str]]:
    """The candidate's questions in order, spread so each interviewer gets one while they last."""
    base, extra = divmod(len(questions), slots)
    shares: list[list[str]] = []
    start = 0
    for i in range(slots):
        count = base + (1 if i < extra else 0)
        shares.append(questions[start : start + count])
        start += count
    return shares
