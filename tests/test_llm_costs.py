"""Honest costs: nothing for a model on this machine, "unknown price" for a model on someone else's
server, nothing for calls that returned nothing; the Markdown export shows tokens and cost."""

from __future__ import annotations

from dataclasses import asdict

from simulator.engines.usage import CallRecord, estimate_session, estimated_name, priced_name, summarize
from simulator.markdown import session_to_markdown
from simulator.models import Session


def record(model: str, outcome: str = "ok", tokens_out: int = 100) -> CallRecord:
    return CallRecord("question", model, "abc", 1000, tokens_out, 1.0, outcome)


def test_openai_models_are_priced_from_the_table() -> None:
    name = priced_name("gpt-4o-mini", None)
    assert name == "gpt-4o-mini" == priced_name("gpt-4o-mini", "https://api.openai.com/v1")
    assert summarize([record(name)])["estimated_cost"] > 0


def test_a_model_on_this_machine_costs_nothing_whatever_its_name() -> None:
    name = priced_name("gpt-4o-mini", "http://127.0.0.1:8080/v1")  # the default name on a local server
    assert name == "gpt-4o-mini at 127.0.0.1:8080"
    assert summarize([record(name)])["estimated_cost"] == 0.0
    local = estimate_session([20, 20], estimated_name("local", "gpt-4o-mini", None), 2400, 220)
    assert local.cost == 0.0 and "free" in local.line()


def test_an_unknown_server_has_an_unknown_price() -> None:
    name = priced_name("gpt-4o-mini", "https://llm.example.com/v1")
    assert summarize([record(name)])["estimated_cost"] is None
    estimate = estimate_session([20], name, 2400, 220)
    assert estimate.cost is None and "unknown price" in estimate.line()
    assert (
        summarize([record(priced_name("smollm2-135m", "https://llm.example.com/v1"))])["estimated_cost"]
        == 0.0
    )


def test_calls_that_returned_nothing_are_not_costed() -> None:
    answered = summarize([record("gpt-4o-mini")])["estimated_cost"]
    both = summarize([record("gpt-4o-mini"), record("gpt-4o-mini", "fallback: timed out", tokens_out=0)])
    assert both["estimated_cost"] == answered
    assert both["calls"] == 2 and both["failed_calls"] == 1


def test_the_markdown_export_shows_tokens_and_cost(sample_session: Session) -> None:
    calls = [record("gpt-4o-mini"), record("gpt-4o-mini", "fallback: timed out", tokens_out=0)]
    summary = {**summarize(calls), "records": [asdict(r) for r in calls]}
    session = sample_session.model_copy(update={"usage": {"openai": summary}})
    text = session_to_markdown(session)
    line = next(line for line in text.splitlines() if line.startswith("- **Model use:**"))
    assert "2 calls (1 fell back)" in line and "2,000 tokens in, 100 out" in line
    assert "estimated cost about 0.0002 USD" in line
