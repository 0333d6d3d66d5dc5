"""Where the server's API key may go: only to the server's own endpoint.

A page visitor can type any base URL. Sending the server's `OPENAI_API_KEY` there would hand the
key to whoever runs that URL, so:
- the server's key goes only to the server's configured endpoint (`OPENAI_BASE_URL`, or OpenAI's
  own URL when that is unset);
- any other URL is called with the key the visitor typed on the page, or with none;
- an operator can list the endpoints visitors may use (`ROUNDTWO_ALLOWED_BASE_URLS`,
  comma-separated); when set, any other URL is refused in one line. The server's own endpoint is
  always allowed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import replace

from simulator.engines.settings import DEFAULT_BASE_URL, EngineSettings, SettingsError, endpoint

ALLOWED_ENV = "ROUNDTWO_ALLOWED_BASE_URLS"


class EndpointRefused(SettingsError):
    """The visitor's base URL is not one this server allows."""


def allowed_endpoints(env: Mapping[str, str] | None = None) -> frozenset[str] | None:
    """The operator's list, normalised; None when no list is set (any URL, with the visitor's own key)."""
    raw = (os.environ if env is None else env).get(ALLOWED_ENV, "").strip()
    if not raw:
        return None
    try:
        return frozenset(endpoint(item) for item in raw.split(",") if item.strip())
    except SettingsError as exc:
        raise SettingsError(f"{ALLOWED_ENV}: {exc}") from None


def server_endpoint(server: EngineSettings) -> str:
    return endpoint(server.base_url or DEFAULT_BASE_URL)


def visitor_settings(
    server: EngineSettings,
    *,
    base_url: str = "",
    api_key: str = "",
    model: str = "",
    allowed: frozenset[str] | None = None,
) -> EngineSettings:
    """The settings for what a visitor typed (blank fields keep the server's), with the key rule applied."""
    chosen = replace(server, model=model.strip() or server.model)
    url, key = base_url.strip(), api_key.strip()
    if not url or endpoint(url) == server_endpoint(server):
        return replace(chosen, api_key=key or server.api_key)  # the server's own endpoint
    target = endpoint(url)
    if allowed is not None and target not in allowed:
        raise EndpointRefused(
            f"base URL {target} is not one this server allows; ask its operator, or leave the field blank"
        )
    return replace(chosen, base_url=target, api_key=key or None)  # never the server's key


def key_tag(settings: EngineSettings) -> str:
    """A short fingerprint of the key, to tell engines apart without keeping the key in a name."""
    return hashlib.sha256((settings.api_key or "").encode()).hexdigest()[:12]
