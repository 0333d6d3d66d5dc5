"""The key stays home: the server's API key goes only to the server's own endpoint.

Driven through the page's Start action (what the Start button calls), against local listeners
that record the Authorization header of every request they receive.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_openai_server import FakeOpenAIServer

from simulator.engines.endpoints import allowed_endpoints, visitor_settings
from simulator.engines.settings import EngineSettings, SettingsError
from simulator.store import Store
from simulator.ui.actions import (
    ActionError,
    PageContext,
    SetupForm,
    engine_summary,
    example_form,
    start_session,
)

SERVER_KEY = "sk-server-own-key-0123456789abcdefghij"
VISITOR_KEY = "sk-visitor-typed-key-9876543210zyxwvu"
OTHER_VISITOR_KEY = "sk-another-visitor-key-1122334455aabb"
GREETING = "Welcome back. I'd like to hear how you work with messy data."


@pytest.fixture
def home() -> Iterator[FakeOpenAIServer]:
    """The server's configured endpoint (OPENAI_BASE_URL)."""
    with FakeOpenAIServer("ok", text=GREETING) as server:
        yield server


@pytest.fixture
def visitor() -> Iterator[FakeOpenAIServer]:
    """A URL a page visitor types: anyone's listener."""
    with FakeOpenAIServer("ok", text=GREETING) as server:
        yield server


@pytest.fixture
def ctx(
    roundtwo_home: Path, monkeypatch: pytest.MonkeyPatch, home: FakeOpenAIServer
) -> Iterator[PageContext]:
    monkeypatch.setenv("OPENAI_API_KEY", SERVER_KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", home.base_url)
    monkeypatch.setenv("ROUNDTWO_TIMEOUT", "2")
    monkeypatch.delenv("ROUNDTWO_ALLOWED_BASE_URLS", raising=False)
    with Store() as store:
        yield PageContext(store=store)


def form(ctx: PageContext, **changes: str) -> SetupForm:
    chosen = example_form(ctx.personas)
    for slot in chosen.slots:
        slot.minutes = 10
    chosen.engine = "openai"
    for key, value in changes.items():
        setattr(chosen, key, value)
    return chosen


def test_a_visitor_url_never_receives_the_server_key(
    ctx: PageContext, home: FakeOpenAIServer, visitor: FakeOpenAIServer
) -> None:
    step = start_session(ctx, form(ctx, base_url=visitor.base_url))
    assert step.session.turns[0].text == GREETING  # the visitor's endpoint was used, and answered
    received = visitor.authorizations()
    assert received and all(SERVER_KEY not in header for header in received)
    assert home.requests == []


def test_a_visitor_url_gets_the_key_the_visitor_typed(ctx: PageContext, visitor: FakeOpenAIServer) -> None:
    start_session(ctx, form(ctx, base_url=visitor.base_url, api_key=VISITOR_KEY))
    assert set(visitor.authorizations()) == {f"Bearer {VISITOR_KEY}"}


def test_two_visitors_of_one_url_never_share_a_key(ctx: PageContext, visitor: FakeOpenAIServer) -> None:
    start_session(ctx, form(ctx, base_url=visitor.base_url, api_key=VISITOR_KEY))
    first = len(visitor.requests)
    start_session(ctx, form(ctx, base_url=visitor.base_url))  # the next visitor types no key
    start_session(ctx, form(ctx, base_url=visitor.base_url, api_key=OTHER_VISITOR_KEY))
    later = visitor.authorizations()[first:]
    assert later and all(VISITOR_KEY not in header and SERVER_KEY not in header for header in later)
    assert f"Bearer {OTHER_VISITOR_KEY}" in later


@pytest.mark.parametrize("spelling", ["{url}", "{url}/", "{upper}"])
def test_the_servers_own_endpoint_gets_the_servers_key(
    ctx: PageContext, home: FakeOpenAIServer, spelling: str
) -> None:
    typed = spelling.format(
        url=home.base_url, upper=home.base_url.replace("http://127.0.0.1", "HTTP://127.0.0.1")
    )
    start_session(ctx, form(ctx, base_url=typed if spelling != "{url}" else ""))
    assert set(home.authorizations()) == {f"Bearer {SERVER_KEY}"}


def test_an_operator_list_refuses_other_urls_in_one_line(
    ctx: PageContext, monkeypatch: pytest.MonkeyPatch, home: FakeOpenAIServer, visitor: FakeOpenAIServer
) -> None:
    monkeypatch.setenv("ROUNDTWO_ALLOWED_BASE_URLS", "http://127.0.0.1:11434/v1, https://llm.example.org/v1")
    with pytest.raises(ActionError) as refused:
        start_session(ctx, form(ctx, base_url=visitor.base_url, api_key=VISITOR_KEY))
    line = str(refused.value)
    assert "\n" not in line and "is not one this server allows" in line and visitor.base_url in line
    assert visitor.requests == []
    assert "is not one this server allows" in engine_summary(ctx, form(ctx, base_url=visitor.base_url))
    start_session(ctx, form(ctx))  # the server's own endpoint is always allowed
    assert set(home.authorizations()) == {f"Bearer {SERVER_KEY}"}


def test_an_operator_list_lets_its_urls_through_with_the_visitors_key_only(
    ctx: PageContext, monkeypatch: pytest.MonkeyPatch, visitor: FakeOpenAIServer
) -> None:
    monkeypatch.setenv("ROUNDTWO_ALLOWED_BASE_URLS", f"{visitor.base_url}/")
    start_session(ctx, form(ctx, base_url=visitor.base_url))
    received = visitor.authorizations()
    assert received and all(SERVER_KEY not in header for header in received)


def test_a_base_url_that_is_not_a_url_is_one_plain_line(ctx: PageContext) -> None:
    with pytest.raises(ActionError, match=r"^engine settings: base URL 'not a url' is not an http\(s\) URL"):
        start_session(ctx, form(ctx, base_url="not a url"))
    with pytest.raises(SettingsError, match="is not an http"):
        EngineSettings(base_url="ftp://127.0.0.1/v1")


def test_the_rule_itself() -> None:
    server = EngineSettings(api_key=SERVER_KEY, base_url="http://10.0.0.5:8000/v1")
    assert visitor_settings(server).api_key == SERVER_KEY
    assert visitor_settings(server, base_url="http://10.0.0.5:8000/v1/").api_key == SERVER_KEY
    elsewhere = visitor_settings(server, base_url="http://203.0.113.9/v1")
    assert (elsewhere.base_url, elsewhere.api_key) == ("http://203.0.113.9/v1", None)
    openai_default = EngineSettings(api_key=SERVER_KEY)
    assert visitor_settings(openai_default, base_url="https://API.openai.com:443/v1").api_key == SERVER_KEY
    assert visitor_settings(openai_default, base_url="https://api.openai.com.evil.test/v1").api_key is None
    with pytest.raises(SettingsError, match="ROUNDTWO_ALLOWED_BASE_URLS: base URL 'nope'"):
        allowed_endpoints({"ROUNDTWO_ALLOWED_BASE_URLS": "nope"})
