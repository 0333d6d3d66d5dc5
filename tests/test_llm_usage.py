"""Usage records: tokens, duration and an estimated cost from the editable price table."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.engines.usage import (
    CallRecord,
    PriceTable,
    UsageLog,
    estimate_session,
    load_prices,
    merge_usage,
    summarize,
)


def record(
    task: str = "question",
    model: str = "gpt-4o-mini",
    tokens_in: int = 1000,
    tokens_out: int = 100,
    outcome: str = "ok",
) -> CallRecord:
    return CallRecord(task, model, "abc123", tokens_in, tokens_out, 0.5, outcome)


def test_summary_adds_up_tokens_and_prices_them() -> None:
    records = [
        record(),
        record("judge", tokens_in=2000, tokens_out=300),
        record(outcome="fallback: timed out"),
    ]
    summary = summarize(records)
    assert summary["calls"] == 3
    assert summary["failed_calls"] == 1
    assert (summary["tokens_in"], summary["tokens_out"]) == (4000, 500)
    # gpt-4o-mini in the shipped table: 0.15 in, 0.60 out per million tokens.
    assert summary["estimated_cost"] == pytest.approx((4000 * 0.15 + 500 * 0.60) / 1_000_000)
    assert summary["currency"] == "USD"


def test_a_model_without_a_price_shows_tokens_but_no_cost() -> None:
    summary = summarize([record(model="mystery-70b")])
    assert summary["tokens_in"] == 1000
    assert summary["estimated_cost"] is None


def test_longest_price_name_wins_and_local_models_are_free() -> None:
    prices = load_prices()
    assert prices.price("gpt-4o-mini-2024-07-18") == prices.per_million_tokens["gpt-4o-mini"]
    assert prices.price("gpt-4o-2024-08-06") == prices.per_million_tokens["gpt-4o"]
    assert prices.cost("smollm2-135m-instruct", 10_000, 10_000) == 0.0


def test_the_price_table_is_a_data_file_a_user_can_edit(tmp_path: Path) -> None:
    table = tmp_path / "prices.yaml"
    table.write_text("currency: EUR\nper_million_tokens:\n  my-model: {input: 1.0, output: 2.0}\n")
    prices = load_prices(table)
    assert summarize([record(model="my-model", tokens_in=1_000_000, tokens_out=500_000)], prices)[
        "estimated_cost"
    ] == pytest.approx(2.0)
    assert isinstance(prices, PriceTable)


def test_take_hands_over_each_record_once_and_merge_keeps_every_call() -> None:
    log = UsageLog()
    log.add(record())
    first = log.take()
    log.add(record("judge"))
    second = log.take()
    assert [r.task for r in first] == ["question"]
    assert [r.task for r in second] == ["judge"]
    assert log.take() == []
    usage = merge_usage({}, "openai", first)
    usage = merge_usage(usage, "openai", second)
    assert usage["openai"]["calls"] == 2
    assert [r["task"] for r in usage["openai"]["records"]] == ["question", "judge"]
    assert usage["openai"]["records"][0]["template_hash"] == "abc123"


def test_estimate_before_starting_grows_with_the_plan() -> None:
    short = estimate_session([20], "gpt-4o-mini", 2400, 220)
    long = estimate_session([30, 25, 20, 20], "gpt-4o-mini", 2400, 220)
    assert 0 < short.calls < long.calls
    assert long.cost is not None and long.cost > short.cost  # type: ignore[operator]
    assert "model calls" in long.line() and "USD" in long.line()
    assert (
        estimate_session([20], "unknown-model", 2400, 220).line().endswith("(unknown price for this model)")
    )
