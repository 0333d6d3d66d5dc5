"""What every model call cost: model, prompt template hash, tokens in and out, duration.

The engine appends a `CallRecord` per call; the session keeps the summary under `usage[<engine>]`
with an estimated cost from `simulator/data/prices.yaml` (an editable price table).
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from pydantic import Field, ValidationError

from simulator.models import EngineUsage, Session, Strict

PRICES = Path(__file__).resolve().parent.parent / "data" / "prices.yaml"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "0.0.0.0"})
OPENAI_HOST = "api.openai.com"


def priced_name(model: str, base_url: str | None) -> str:
    """The model name calls are recorded under: `model` on OpenAI's own endpoint, `model at host`
    on any other, so its cost is not guessed from OpenAI's price table."""
    host = urlsplit(base_url).netloc.lower() if base_url else OPENAI_HOST
    return model if host in ("", OPENAI_HOST) else f"{model} at {host}"


def estimated_name(engine: str, model: str, base_url: str | None) -> str:
    """The name a setup-page estimate prices: the local engine runs here, whatever model is configured."""
    return "local at 127.0.0.1" if engine == "local" else priced_name(model, base_url)


def returned_something(record: CallRecord) -> bool:
    """A call that fell back with no reply (timed out, refused) is not costed."""
    return record.tokens_out > 0 or not record.outcome.startswith("fallback")


@dataclass(frozen=True)
class CallRecord:
    task: str  # the prompt template: introduce, question, follow_up, ..., judge
    model: str
    template_hash: str
    tokens_in: int
    tokens_out: int
    seconds: float
    outcome: str = "ok"  # "ok"; "invalid" (the reply failed validation); "fallback: <why>"


class Price(Strict):
    input: float = Field(ge=0.0, description="per million input tokens")
    output: float = Field(ge=0.0, description="per million output tokens")


class PriceTable(Strict):
    currency: str = "USD"
    per_million_tokens: dict[str, Price] = Field(default_factory=dict)

    def price(self, model: str) -> Price | None:
        """The longest listed name that starts the model name (`gpt-4o-mini-2024-07-18` -> `gpt-4o-mini`).

        A model on another endpoint (`name at host`, see `priced_name`) costs nothing on this machine
        and has an unknown price elsewhere: the table holds OpenAI's prices, and a server that
        borrows a model name (or serves its default one) does not charge them. Free models stay free.
        """
        name, _, host = model.lower().partition(" at ")
        name = name.rsplit("/", 1)[-1]
        matches = [key for key in self.per_million_tokens if name.startswith(key.lower())]
        listed = self.per_million_tokens[max(matches, key=len)] if matches else None
        if not host:
            return listed
        if host.split(":")[0].strip("[]") in LOOPBACK_HOSTS:
            return Price(input=0.0, output=0.0)
        return listed if listed is not None and listed.input == listed.output == 0.0 else None

    def cost(self, model: str, tokens_in: int, tokens_out: int) -> float | None:
        price = self.price(model)
        if price is None:
            return None
        return (tokens_in * price.input + tokens_out * price.output) / 1_000_000


@cache
def load_prices(path: Path = PRICES) -> PriceTable:
    return PriceTable.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


class UsageLog:
    """Call records in order. `take()` hands over the ones not yet taken, for the session to keep."""

    def __init__(self) -> None:
        self.records: list[CallRecord] = []
        self._taken = 0
        self._lock = threading.Lock()

    def add(self, record: CallRecord) -> None:
        with self._lock:
            self.records.append(record)

    def take(self) -> list[CallRecord]:
        with self._lock:
            fresh = self.records[self._taken :]
            self._taken = len(self.records)
            return fresh


def summarize(records: list[CallRecord], prices: PriceTable | None = None) -> dict:
    """Totals and an estimated cost; the cost is None when the model has no price in the table."""
    prices = prices or load_prices()
    tokens_in = sum(r.tokens_in for r in records)
    tokens_out = sum(r.tokens_out for r in records)
    cost: float | None = 0.0
    answered = [r for r in records if returned_something(r)]
    for model in {r.model for r in answered}:
        mine = [r for r in answered if r.model == model]
        part = prices.cost(model, sum(r.tokens_in for r in mine), sum(r.tokens_out for r in mine))
        cost = None if part is None or cost is None else cost + part
    return {
        "calls": len(records),
        "failed_calls": sum(1 for r in records if r.outcome != "ok"),
        "tokens_in": tokens_in,
        "tokens_out": tokens_out,
        "seconds": round(sum(r.seconds for r in records), 3),
        "estimated_cost": None if cost is None else round(cost, 6),
        "currency": prices.currency,
        "models": sorted({r.model for r in records}),
    }


def merge_usage(
    usage: dict, engine: str, records: list[CallRecord], prices: PriceTable | None = None, context: str = ""
) -> dict:
    """`Session.usage` with these records added under the engine's name: totals and every call, and
    the context size the prompts were fitted to (`context`, the engine's `context_line`)."""
    merged = dict(usage)
    earlier = [CallRecord(**r) for r in merged.get(engine, {}).get("records", [])]
    everything = earlier + records
    context = context or merged.get(engine, {}).get("context", "")
    summary = {**summarize(everything, prices), **({"context": context} if context else {})}
    merged[engine] = {**summary, "records": [asdict(r) for r in everything]}
    return merged


@dataclass(frozen=True)
class Estimate:
    calls: int
    tokens_in: int
    tokens_out: int
    cost: float | None
    currency: str

    def line(self) -> str:
        if self.cost is None:
            money = "unknown price for this model"
        elif self.cost == 0:
            money = "free: it runs on this machine"
        else:
            money = f"about {self.cost:.3f} {self.currency}"
        return f"about {self.calls} model calls, ~{self.tokens_in + self.tokens_out:,} tokens ({money})"


# Per interviewer: intro, invitation, two answers to the candidate's questions, wrap-up, hand-off.
_FIXED_CALLS_PER_SLOT = 6
_MINUTES_PER_QUESTION = 4.0  # a question, the answer and its follow-ups, as the offline clock counts them
_FOLLOW_UPS_PER_QUESTION = 0.3
_PROMPT_FILL = (
    0.95  # prompts come close to the budget: the context takes the room the task leaves (bench/llm.py)
)


def estimate_session(
    slot_minutes: list[int],
    model: str,
    token_budget: int,
    output_tokens: int,
    prices: PriceTable | None = None,
) -> Estimate:
    """A rough figure for the setup page, before anything is sent."""
    prices = prices or load_prices()
    questions = sum(m / _MINUTES_PER_QUESTION for m in slot_minutes)
    spoken = len(slot_minutes) * _FIXED_CALLS_PER_SLOT + questions * (1 + _FOLLOW_UPS_PER_QUESTION)
    judged = questions * (1 + _FOLLOW_UPS_PER_QUESTION)
    calls = round(spoken + judged)
    tokens_in = round(calls * token_budget * _PROMPT_FILL)
    tokens_out = round(spoken * output_tokens * 0.5 + judged * 350)
    return Estimate(calls, tokens_in, tokens_out, prices.cost(model, tokens_in, tokens_out), prices.currency)


def usage_lines(session: Session) -> list[str]:
    """One line per engine that called a model: calls, tokens and the estimated cost, for exports."""
    lines = []
    for engine, raw in sorted(session.usage.items()):
        try:
            used = EngineUsage.model_validate(raw)
        except ValidationError:
            continue
        if not used.calls:
            continue
        cost = used.estimated_cost
        money = "unknown price" if cost is None else f"about {cost:.4f} {used.currency}"
        fell = f" ({used.failed_calls} fell back)" if used.failed_calls else ""
        context = f"; {used.context}" if used.context else ""
        lines.append(
            f"{engine} ({', '.join(used.models)}): {used.calls} calls{fell}, "
            f"{used.tokens_in:,} tokens in, {used.tokens_out:,} out; estimated cost {money}{context}"
        )
    return lines
