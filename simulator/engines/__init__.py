"""Engines behind the one seam for language. `make_engine` is the only place that picks one."""

from __future__ import annotations

from simulator.catalog import Rubrics
from simulator.engines.base import Engine
from simulator.engines.settings import EngineSettings, SettingsError

ENGINES = ("offline", "openai", "local")


class EngineUnavailable(ValueError):
    """The engine cannot be used here (not installed, or not configured)."""


def make_engine(name: str, rubrics: Rubrics, settings: EngineSettings | None = None) -> Engine:
    """`settings` (model, base URL, ...) apply to the LLM engines; None reads them from the environment."""
    if name == "offline":
        from simulator.engines.offline import OfflineEngine

        return OfflineEngine(rubrics)
    if name == "openai":
        checked = _checked(settings)
        from simulator.engines.openai_engine import make_openai_engine

        return make_openai_engine(rubrics, checked)
    if name == "local":
        checked = _checked(settings)
        from simulator.engines.local import make_local_engine

        return make_local_engine(rubrics, checked)
    raise EngineUnavailable(f"unknown engine '{name}' (choose from {', '.join(ENGINES)})")


def _checked(settings: EngineSettings | None) -> EngineSettings:
    try:
        return settings or EngineSettings.from_env()
    except SettingsError as exc:
        raise EngineUnavailable(f"engine settings: {exc}") from None
