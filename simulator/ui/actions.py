"""What the page's buttons do, as plain functions over the service, the store and the report.

No Gradio here: the tab modules beside this one turn these results into components, and tests call them
directly. Nothing per-user lives in this module: every call names the session it acts on, and
`PageContext` holds only what all users share (the store, the loaded data files, a lock per session).
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import random
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar, cast

from pydantic import ValidationError

from simulator.catalog import DEFAULT_PANEL, ROOT, CatalogError, load_model, load_personas, rubrics_dir
from simulator.engines import EngineUnavailable, make_engine
from simulator.engines.endpoints import allowed_endpoints, key_tag, visitor_settings
from simulator.engines.settings import DEFAULT_TIMEOUT, EngineSettings, SettingsError
from simulator.engines.trust import setup_line
from simulator.engines.usage import estimate_session, estimated_name
from simulator.grading.session_rubric import ChecklistRubric
from simulator.grading.thank_you import ThankYouCheck
from simulator.limits import MAX_ANSWER_CHARS
from simulator.markdown import session_to_markdown
from simulator.models import QA, Delivery, Job, Persona, Plan, RoundOne, Session, Setup, Slot
from simulator.orchestrator import Awaiting, Interview, InterviewError
from simulator.private_files import exports_folder, sweep_stale
from simulator.regrade import GradeChange, regrade
from simulator.roundone_import import (
    MAX_BYTES,
    RoundOneImportError,
    parse_round_one_file,
    parse_round_one_text,
    round_one_from_session,
)
from simulator.script import Script, load_script
from simulator.service import Toolkit, check_thank_you_note, create, resume
from simulator.session_json import InvalidImport
from simulator.store import NotFound, SessionNotFound, SessionSummary, SessionUnreadable, Store, StoreError
from simulator.view_revision import StaleView, check_current

EXAMPLE_SCRIPT = ROOT / "examples" / "backend_engineer.yaml"
MAX_ANSWER_WORDS = 2_500
MAX_FIELD_BYTES = MAX_BYTES  # job description, research notes, pasted round one, story bank
_WORD = re.compile(r"\S+")
logger = logging.getLogger(__name__)
T = TypeVar("T")
# Export file names: only these characters, whatever the session's fields hold.
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9_-]+")


class ActionError(ValueError):
    """Something the user can fix; the message is one plain line for the page to show (see `plain`)."""

    def __init__(self, message: str):
        super().__init__(plain(message))


# What a message must not show a page visitor: this server's files and pydantic's help links.
_ABSOLUTE_PATH = re.compile(r"(?<![\w.:/])(?:/[^\s/:'\"()<>]+)+/([^\s/:'\"()<>]+)")
_PYDANTIC_URL = re.compile(r"\s*(?:\[type=[^\]]*\])?\s*For further information visit \S+")
_LINE_LIMIT = 300
# Errors whose text is written for the user (it is still made plain: no paths, one line).
_USER_ERRORS = (ActionError, CatalogError, InterviewError, InvalidImport, SettingsError, StoreError, NotFound)


def user_line(exc: BaseException) -> str:
    """Any exception as one plain line a page visitor may see: no server paths, no pydantic
    internals, no traceback. Unexpected errors say only their kind (their text may hold anything)."""
    if isinstance(exc, ValidationError):
        err = exc.errors()[0] if exc.errors() else None
        where = ".".join(str(part) for part in err["loc"]) if err else ""
        text = f"{where}: {err['msg']}" if err and where else (err["msg"] if err else "invalid data")
    elif isinstance(exc, OSError):
        text = f"a file could not be read or written ({exc.strerror or type(exc).__name__})"
    elif isinstance(exc, _USER_ERRORS):
        text = str(exc)
    else:  # a bug, not the user's doing
        logger.error("page action failed", exc_info=exc)
        text = f"something went wrong ({type(exc).__name__}); the server log has the details"
    return plain(text)


def plain(text: str) -> str:
    """One line of at most 300 characters, without server paths (a file keeps its own name) or
    pydantic's help links. Markup is left as text: whatever shows it escapes it."""
    text = _PYDANTIC_URL.sub("", text)
    text = _ABSOLUTE_PATH.sub(r"\1", text)
    text = " ".join(text.split())
    return text if len(text) <= _LINE_LIMIT else text[: _LINE_LIMIT - 1] + "…"


def as_action_error(exc: BaseException) -> ActionError:
    """The one way a page action reports a failure: an ActionError holding `user_line(exc)`."""
    return ActionError(user_line(exc))


@dataclass
class PageContext:
    """Shared by every browser session: the store, the engines' toolkits, one lock per session."""

    store: Store
    default_engine: str = "offline"
    _kits: dict[str, Toolkit] = field(default_factory=dict)
    _session_kits: dict[str, Toolkit] = field(default_factory=dict)  # sessions started with own settings
    _locks: dict[str, threading.Lock] = field(default_factory=dict)
    _guard: threading.Lock = field(default_factory=threading.Lock)
    # Files read alone before the offline toolkit loads (`personas`, `checklist`), by name.
    _start_files: dict[str, object] = field(default_factory=dict)

    def kit(self, engine: str | None = None, settings: EngineSettings | None = None) -> Toolkit:
        """The loaded personas, rubrics and engine; an unusable engine is a one-line ActionError.

        `settings` (the page's model and base URL) give a toolkit of their own; None reads the environment.
        """
        name = engine or self.default_engine
        key = (
            name
            if settings is None
            else f"{name}|{settings.model}|{settings.base_url or ''}|{key_tag(settings)}|{settings.timeout:g}"
        )
        loaded = self._kits.get(key)
        if loaded is not None:
            return loaded
        # One lock per engine: starting a slow engine (the local model's server) holds up no one else.
        with self.lock(f"engine:{key}"):
            if key not in self._kits:
                try:
                    if name == "offline":
                        personas = cast("dict[str, Persona] | None", self._start_files.get("personas"))
                        self._kits[key] = Toolkit.load(name, personas=personas)
                    else:
                        base = self.kit("offline")
                        built = make_engine(name, base.rubrics, settings)
                        self._kits[key] = Toolkit(base.personas, base.rubrics, built)
                except (EngineUnavailable, CatalogError) as exc:
                    raise ActionError(str(exc)) from None
            return self._kits[key]

    def use_kit(self, name: str, kit: Toolkit) -> None:
        """Serve engine `name` with this toolkit (an engine built elsewhere, e.g. over a test model)."""
        with self._guard:
            self._kits[name] = kit

    def session_kit(self, session: Session) -> Toolkit:
        """The toolkit a session was started with; after a restart, its engine with today's settings."""
        return self._session_kits.get(session.id) or self.kit(session.plan.engine)

    @property
    def personas(self) -> dict[str, Persona]:
        """The personas. Read alone until the offline toolkit is loaded (then its own, the same dict): the
        page is built from them, and need not wait for the rubrics' patterns to compile (app.py)."""
        loaded = self._kits.get("offline")
        if loaded is not None:
            return loaded.personas
        return self._read_alone("personas", load_personas)

    @property
    def checklist(self) -> ChecklistRubric:
        """The session checklist rubric (its labels name the page's drill choices). Read alone until the
        offline toolkit is loaded: a small file, where the toolkit's rubrics compile thousands of patterns."""
        loaded = self._kits.get("offline")
        if loaded is not None:
            return loaded.rubrics.checklist
        return self._read_alone(
            "checklist", lambda: load_model(rubrics_dir() / "checklist.yaml", ChecklistRubric)
        )

    def _read_alone(self, name: str, read: Callable[[], T]) -> T:
        """A start-up file read once however many visitors ask; a bad file is a one-line ActionError."""
        with self._guard:
            if name not in self._start_files:
                try:
                    self._start_files[name] = read()
                except CatalogError as exc:
                    raise ActionError(str(exc)) from None
            return cast(T, self._start_files[name])

    def lock(self, session_id: str) -> threading.Lock:
        """Serialises actions on one session (a double click must not write the same turn twice)."""
        with self._guard:
            return self._locks.setdefault(session_id, threading.Lock())


# ---------------------------------------------------------------- setup


@dataclass
class SlotChoice:
    persona_id: str
    included: bool
    order: float | None
    minutes: float | None


@dataclass
class SetupForm:
    """The setup tab's fields, as typed."""

    title: str = ""
    company: str = ""
    level: str = ""
    description: str = ""
    research_notes: str = ""
    round_one_text: str = ""
    round_one_file: str | None = None  # path of an upload
    round_one_file_name: str | None = None
    round_one_session: str | None = None  # id of an earlier session
    story_bank: str = ""
    slots: list[SlotChoice] = field(default_factory=list)
    pressure: str = "realistic"
    engine: str = "offline"
    model: str = ""  # blank: the environment's (ROUNDTWO_MODEL) or the default
    base_url: str = ""  # blank: OPENAI_BASE_URL, or OpenAI itself (with the server's key)
    api_key: str = ""  # the visitor's own key, for their own base URL: never stored, never the server's
    seed: str = ""  # blank: a fresh random seed
    timeout: float | None = None  # seconds per model call; None: ROUNDTWO_TIMEOUT or the default


def example_form(personas: dict[str, Persona]) -> SetupForm:
    """The example job, so a first-time user can press Start at once."""
    script = _example_script()
    panel = list(script.panel) if script else [p for p in DEFAULT_PANEL if p in personas]
    minutes = script.minutes if script else {}
    form = SetupForm(pressure=script.pressure if script else "realistic")
    if script:
        job = script.job
        form.title, form.company, form.level = job.title, job.company, job.level
        form.description, form.research_notes = job.description, job.research_notes
        form.round_one_text = round_one_as_text(
            RoundOne(answers=script.round_one, notes=script.round_one_notes)
        )
        form.story_bank = "\n\n".join(script.story_bank)
    form.slots = default_slots(personas, panel, minutes)
    return form


def default_slots(
    personas: dict[str, Persona], panel: list[str], minutes: dict[str, int]
) -> list[SlotChoice]:
    """Every loaded persona: the panel's first, in order, then the rest unticked."""
    ordered = [p for p in panel if p in personas] + sorted(p for p in personas if p not in panel)
    return [
        SlotChoice(pid, pid in panel, i + 1, minutes.get(pid, personas[pid].default_minutes))
        for i, pid in enumerate(ordered)
    ]


def _example_script() -> Script | None:
    try:
        return load_script(EXAMPLE_SCRIPT)
    except CatalogError:
        return None


def round_one_as_text(round_one: RoundOne) -> str:
    parts = [round_one.notes] if round_one.notes else []
    parts += [f"Q: {qa.question}\nA: {qa.answer}" for qa in round_one.answers]
    return "\n\n".join(parts)


def read_round_one(form: SetupForm, store: Store) -> RoundOne:
    """Round one from every source given (pasted, uploaded, an earlier session), merged."""
    _check_size(form.round_one_text, "the pasted round-one record")
    records = []
    if form.round_one_text.strip():
        records.append(parse_round_one_text(form.round_one_text))
    if form.round_one_file:
        records.append(parse_round_one_file(Path(form.round_one_file), form.round_one_file_name))
    if form.round_one_session:
        try:
            records.append(round_one_from_session(store.load(form.round_one_session)))
        except SessionNotFound as exc:
            raise ActionError(str(exc)) from None
    answers: list[QA] = [qa for r in records for qa in r.answers]
    notes = "\n\n".join(r.notes for r in records if r.notes)
    return RoundOne(answers=answers, notes=notes)


def round_one_summary(form: SetupForm, store: Store) -> str:
    """A one-line preview of what round one will hold, or why it cannot be read."""
    try:
        record = read_round_one(form, store)
    except (ActionError, RoundOneImportError) as exc:
        return str(exc)
    if record.is_empty():
        return "No round-one record: consistency with round one will not be checked."
    words = len(_WORD.findall(record.notes))
    pairs = len(record.answers)
    return f"Round one: {pairs} question{'s' if pairs != 1 else ''} with answers, {words} words of notes."


def build_setup(form: SetupForm, personas: dict[str, Persona], store: Store) -> Setup:
    for text, what in (
        (form.description, "the job description"),
        (form.research_notes, "the research notes"),
        (form.story_bank, "the story bank"),
    ):
        _check_size(text, what)
    chosen = [s for s in form.slots if s.included]
    if not chosen:
        raise ActionError("Choose at least one interviewer for the panel.")
    chosen.sort(key=lambda s: (s.order if s.order is not None else 99, form.slots.index(s)))
    slots = []
    for choice in chosen:
        if choice.persona_id not in personas:
            raise ActionError(f"Unknown interviewer '{choice.persona_id}'.")
        minutes = int(choice.minutes or personas[choice.persona_id].default_minutes)
        if not 3 <= minutes <= 120:
            raise ActionError(f"{personas[choice.persona_id].name}: minutes must be between 3 and 120.")
        slots.append(Slot(persona_id=choice.persona_id, minutes=minutes))
    try:
        job = Job(
            title=form.title,
            company=form.company,
            level=form.level,
            description=form.description,
            research_notes=form.research_notes,
        )
        round_one = read_round_one(form, store)
        seed = _seed(form.seed)
        plan = Plan(slots=slots, pressure=form.pressure, seed=seed, engine=form.engine)
    except RoundOneImportError as exc:
        raise ActionError(str(exc)) from None
    except ValidationError as exc:
        raise ActionError(_form_error(exc)) from None
    stories = [s.strip() for s in re.split(r"\n\s*\n", form.story_bank) if s.strip()]
    return Setup(job=job, round_one=round_one, story_bank=stories, plan=plan)


OFFLINE_COST_LINE = "offline: no tokens, no cost"


def default_engine_fields() -> tuple[str, str]:
    """The model and base URL the page starts with, from the environment (never the key)."""
    try:
        settings = EngineSettings.from_env()
    except SettingsError:
        return "", ""
    return settings.model, settings.base_url or ""


def default_timeout() -> float:
    """The timeout field's starting value: ROUNDTWO_TIMEOUT, else the default (the CLI's --timeout too)."""
    try:
        return EngineSettings.from_env().timeout
    except SettingsError:
        return DEFAULT_TIMEOUT


def engine_settings(form: SetupForm) -> EngineSettings | None:
    """The LLM settings the form asks for; None when it asks for nothing beyond the environment.

    The server's key goes only to the server's own endpoint: another base URL gets the key typed
    on the page, or none (see engines/endpoints.py)."""
    model, base_url, api_key = form.model.strip(), form.base_url.strip(), form.api_key.strip()
    timeout = None if form.timeout is None or form.timeout == default_timeout() else form.timeout
    if form.engine == "offline" or (
        not api_key
        and timeout is None
        and (not (model or base_url) or (model, base_url) == default_engine_fields())
    ):
        return None
    try:
        server = EngineSettings.from_env()
        chosen = visitor_settings(
            server, base_url=base_url, api_key=api_key, model=model, allowed=allowed_endpoints()
        )
        return chosen.with_overrides(timeout=timeout)  # checked as --timeout is: more than 0, at most 600
    except SettingsError as exc:
        raise ActionError(f"engine settings: {exc}") from None


def engine_summary(ctx: PageContext, form: SetupForm) -> str:
    """One line under the engine choice: the estimate before starting, or why the engine cannot run."""
    if form.engine == "offline":
        return OFFLINE_COST_LINE
    try:
        settings = engine_settings(form) or EngineSettings.from_env()
    except (ActionError, SettingsError) as exc:
        return str(exc) if isinstance(exc, ActionError) else f"engine settings: {exc}"
    problem = _unavailable(ctx, form.engine, settings)
    if problem:
        return problem
    minutes = [int(s.minutes or 0) for s in form.slots if s.included and s.minutes]
    if not minutes:
        return "Choose at least one interviewer to see the estimate."
    model = estimated_name(form.engine, settings.model, settings.base_url)
    estimate = estimate_session(minutes, model, settings.token_budget, settings.max_output_tokens)
    where = "on this machine (llama.cpp)" if form.engine == "local" else settings.describe()
    return f"{form.engine}: {estimate.line()}; {where}; {setup_line(form.engine, settings.model)}"


def _unavailable(ctx: PageContext, engine: str, settings: EngineSettings) -> str | None:
    """Why the engine cannot run, checked without starting it (the local server takes seconds)."""
    if engine == "openai" and not settings.api_key and not settings.base_url:
        try:
            make_engine("openai", ctx.kit("offline").rubrics, settings)  # fails at once, before any call
        except EngineUnavailable as exc:
            return str(exc)
    if engine == "local":
        from simulator.engines.local import LocalUnavailable, find_model_file, server_installed

        if not server_installed():
            return "engine 'local': llama-cpp-python is not installed (pip install '.[local]')"
        try:
            find_model_file()
        except LocalUnavailable as exc:
            return f"engine 'local': {exc}"
    return None


def _seed(text: str | float | None) -> int:
    raw = str(text if text is not None else "").strip()
    if not raw:
        return random.randrange(1_000_000)
    try:
        return int(float(raw))
    except ValueError:
        raise ActionError(
            f"Seed: {raw!r} is not a whole number (leave it blank for a new interview)."
        ) from None


_FIELD_NAMES = {"title": "Job title", "company": "Company", "description": "Job description"}


def _form_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    name = str(err["loc"][0]) if err["loc"] else ""
    label = _FIELD_NAMES.get(name, name.replace("_", " ").capitalize() or "A field")
    if err["type"] == "string_too_short":
        return f"{label} is empty: fill it in."
    return f"{label}: {err['msg']}"


def _check_size(text: str, what: str) -> None:
    size = len(text.encode("utf-8"))
    if size > MAX_FIELD_BYTES:
        raise ActionError(
            f"{what.capitalize()} is {size // 1000} KB; "
            f"the limit is {MAX_FIELD_BYTES // 1000} KB. Shorten it."
        )


# ---------------------------------------------------------------- the interview


@dataclass(frozen=True)
class Step:
    """Where a session stands after an action: what to draw."""

    session: Session
    awaiting: Awaiting
    personas: dict[str, Persona]


def start_session(ctx: PageContext, form: SetupForm) -> Step:
    return _last(start_streaming(ctx, form, stream=False))


def start_streaming(ctx: PageContext, form: SetupForm, stream: bool = True) -> Iterator[Partial | Step]:
    """`start_session`, as updates while the first interviewer's line streams. Form problems raise at
    once, before any update; the session is saved before anyone speaks, so a resume can begin it."""
    kit = ctx.kit(form.engine, engine_settings(form))
    setup = build_setup(form, kit.personas, ctx.store)
    try:
        interview = create(setup, ctx.store, kit)
    except InterviewError as exc:
        raise ActionError(str(exc)) from None
    if form.engine != "offline":  # its own model or URL: later steps must use the same engine
        ctx._session_kits[interview.session.id] = kit
    return _streamed(ctx, interview.session.id, lambda i: i.begin(), None, stream, opened=interview)


def _open(ctx: PageContext, session_id: str) -> Interview:
    session = load(ctx, session_id)
    try:
        return resume(session.id, ctx.store, ctx.session_kit(session))
    except ActionError:
        raise
    except (
        Exception
    ) as exc:  # a session the orchestrator cannot carry on: one plain line, never a toast of HTML
        raise as_action_error(exc) from None


def current(ctx: PageContext, session_id: str) -> Step:
    # Under the session's lock: opening may finish a step a crash cut short, and must not take a
    # step still running in another thread for one.
    with ctx.lock(session_id):
        interview = _open(ctx, session_id)
    return Step(interview.session, interview.awaiting(), interview.personas)


def send(ctx: PageContext, session_id: str, text: str) -> Step:
    """An answer to the open question, or a question for the interviewer, whichever is due."""
    return _last(send_streaming(ctx, session_id, text, stream=False))


def move_on(ctx: PageContext, session_id: str) -> Step:
    return _last(stream_action(ctx, session_id, "move_on", stream=False))


def end_interviewer(ctx: PageContext, session_id: str) -> Step:
    return _last(stream_action(ctx, session_id, "end_interviewer", stream=False))


def end_loop(ctx: PageContext, session_id: str) -> Step:
    return _last(stream_action(ctx, session_id, "end_loop", stream=False))


@dataclass(frozen=True)
class Partial:
    """The chat while an interviewer is still speaking: the saved turns so far, then the live text."""

    session: Session  # a copy holding the turns made so far in this step
    personas: dict[str, Persona]
    pending: str | None  # the candidate's words, shown before the orchestrator has saved them
    speaker: str | None  # the persona whose line is streaming
    text: str  # that line so far


ACTIONS: dict[str, Callable[[Interview], object]] = {
    "move_on": lambda i: i.move_on(),
    "end_interviewer": lambda i: i.end_slot(),
    "end_loop": lambda i: i.end_loop(),
}


def send_streaming(
    ctx: PageContext,
    session_id: str,
    text: str,
    stream: bool = True,
    delivery: Delivery | None = None,
    drawn: int | None = None,
) -> Iterator[Partial | Step]:
    """`send`, as updates while the reply streams. Input problems raise at once, before any update.

    `delivery`: how a spoken answer was said (the microphone's recording), kept on the answer turn.
    `drawn`: the session's revision the page is showing (see view_revision); another is refused."""
    words = len(_WORD.findall(text))
    # Characters too: text with no spaces is one "word" however long it is.
    if words > MAX_ANSWER_WORDS or len(text) > MAX_ANSWER_CHARS:
        raise ActionError(
            f"Your answer is {words:,} words and {len(text):,} characters; the limit is "
            f"{MAX_ANSWER_WORDS:,} words or {MAX_ANSWER_CHARS:,} characters. "
            "In a real interview aim for two or three minutes (300-450 words)."
        )
    if not text.strip():
        raise ActionError("Type an answer first, or press Move on.")

    def reply(i: Interview) -> object:
        return i.answer(text, delivery) if i.awaiting().kind == "answer" else i.ask(text)

    return _streamed(ctx, session_id, reply, text.strip(), stream, drawn)


def stream_action(
    ctx: PageContext, session_id: str, name: str, stream: bool = True, drawn: int | None = None
) -> Iterator[Partial | Step]:
    """Move on, end this interviewer or end the loop, as updates while the replies stream."""
    return _streamed(ctx, session_id, ACTIONS[name], None, stream, drawn)


def _last(updates: Iterator[Partial | Step]) -> Step:
    final = None
    for update in updates:
        final = update
    assert isinstance(final, Step)
    return final


@dataclass(frozen=True)
class _Piece:
    session: Session  # the turns made so far, copied in the worker thread
    speaker: str | None
    text: str


def _streamed(
    ctx: PageContext,
    session_id: str,
    action: Callable[[Interview], object],
    pending: str | None,
    stream: bool,
    drawn: int | None = None,
    opened: Interview | None = None,
) -> Iterator[Partial | Step]:
    """Run the action; with an engine that streams, in a worker thread whose pieces come through a
    queue, so the page draws each one as it arrives. The last update is always the Step, as saved.
    `opened`: the interview to act on, when the caller has it (a session just created)."""
    if not session_id:
        raise ActionError("No interview is running: start one on the Setup tab, or resume one from Replay.")
    session = load(ctx, session_id)
    _check_drawn(session, drawn)  # before the candidate's words are drawn as sent
    kit = ctx.session_kit(session)
    if not stream or not callable(getattr(kit.engine, "stream_to", None)):
        yield _act(ctx, session_id, action, None, drawn, opened)
        return
    events: queue.Queue[object] = queue.Queue()

    def listen(interview: Interview, piece: str) -> None:
        turns = list(interview.session.turns)
        events.put(_Piece(interview.session.model_copy(update={"turns": turns}), _speaking(interview), piece))

    def work() -> None:
        try:
            events.put(_act(ctx, session_id, action, listen, drawn, opened))
        except BaseException as exc:  # raised again in the page's thread
            events.put(exc)

    worker = threading.Thread(target=work, name=f"step-{session_id}", daemon=True)
    worker.start()
    if pending:  # the candidate's words appear at once, before the grade and the reply
        yield Partial(session, kit.personas, pending, None, "")
    line: tuple[int, str | None] | None = None  # which line is streaming: (turns before it, speaker)
    text = ""
    while True:
        batch = [events.get()]
        while not events.empty():  # draw once for everything that has arrived
            batch.append(events.get())
        pieces = [e for e in batch if isinstance(e, _Piece)]
        for piece in pieces:
            now = (len(piece.session.turns), piece.speaker)
            text = text + piece.text if now == line else piece.text
            line = now
        if pieces:  # every line that streamed is drawn at least once, before the final step
            last = pieces[-1]
            shown = pending if len(last.session.turns) == len(session.turns) else None
            yield Partial(last.session, kit.personas, shown, last.speaker, text)
        for event in batch:
            if isinstance(event, BaseException):
                worker.join()
                raise event
            if isinstance(event, Step):
                worker.join()
                yield event
                return


def _speaking(interview: Interview) -> str | None:
    """Whose slot the step is in now (the next interviewer's, once a hand-off has moved the loop on)."""
    slots = interview.session.plan.slots
    return slots[interview.state.slot].persona_id if interview.state.slot < len(slots) else None


def _act(
    ctx: PageContext,
    session_id: str,
    action: Callable[[Interview], object],
    listener: Callable[[Interview, str], None] | None = None,
    drawn: int | None = None,
    opened: Interview | None = None,
) -> Step:
    with ctx.lock(session_id):
        interview = opened or _open(ctx, session_id)
        _check_drawn(interview.session, drawn)  # again under the lock: another tab may have just acted
        if interview.awaiting().kind == "nothing":
            raise ActionError("This interview is over: read the Feedback tab.")
        # An LLM engine keeps its fallback note and call records per engine, not per session: two
        # sessions on one engine take turns, so neither gets the other's note or tokens.
        shared = hasattr(interview.engine, "take_usage")
        try:
            with ctx.lock(f"engine-use:{id(interview.engine)}") if shared else contextlib.nullcontext():
                if listener is None:
                    action(interview)
                else:
                    stream_to = interview.engine.stream_to  # type: ignore[attr-defined]
                    with stream_to(lambda piece: listener(interview, piece)):
                        action(interview)
        except InterviewError as exc:
            raise ActionError(str(exc)) from None
        return Step(interview.session, interview.awaiting(), interview.personas)


def _check_drawn(session: Session, drawn: int | None) -> None:
    try:
        check_current(session, drawn)
    except StaleView as exc:
        raise ActionError(str(exc)) from None


# ---------------------------------------------------------------- saved sessions


def load(ctx: PageContext, session_id: str) -> Session:
    try:
        return ctx.store.load(session_id)
    except (SessionNotFound, SessionUnreadable) as exc:
        raise as_action_error(exc) from None


def session_summary(ctx: PageContext, session_id: str) -> SessionSummary:
    """A session's list line (date, job, company): there even when the session no longer loads."""
    try:
        return ctx.store.summary(session_id)
    except SessionNotFound as exc:
        raise as_action_error(exc) from None


def list_sessions(ctx: PageContext, query: str = "") -> list[SessionSummary]:
    return ctx.store.list(query or None)


def regrade_session(ctx: PageContext, session_id: str, engine: str | None = None) -> list[GradeChange]:
    """Grade every answer again with the current rubrics; save the new grades beside the old."""
    session = load(ctx, session_id)
    kit = ctx.kit(engine or "offline")
    with ctx.lock(session.id):
        changes = regrade(session, kit.engine)
        for change in changes:
            ctx.store.add_regrade(session.id, change.turn_index, change.after)
    return changes


def import_session(ctx: PageContext, path: str, name: str | None = None) -> str:
    source = name or Path(path).name
    try:
        data = Path(path).read_bytes()
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ActionError(f"{source}: not UTF-8 text") from None
    except OSError as exc:
        raise ActionError(f"{source}: cannot read: {exc.strerror or exc}") from None
    try:
        return ctx.store.import_json(text, source, list(ctx.personas))
    except InvalidImport as exc:
        raise as_action_error(exc) from None


def delete_session(ctx: PageContext, session_id: str) -> None:
    if not ctx.store.delete(session_id):
        raise ActionError(f"no session {session_id!r}")


@dataclass(frozen=True)
class NoteCheck:
    """A checked thank-you note, and the session as saved after it (its checklist now counts the note)."""

    check: ThankYouCheck
    session: Session


def check_note(
    ctx: PageContext, session_id: str, persona_id: str | None, note: str, hours_after: float | None
) -> NoteCheck:
    """Check a thank-you note the user wrote to one interviewer of the session shown on Feedback."""
    if not session_id:
        raise ActionError("Finish an interview, or open one from Replay, before checking a note.")
    if not persona_id:
        raise ActionError("Choose the interviewer the note is to.")
    _check_size(note, "the note")
    if hours_after is not None and hours_after < 0:
        raise ActionError(
            "Hours after the interview cannot be negative (leave it blank if you have not sent it)."
        )
    kit = ctx.kit("offline")  # the check is rules over the saved transcript: no LLM, whatever ran the loop
    with ctx.lock(session_id):
        try:
            check = check_thank_you_note(session_id, persona_id, note, hours_after, ctx.store, kit)
        except SessionNotFound as exc:
            raise ActionError(str(exc)) from None
        except InterviewError as exc:
            message = str(exc)
            raise ActionError(message[:1].upper() + message[1:] + ".") from None
        return NoteCheck(check, ctx.store.load(session_id))


def export_files(ctx: PageContext, session_id: str) -> tuple[Path, Path]:
    """The Markdown report and the JSON session, for download, in this process's private folder
    (0700, removed at exit; see private_files). Both pass through redact() as they are made."""
    session = load(ctx, session_id)
    folder = exports_folder() / export_stem(session.id, "")
    folder.mkdir(mode=0o700, exist_ok=True)
    stem = export_stem(session.id, session.created_at)
    md = folder / f"{stem}.md"
    _write_private(md, session_to_markdown(session, ctx.personas))
    js = folder / f"{stem}.json"
    _write_private(js, ctx.store.export_json(session.id))
    sweep_stale(folder.parent)
    return md, js


def export_stem(session_id: str, created_at: str) -> str:
    """`roundtwo-<date>-<id>` from safe characters only: a stored field can never steer the path."""
    day = _UNSAFE_NAME.sub("", created_at[:10])
    parts = ["roundtwo", day, _UNSAFE_NAME.sub("", session_id)[:64] or "session"]
    return "-".join(part for part in parts if part)


def _write_private(path: Path, text: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


@dataclass(frozen=True)
class ScoreHistory:
    """The chart's rows, one per interviewer and session plus the panel mean, numbered by session
    (1 = the oldest finished one); the sessions left out, each named with why."""

    rows: list[dict[str, object]]
    unreadable: list[str]
    early_ends: list[str] = field(default_factory=list)  # "session 3 (ended after 1 of 4 interviewers)"

    def __iter__(self) -> Iterator[dict[str, object]]:
        return iter(self.rows)

    @property
    def sessions(self) -> list[str]:
        """The x axis: the charted sessions' numbers, in order."""
        return list(dict.fromkeys(str(row["session"]) for row in self.rows))

    def skipped_line(self) -> str:
        if not self.unreadable:
            return ""
        ids = ", ".join(self.unreadable)
        return (
            f"Left out of the chart: {ids} (cannot be read; "
            f"delete {'it' if len(self.unreadable) == 1 else 'them'} on Replay)."
        )

    def early_end_line(self) -> str:
        """Loops that stopped after one interviewer: their scores rest on one conversation."""
        if not self.early_ends:
            return ""
        return f"Left out, as not comparable: {'; '.join(self.early_ends)}."


def score_history(ctx: PageContext, limit: int = 30) -> ScoreHistory:
    """Each finished session's scores, oldest first: one row per interviewer plus the panel mean.

    Sessions are numbered in order, not placed by date: the chart compares rounds, not days. A loop
    that ended early after one of several interviewers is left out and named, and so is a session
    that no longer loads, so one bad session cannot hide the rest."""
    rows: list[dict[str, object]] = []
    unreadable: list[str] = []
    early_ends: list[str] = []
    # A drill (one interviewer, a few questions) is practice, not a round: never charted beside rounds.
    summaries = [s for s in ctx.store.list(limit=limit) if s.status != "in_progress" and not s.drill]
    for number, summary in enumerate(reversed(summaries), start=1):
        try:
            session = ctx.store.load(summary.id)
        except SessionUnreadable:
            unreadable.append(summary.id)
            continue
        except SessionNotFound:  # deleted meanwhile
            continue
        scores = [c.score for c in session.scorecards if c.score is not None]
        if not scores:
            continue
        met, planned = len(session.scorecards), len(session.plan.slots)
        if session.status == "ended_early" and met <= 1 < planned:
            early_ends.append(f"session {number} (ended after {met} of {planned} interviewers)")
            continue
        base = {"session": number, "when": session.created_at}
        for card in session.scorecards:
            if card.score is not None:
                persona = ctx.personas.get(card.persona_id)
                who = persona.name if persona else card.persona_id
                rows.append({**base, "who": who, "score": card.score})
        rows.append({**base, "who": "Panel mean", "score": round(sum(scores) / len(scores), 2)})
    return ScoreHistory(rows, unreadable, early_ends)
