"""Engine settings: environment first, then CLI flags; the key never shows up in a printout."""

from __future__ import annotations

import argparse

import pytest

from simulator.catalog import load_rubrics
from simulator.engines import EngineUnavailable, make_engine
from simulator.engines.settings import EngineSettings, SettingsError, add_engine_arguments, settings_from_args


def test_defaults_then_environment_then_overrides() -> None:
    env = {
        "OPENAI_API_KEY": "sk-live-abc123",
        "OPENAI_BASE_URL": "http://localhost:11434/v1",
        "ROUNDTWO_MODEL": "llama3.2",
        "ROUNDTWO_TEMPERATURE": "0.2",
        "ROUNDTWO_STRUCTURED_OUTPUT": "json_schema",
        "ROUNDTWO_TIMEOUT": "7.5",
        "ROUNDTWO_MAX_RETRIES": "1",
        "ROUNDTWO_TOKEN_BUDGET": "1500",
    }
    settings = EngineSettings.from_env(env, model="qwen2.5", timeout=None)
    assert settings.api_key == "sk-live-abc123"
    assert settings.base_url == "http://localhost:11434/v1"
    assert settings.model == "qwen2.5"  # the flag wins over ROUNDTWO_MODEL
    assert settings.timeout == 7.5  # a flag left out (None) keeps the environment's value
    assert (
        settings.temperature,
        settings.structured_method,
        settings.max_retries,
        settings.token_budget,
    ) == (
        0.2,
        "json_schema",
        1,
        1500,
    )
    assert EngineSettings.from_env({}).structured_method == "function_calling"


def test_the_key_is_never_printed() -> None:
    settings = EngineSettings.from_env({"OPENAI_API_KEY": "sk-live-abc123"})
    assert "sk-live" not in repr(settings)
    assert "sk-live" not in settings.describe()
    assert "key set" in settings.describe()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ROUNDTWO_STRUCTURED_OUTPUT": "xml"}, "structured output method 'xml'"),
        ({"ROUNDTWO_TIMEOUT": "soon"}, "ROUNDTWO_TIMEOUT='soon' is not a number"),
        ({"ROUNDTWO_TEMPERATURE": "3"}, "temperature 3.0 must be between 0 and 2"),
        ({"ROUNDTWO_TOKEN_BUDGET": "50"}, "token budget 50 is too small"),
    ],
)
def test_bad_settings_name_the_setting(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        EngineSettings.from_env(env)


def test_cli_flags_override_the_environment() -> None:
    parser = argparse.ArgumentParser()
    add_engine_arguments(parser)
    args = parser.parse_args(
        [
            "--model",
            "gpt-4.1-mini",
            "--base-url",
            "http://127.0.0.1:8080/v1",
            "--structured-output",
            "json_schema",
            "--timeout",
            "5",
        ]
    )
    settings = settings_from_args(args, env={"ROUNDTWO_MODEL": "other", "OPENAI_API_KEY": "sk-x"})
    assert settings.model == "gpt-4.1-mini"
    assert settings.base_url == "http://127.0.0.1:8080/v1"
    assert settings.structured_method == "json_schema"
    assert settings.timeout == 5.0
    assert settings.api_key == "sk-x"
    with pytest.raises(SystemExit):
        parser.parse_args(
            ["--api-key", "sk-nope"]
        )  # there is no flag for the key: it stays in the environment


def test_openai_engine_without_key_or_url_says_what_to_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with pytest.raises(EngineUnavailable, match=r"OPENAI_API_KEY .* or OPENAI_BASE_URL"):
        make_engine("openai", load_rubrics())


def test_a_bad_setting_is_an_engine_error_for_the_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROUNDTWO_STRUCTURED_OUTPUT", "yaml")
    with pytest.raises(EngineUnavailable, match="engine settings: structured output method 'yaml'"):
        make_engine("openai", load_rubrics())
