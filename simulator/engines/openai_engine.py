"""The `openai` engine: interviewers and a judge on any OpenAI-compatible chat endpoint.

The chat model is injected (a langchain `BaseChatModel`), so tests pass fake models and only
`build_chat_model` knows about `ChatOpenAI`. The orchestrator still decides everything: which
bank question comes next (the offline engine's choice, which the model rephrases in character),
when to follow up and why, when a slot ends. The model only phrases, and judges.

Every call is bounded by a total deadline (`settings.timeout`: retries, streaming and the judge's
re-ask included; see deadline.py), retried on 429/5xx only, and guarded by a circuit breaker that
counts transport failures. A reply that comes back unusable (empty, malformed, or repeating the
API key) is asked for once more, then given up on without touching the breaker. When a call fails,
the offline engine says the line instead and the failure is kept: `take_note()` gives the one-line
note for the spoken turn, a grade says `status: "fallback"` with the reason, and `fallbacks` lists
every event.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

from simulator.catalog import Rubrics
from simulator.engines.base import AskedQuestion, FollowUpDetail, GradeRequest, SlotContext
from simulator.engines.context_size import ContextSize, resolve_context
from simulator.engines.deadline import Deadline, deadline_hooks, run_within
from simulator.engines.fallback import (
    BAD_REPLY_KINDS,
    TRANSPORT_KINDS,
    CircuitBreaker,
    EmptyReply,
    MalformedReply,
    call_with_retries,
    describe_failure,
    failure_kind,
)
from simulator.engines.hygiene import not_spoken
from simulator.engines.judge import (
    JudgeVerdict,
    PromptTooLong,
    advisory_grade,
    ask_verdict,
    build_judge_prompt,
    guard_verdict,
    reply_text,
    rule_proposals,
)
from simulator.engines.offline import OfflineEngine, fill, too_similar
from simulator.engines.prompting import DIMENSION_WORDS, Prompt, PromptBuilder, keyed_lines, render
from simulator.engines.rule_grader import RuleGrader
from simulator.engines.settings import EngineSettings
from simulator.engines.tokens import TokenCounter
from simulator.engines.trust import JudgeTrust, judge_is_advisory, load_trust
from simulator.engines.usage import CallRecord, UsageLog, priced_name
from simulator.models import AnswerGrade, FollowUpReason, HandoffNote, Persona, ReplyGrade

MAX_SPOKEN_CHARS = 1200
SECRET_MIN_CHARS = 8  # shorter "keys" ("ollama", "none") are placeholders, not secrets to guard
ECHOED_KEY = "the model's reply repeated the API key"
ASKED_SHOWN = 10  # earlier questions listed in the prompt, newest first
ASKED_TOKENS = 30  # each shortened to this: enough to recognise it

_PRAISE = re.compile(
    r"^\s*(?:(?:that|this|what)(?:'s| is| was)?\s+(?:a\s+)?)?(?:really\s+|very\s+|such\s+a\s+)?"
    r"(?:great|excellent|fantastic|wonderful|awesome|amazing|perfect|brilliant|impressive|"
    r"terrific|superb|outstanding|love that|good answer|nice)\b[^.!?]*[.!?]+\s*",
    re.IGNORECASE,
)
# Praise of the answer just given, in the forms small models open with ("That's a strong example.").
_PRAISE_OF_ANSWER = re.compile(
    r"^\s*(?:thanks?(?: you)?(?: for sharing)?(?: that)?[,.!]\s*)?(?:that|this|what)(?:'s| is| was)\s+"
    r"(?:a |an )?(?:really |very |such a )?(?:strong|solid|good|interesting|compelling|thoughtful|clear|"
    r"helpful|great|nice|excellent)\s+(?:example|answer|story|point|one|response)\b[^.!?]*[.!?]+\s*",
    re.IGNORECASE,
)
# A speaker label at the start of a line or sentence: the model writing a script, not speaking.
_LABEL = r"(?:Candidate|Interviewer|The interviewer|Q|A|Question|Answer|Me|You)"
_LEADING_LABEL = re.compile(
    rf"^\s*\**(?:{_LABEL}|[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){{0,2}} \(you\))\**\s*:\**\s*"
)
_THEIR_LABEL = re.compile(r"(?:^|(?<=[.!?\n]))\s*\**(?:Candidate|A|Answer|Me)\**\s*:", re.MULTILINE)
_OUR_LABEL = re.compile(
    r"(?:^|(?<=[.!?\n]))(\s*)\**(?:Interviewer|The interviewer|Q|Question)\**\s*:\s*", re.MULTILINE
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
# A stage direction: an aside in brackets or asterisks opening a line ("(smiles)", "*leans in*",
# "(I'll be the first to speak)"). Not said out loud, so not kept.
_STAGE_DIRECTION = re.compile(r"^[ \t]*(?:\([^()\n]{1,80}\)|\*[^*\n]{1,80}\*(?!\*))[ \t]*\n?", re.MULTILINE)
# Our prompts' markup and script labels left in a reply: a model reading its instructions back.
# (The prompts' own words, and talk about the task, are in hygiene.py's data file.)
_SCAFFOLDING = re.compile(r"</?(?:transcript|candidate_question)>|^(?:Candidate|Q|A):", re.MULTILINE)


@dataclass(frozen=True)
class FallbackEvent:
    task: str  # the prompt template: introduce, question, ..., judge
    reason: str
    text: str  # what the offline engine said (empty for a grade)


def note_for(reason: str) -> str:
    """The one line a user sees on a turn the offline engine had to say."""
    return f"Offline fallback: {reason}."


def clean_spoken(text: str, persona: Persona) -> str:
    """What the interviewer says out loud: no name label, no opening praise, no runaway length.
    MalformedReply (to ask again) for a line that is not the interviewer speaking to the candidate."""
    text = _STAGE_DIRECTION.sub("", text.strip()).strip().strip('"').strip()
    for label in (persona.name, persona.name.split()[0], "Interviewer", "The interviewer"):
        for form in (f"{label}:", f"**{label}:**", f"**{label}**:", f"{label} (you):"):
            if text.startswith(form):
                text = text[len(form) :].strip()
    own = _LEADING_LABEL.match(text)
    if own and re.match(r"\s*\**(?:Candidate|A|Answer|Me)\b", text):
        raise MalformedReply("the model spoke as the candidate")
    if own:
        text = text[own.end() :].strip()
    later = _THEIR_LABEL.search(text)
    if later:  # the candidate's line follows: the model went on to play the candidate too
        text = text[: later.start()].strip()
    text = _OUR_LABEL.sub(lambda m: m.group(1) or "", text).strip()
    # The interviewer's own name as a label after a sentence ("... Renata Okafor (you): So, ...").
    own_name = rf"(?:{re.escape(persona.name)}|{re.escape(persona.name.split()[0])})(?: \(you\))?"
    text = re.sub(rf"(?:(?<=[.!?\n]))(\s*)\**{own_name}\**\s*:\s*", r"\1", text).strip()
    while True:
        shorter = _PRAISE_OF_ANSWER.sub("", _PRAISE.sub("", text, count=1), count=1)
        if shorter == text:
            break
        text = shorter
    if len(text) > MAX_SPOKEN_CHARS:
        kept = ""
        for sentence in _SENTENCE.split(text):
            if len(kept) + len(sentence) > MAX_SPOKEN_CHARS:
                break
            kept = f"{kept} {sentence}".strip()
        text = kept or text[:MAX_SPOKEN_CHARS].rsplit(" ", 1)[0]
    if not text.strip():
        raise EmptyReply("empty")
    if _SCAFFOLDING.search(text) or re.match(rf"(?:You are|You're) {re.escape(persona.name)}\b", text):
        raise MalformedReply("the model repeated its instructions instead of speaking")
    problem = not_spoken(text)
    if problem:
        raise MalformedReply(problem)
    return text.strip()


def within_limit(text: str, reply: AIMessage | None, limit: int, counter: TokenCounter) -> str:
    """The reply cut at its last whole sentence within the limit when it ran over (some servers
    ignore the limit) or was stopped by it mid-sentence: a long line would take minutes of the
    slot's simulated clock, and half a sentence is not something an interviewer says."""
    meta = reply.usage_metadata if reply is not None else None
    stopped = reply is not None and reply.response_metadata.get("finish_reason") == "length"
    used = max(int(meta["output_tokens"]) if meta else 0, counter.count(text))
    if used <= limit and not stopped:
        return text
    if used <= limit and text.rstrip().endswith((".", "!", "?")):
        return text  # stopped right at a sentence's end
    kept = ""
    for sentence in _SENTENCE.split(text):
        longer = f"{kept} {sentence}".strip()
        unfinished = stopped and longer == text.strip() and not longer.endswith((".", "!", "?"))
        if counter.count(longer) > limit or unfinished:
            break  # over the limit, or the unfinished last sentence of a reply the limit stopped
        kept = longer
    if kept:
        return kept
    cut = counter.truncate(text, limit, marker="")
    return cut.rstrip(" ,;:-") + "."


class _Stream:
    """Forwards streamed pieces to the page until the call is given up, never showing the API key:
    text that could be the start of the key is held back until what follows shows it is not."""

    def __init__(self, listener: Callable[[str], None], secret: str | None):
        self.listener = listener
        self.secret = secret
        self.text = ""
        self.shown = 0
        self.closed = False

    def __call__(self, piece: str) -> None:
        if self.closed:
            return  # an abandoned call still trickling in: the offline line has replaced it
        self.text += piece
        if not self.secret:
            self.listener(piece)
            return
        if self.secret in self.text:
            self.closed = True
            return
        held = next(
            (
                n
                for n in range(min(len(self.secret) - 1, len(self.text)), 0, -1)
                if self.text.endswith(self.secret[:n])
            ),
            0,
        )
        upto = len(self.text) - held
        if upto > self.shown:
            self.listener(self.text[self.shown : upto])
            self.shown = upto


class OpenAIEngine:
    def __init__(
        self,
        chat_model: BaseChatModel,
        rubrics: Rubrics,
        *,
        judge_model: BaseChatModel | None = None,
        settings: EngineSettings | None = None,
        name: str = "openai",
        model_name: str | None = None,
        breaker: CircuitBreaker | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rules: RuleGrader | None = None,
    ):
        self.settings = settings or EngineSettings()
        self.name = name
        self.model = model_name or getattr(chat_model, "model_name", None) or self.settings.model
        self.chat_model = chat_model
        self.rubrics = rubrics
        self.offline = OfflineEngine(rubrics)
        # The grades the judge builds on (and falls back to): the offline rules unless given others.
        self.rules: RuleGrader = rules or self.offline
        self.breaker = breaker or CircuitBreaker(
            self.settings.failure_threshold, self.settings.cooldown_seconds
        )
        self.sleep = sleep
        self.priced_model = priced_name(self.model, self.settings.base_url)  # what calls are recorded as
        self.counter = TokenCounter(self.model)
        self.prompts = PromptBuilder(
            self.counter, self.settings.prompt_budget(self.settings.max_output_tokens)
        )
        self.usage = UsageLog()
        self.fallbacks: list[FallbackEvent] = []
        self._judge_model = judge_model or chat_model  # the same model, allowed a longer reply
        self._judge: Any = None
        self._note: str | None = None
        self._local = threading.local()  # the streaming listener, per thread
        self.server: Any = None  # the local engine's llama.cpp server, kept alive with the engine
        self.advisory_override: bool | None = None  # judge-eval measures the judge itself
        known = self.settings.context_tokens
        self.context = ContextSize(known, "user" if known else "unknown")  # the factories say more
        self._trust_loaded: tuple[JudgeTrust | None] | None = None
        self._reasked: set[str] = set()  # spoken lines accepted only on a second try (see handoff_note)

    # ------------------------------------------------------------ hooks for the orchestrator and the UI

    def take_note(self) -> str | None:
        """The fallback note for the spoken turn just produced (None if the model spoke), then cleared."""
        note, self._note = self._note, None
        return note

    @property
    def context_line(self) -> str:
        """The context size the budgets used, and where it came from, for the usage summary."""
        return self.context.line(self.settings.token_budget, self.settings.judge_budget)

    def take_usage(self) -> list[CallRecord]:
        """Call records not yet handed over; merge them into `Session.usage` with `usage.merge_usage`."""
        return self.usage.take()

    @contextmanager
    def stream_to(self, listener: Callable[[str], None]) -> Iterator[None]:
        """While active (in this thread), spoken replies stream: `listener` gets each piece of text
        as it arrives. The finished turn's text is authoritative: after a fallback it replaces the
        pieces already shown."""
        previous = getattr(self._local, "listener", None)
        self._local.listener = listener
        try:
            yield
        finally:
            self._local.listener = previous

    # ------------------------------------------------------------ calling the model

    def _record(
        self,
        task: str,
        prompt_tokens: int,
        reply: AIMessage | None,
        text: str,
        started: float,
        outcome: str = "ok",
        template: str = "",
    ) -> None:
        meta = reply.usage_metadata if reply is not None else None
        self.usage.add(
            CallRecord(
                task=task,
                model=self.priced_model,
                template_hash=template,
                tokens_in=int(meta["input_tokens"]) if meta else prompt_tokens,
                tokens_out=int(meta["output_tokens"]) if meta else (self.counter.count(text) if text else 0),
                seconds=round(time.perf_counter() - started, 4),
                outcome=outcome,
            )
        )

    @property
    def _secret(self) -> str | None:
        key = self.settings.api_key
        return key if key and len(key) >= SECRET_MIN_CHARS else None

    def _with_retries(self, call: Callable[[], Any], deadline: Deadline) -> Any:
        return call_with_retries(call, self.settings.max_retries, self.sleep, time_left=deadline.remaining)

    def _complete(self, prompt: Prompt, deadline: Deadline) -> tuple[str, AIMessage | None]:
        listener = getattr(self._local, "listener", None)
        if listener is None:
            invoke = partial(self.chat_model.invoke, prompt.messages)
            reply = run_within(deadline, lambda: self._with_retries(invoke, deadline))
            content = reply.content if isinstance(reply.content, str) else str(reply.content)
            return content, reply if isinstance(reply, AIMessage) else None

        forward = _Stream(listener, self._secret)

        def stream() -> tuple[str, AIMessage | None]:
            pieces: list[str] = []
            last: Any = None
            try:
                for chunk in self.chat_model.stream(prompt.messages):
                    piece = chunk.content if isinstance(chunk.content, str) else ""
                    if piece:
                        pieces.append(piece)
                        forward(piece)
                    last = chunk if last is None else last + chunk
            except ValueError as exc:  # langchain's word for a stream that carried nothing
                if last is not None:
                    raise
                raise EmptyReply("the stream carried no reply") from exc
            return "".join(pieces), last if isinstance(last, AIMessage) else None

        try:
            result: tuple[str, AIMessage | None] = run_within(
                deadline, lambda: self._with_retries(stream, deadline)
            )
            return result
        finally:
            forward.closed = True

    def _failed(self, exc: BaseException, reason: str) -> None:
        """The breaker hears of transport failures only; an unusable reply is counted apart."""
        kind = failure_kind(exc)
        if kind in TRANSPORT_KINDS:
            self.breaker.failed(reason)
        elif kind in BAD_REPLY_KINDS:
            self.breaker.bad_reply()

    def _spoken_reply(
        self, task: str, prompt: Prompt, persona: Persona, accept: Callable[[str], str | None] | None
    ) -> tuple[str, str, AIMessage | None]:
        """(spoken text, raw text, reply): an unusable reply is asked for once more, within one deadline."""
        deadline = Deadline.after(self.settings.timeout)
        attempts = 1 + self.settings.reply_retries
        for attempt in range(attempts):
            started = time.perf_counter()
            raw, reply = "", None
            try:
                raw, reply = self._complete(prompt, deadline)
                if self._secret and self._secret in raw:
                    raise MalformedReply(ECHOED_KEY)
                text = within_limit(
                    clean_spoken(raw, persona), reply, self.settings.max_output_tokens, self.counter
                )
                problem = accept(text) if accept else None
                if problem:
                    raise MalformedReply(problem)
                if attempt:
                    self._reasked.add(text)
                return text, raw, reply
            except Exception as exc:
                if failure_kind(exc) not in BAD_REPLY_KINDS:
                    raise  # no reply came: `_speak` keeps the call on record, uncosted
                reason = problem_reason(exc, self.settings.timeout)
                shown = "" if ECHOED_KEY in reason else raw
                given_up = attempt + 1 >= attempts or deadline.expired()
                # The endpoint answered (with something unusable): on record with what it returned.
                outcome = f"fallback: {reason}" if given_up else f"retried: {reason}"
                self._record(task, prompt.tokens, reply, shown, started, outcome, prompt.template_hash)
                if given_up:
                    raise
                # Asked again with what was wrong (the same prompt would get the same reply at a low
                # temperature); the unusable reply itself is not sent back.
                note = HumanMessage(render("reask_spoken", problem=reason))
                prompt = replace(prompt, messages=[*prompt.messages, note])
        raise AssertionError("unreachable")  # the last attempt returns or raises

    def _fell_back(self, task: str, reason: str, text: str) -> None:
        self.fallbacks.append(FallbackEvent(task, reason, text))
        if task != "judge":
            self._note = note_for(reason)

    def _speak(
        self,
        task: str,
        persona: Persona,
        ctx: SlotContext,
        offline_line: Callable[[], str],
        accept: Callable[[str], str | None] | None = None,
        **slots: str,
    ) -> str:
        """The model's line for this task, or the offline engine's line and a note saying why."""
        self._note = None
        started = time.perf_counter()
        prompt: Prompt | None = None
        try:
            self.breaker.check()
            prompt = self.prompts.speaking(task, persona, ctx, slots)
            text, raw, reply = self._spoken_reply(task, prompt, persona, accept)
        except Exception as exc:
            reason = problem_reason(exc, self.settings.timeout)
            self._failed(exc, reason)
            if prompt is not None and failure_kind(exc) not in BAD_REPLY_KINDS:
                # A call was made and nothing came back: kept on record, never costed.
                self._record(
                    task, prompt.tokens, None, "", started, f"fallback: {reason}", prompt.template_hash
                )
            line = offline_line()
            self._fell_back(task, reason, line)
            return line
        self.breaker.succeeded()
        self._record(task, prompt.tokens, reply, raw, started, template=prompt.template_hash)
        return text

    # ------------------------------------------------------------ speaking

    def introduce(self, persona: Persona, ctx: SlotContext) -> str:
        return self._speak("introduce", persona, ctx, lambda: self.offline.introduce(persona, ctx))

    def next_question(self, persona: Persona, ctx: SlotContext) -> AskedQuestion | None:
        """The bank question the offline engine would ask next, rephrased in character for this talk."""
        choice = self.offline.next_question(persona, ctx)
        if choice is None:
            return None
        chosen = next((q for q in persona.questions if q.id == choice.question_id), None)
        skill = next((s for s in ctx.skills if s in choice.text), "")
        others = [
            fill(q.text, skill=skill or "your field", company=ctx.job.company, title=ctx.job.title)
            for q in persona.questions
            if q.category == choice.category
            and q.id not in ctx.asked_question_ids
            and q.id != choice.question_id
        ][:2]
        asked = list(reversed(ctx.asked_texts))[:ASKED_SHOWN]
        curveball = (
            "\nMake it a curveball: open-ended and a little ambiguous, so the candidate has to frame "
            "the problem before solving it.\n"
            if ctx.want_curveball and chosen is not None and chosen.curveball
            else ""
        )

        def accept(text: str) -> str | None:
            # Bank questions may be statements ("Over to you."), so only a repeat is refused.
            return (
                "the model repeated a question already asked" if too_similar(text, ctx.asked_texts) else None
            )

        text = self._speak(
            "question",
            persona,
            ctx,
            lambda: choice.text,
            accept,
            category=choice.category,
            competency=DIMENSION_WORDS.get(choice.competency, choice.competency),
            skill_hint=f", in particular {skill}" if skill else "",
            inspiration="\n".join(f"- {q}" for q in [choice.text, *others]),
            asked="\n".join(f"- {self.prompts.counter.truncate(q, ASKED_TOKENS)}" for q in asked)
            or "(nothing yet)",
            curveball=curveball,
        )
        return AskedQuestion(text, choice.category, choice.competency, choice.question_id)

    def follow_up(
        self, persona: Persona, ctx: SlotContext, reason: FollowUpReason, detail: FollowUpDetail
    ) -> str:
        detail_text = ""
        if reason == "round_one_conflict":
            detail_text = (
                f"In round one they said {detail.round_one_quote}; today they said {detail.round_two_quote}."
            )
        elif reason == "handoff_probe":
            detail_text = f"{detail.colleague} noted: {detail.note}"
        elif reason == "role_play":
            detail_text = f"The character you are playing: {detail.role}."
        return self._speak(
            "follow_up",
            persona,
            ctx,
            lambda: self.offline.follow_up(persona, ctx, reason, detail),
            need=keyed_lines("follow_up_needs")[reason],
            detail=self.prompts.fit_value(detail_text),
        )

    def invite_questions(self, persona: Persona, ctx: SlotContext) -> str:
        return self._speak(
            "invite_questions", persona, ctx, lambda: self.offline.invite_questions(persona, ctx)
        )

    def answer_candidate(self, persona: Persona, ctx: SlotContext, question: str) -> str:
        prepared = self.offline.answer_candidate(persona, ctx, question)

        def accept(text: str) -> str | None:
            return (
                "the reply answered with a question"
                if text.rstrip().endswith("?") and len(text) < 80
                else None
            )

        return self._speak(
            "answer_candidate",
            persona,
            ctx,
            lambda: prepared,
            accept,
            question=self.prompts.fit_value(question),
            name=persona.name,
            facts=prepared,
        )

    def wrap_up(self, persona: Persona, ctx: SlotContext, signs: list[str]) -> str:
        known = keyed_lines("wrap_up_signs")
        points = [known[s] for s in signs if s in known] or [known["brisk_close"]]
        return self._speak(
            "wrap_up",
            persona,
            ctx,
            lambda: self.offline.wrap_up(persona, ctx, signs),
            signs="\n".join(f"- {p}" for p in points),
        )

    def hand_off(self, persona: Persona, next_persona: Persona | None, ctx: SlotContext) -> str:
        if next_persona is not None:
            next_line = f"{next_persona.name}, {next_persona.title}, is next: tell the candidate."
        else:
            next_line = "You are the last of the day: tell the candidate the recruiter will be in touch."
        return self._speak(
            "hand_off",
            persona,
            ctx,
            lambda: self.offline.hand_off(persona, next_persona, ctx),
            next_line=next_line,
        )

    def handoff_note(self, persona: Persona, ctx: SlotContext) -> HandoffNote:
        # Written from the grades by rule: what the next interviewer may probe must be evidence, not prose.
        # A line that passed its checks only when asked again is not passed on in the model's words.
        return self.offline.handoff_note(persona, ctx, frozenset(self._reasked))

    # ------------------------------------------------------------ grading

    def _structured(self) -> Any:
        if self._judge is None:
            self._judge = self._judge_model.with_structured_output(
                JudgeVerdict, method=self.settings.structured_method, include_raw=True
            )
        return self._judge

    def grade_reply(self, follow_up: str, reply: str, reason: str | None) -> ReplyGrade:
        # Offline for now, marked so by the grade's engine; the judge will verify it later.
        return self.rules.grade_reply(follow_up, reply, reason)

    def _judge_prompt(self, request: GradeRequest, rules: AnswerGrade) -> Prompt:
        """The judge's prompt for this answer (PromptTooLong if it cannot fit its budget)."""
        return build_judge_prompt(
            request,
            self.rubrics,
            self.counter,
            self.settings.prompt_budget(self.settings.judge_output_tokens, self.settings.judge_budget),
            rules.question_kind,
            rule_proposals(rules),  # the judge verifies what the rules found, and may reject it
        )

    def grade(self, request: GradeRequest) -> AnswerGrade:
        rules = self.rules.grade(request)
        if rules.status != "graded":
            return rules  # an ungradable answer never reaches the judge and never gets a score
        started = time.perf_counter()
        try:
            prompt = self._judge_prompt(request, rules)
        except PromptTooLong as exc:  # nothing was sent: no call to record, nothing for the breaker
            self._fell_back("judge", str(exc), "")
            return rules.model_copy(
                update={
                    "status": "fallback",
                    "reason": f"LLM judge unavailable ({exc}); graded by the offline rules",
                }
            )

        deadline = Deadline.after(self.settings.timeout)  # for both asks and all their retries

        def once(messages: list[BaseMessage]) -> dict[str, Any]:
            """One structured call; a reply that cannot be read comes back as a parsing error, to re-ask."""
            try:
                result: dict[str, Any] = self._structured().invoke(messages)
            except Exception as exc:
                if failure_kind(exc) not in BAD_REPLY_KINDS or not self.settings.reply_retries:
                    raise
                return {"raw": None, "parsed": None, "parsing_error": exc}
            if self._secret and self._secret in json.dumps(
                [reply_text(result.get("raw")), str(result.get("parsed"))]
            ):
                # Never kept, and never sent back in the re-ask.
                return {"raw": None, "parsed": None, "parsing_error": MalformedReply(ECHOED_KEY)}
            return result

        def call(messages: list[BaseMessage]) -> dict[str, Any]:
            begun = time.perf_counter()
            result: dict[str, Any] = self._with_retries(partial(once, messages), deadline)
            raw = result.get("raw")
            tokens = self.counter.count_messages([str(m.content) for m in messages])
            outcome = (
                "ok"
                if result.get("parsing_error") is None and result.get("parsed") is not None
                else "invalid"
            )
            self._record(
                "judge",
                tokens,
                raw if isinstance(raw, AIMessage) else None,
                reply_text(raw),
                begun,
                outcome,
                prompt.template_hash,
            )
            return result

        try:
            self.breaker.check()
            verdict, _calls = run_within(deadline, lambda: ask_verdict(call, prompt.messages))
        except Exception as exc:
            reason = problem_reason(exc, self.settings.timeout)
            self._failed(exc, reason)
            if failure_kind(exc) not in ("breaker", *BAD_REPLY_KINDS):  # a bad reply's calls are recorded
                self._record(
                    "judge", prompt.tokens, None, "", started, f"fallback: {reason}", prompt.template_hash
                )
            self._fell_back("judge", reason, "")
            return rules.model_copy(
                update={
                    "status": "fallback",
                    "reason": f"LLM judge unavailable ({reason}); graded by the offline rules",
                }
            )
        self.breaker.succeeded()
        judged = guard_verdict(
            verdict,
            rules,
            request,
            rubric_version=self.rubrics.version,
            model=self.model,
            prompt_hash=prompt.template_hash,
            engine=self.name,
        )
        if self.judge_advisory:
            trust = self._trust()
            shown = (
                trust.line()
                if trust
                else f"never measured: run `python -m simulator judge-eval --engine {self.name}`"
            )
            return advisory_grade(rules, judged, self.model, shown)
        return judged

    def _trust(self) -> JudgeTrust | None:
        if self._trust_loaded is None:
            self._trust_loaded = (load_trust(self.model),)
        return self._trust_loaded[0]

    @property
    def judge_advisory(self) -> bool:
        """Is this model's judge only shown beside the offline grade? (See engines/trust.py.)"""
        if self.advisory_override is not None:
            return self.advisory_override
        return judge_is_advisory(self._trust(), self.name)


def problem_reason(exc: BaseException, timeout: float) -> str:
    if isinstance(exc, MalformedReply) and str(exc) and "did not validate" not in str(exc):
        return str(exc)
    if isinstance(exc, MalformedReply) and ECHOED_KEY in str(exc):
        return ECHOED_KEY
    return describe_failure(exc, timeout)


# ---------------------------------------------------------------- factories: only here is ChatOpenAI named


def build_chat_model(
    settings: EngineSettings, output_tokens: int, temperature: float | None = None
) -> BaseChatModel:
    """ChatOpenAI for the settings. Our own retry loop is bounded, so the SDK's retries are off; its
    HTTP client carries the deadline hooks, so a trickling reply is cut off at the call's deadline.

    The reply limit goes in the field the endpoint honours (`settings.limit_fields()`): LangChain
    sends its `max_tokens` as `max_completion_tokens`, which llama.cpp's server ignores, so there
    `max_tokens` goes in the body itself, or the model would never stop talking.
    """
    from langchain_openai import ChatOpenAI
    from openai import DefaultHttpxClient
    from pydantic import SecretStr

    wanted = settings.limit_fields()
    limit: dict[str, Any] = {}
    if "max_completion_tokens" in wanted:
        limit["max_tokens"] = output_tokens
    if "max_tokens" in wanted:
        limit["extra_body"] = {"max_tokens": output_tokens}
    return ChatOpenAI(
        model=settings.model,
        api_key=SecretStr(settings.api_key or "not-needed"),
        base_url=settings.base_url,
        temperature=settings.temperature if temperature is None else temperature,
        timeout=settings.timeout,
        max_retries=0,
        http_client=DefaultHttpxClient(event_hooks=deadline_hooks()),
        **limit,
    )


JUDGE_TEMPERATURE = 0.0  # a grade must not depend on the dice


def engine_from_settings(
    settings: EngineSettings, rubrics: Rubrics, name: str = "openai", rules: RuleGrader | None = None
) -> OpenAIEngine:
    return OpenAIEngine(
        build_chat_model(settings, settings.max_output_tokens),
        rubrics,
        judge_model=build_chat_model(settings, settings.judge_output_tokens, JUDGE_TEMPERATURE),
        settings=settings,
        name=name,
        rules=rules,
    )


def make_openai_engine(rubrics: Rubrics, settings: EngineSettings | None = None) -> OpenAIEngine:
    from simulator.engines import EngineUnavailable

    settings = settings or EngineSettings.from_env()
    if not settings.api_key and not settings.base_url:
        raise EngineUnavailable(
            "engine 'openai' needs OPENAI_API_KEY (for OpenAI) or OPENAI_BASE_URL (for a local "
            "OpenAI-compatible server such as Ollama, vLLM, LM Studio or llama.cpp)"
        )
    settings, context = resolve_context(settings)  # before the engine: the budgets depend on it
    engine = engine_from_settings(settings, rubrics)
    engine.context = context
    return engine
