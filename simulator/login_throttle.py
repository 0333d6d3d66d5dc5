"""`python app.py --auth USER:PASS`: wrong passwords cost time, per client.

Gradio calls an auth function with only the user name and password, so a small ASGI middleware
notes which client sent the request, and the check reads it. After `free_tries` wrong passwords
from one client, each further attempt from it waits first, twice as long each time up to
`max_delay`; one client's attempts are checked one at a time, so firing them in parallel gains
nothing. A right password clears that client's count. Other clients are not slowed.
"""

from __future__ import annotations

import asyncio
import hmac
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from starlette.middleware import Middleware
from starlette.types import ASGIApp, Receive, Scope, Send

CLIENT: ContextVar[str] = ContextVar("login_client", default="unknown")
MAX_CLIENTS = 10_000  # remembered at once; the longest-quiet ones are forgotten first


class ClientAddress:
    """ASGI middleware: the requesting client's address, for the auth check below."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        token = CLIENT.set(str(client[0]) if client else "unknown")
        try:
            await self.app(scope, receive, send)
        finally:
            CLIENT.reset(token)


@dataclass
class _Client:
    failures: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


@dataclass
class LoginThrottle:
    """Its `check` is the auth function Gradio calls: `await throttle.check(user, password) -> bool`."""

    user: str
    password: str
    free_tries: int = 5
    first_delay: float = 1.0
    max_delay: float = 30.0
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep
    _clients: OrderedDict[str, _Client] = field(default_factory=OrderedDict, repr=False)

    def delay_after(self, failures: int) -> float:
        """Seconds to wait before checking the next attempt of a client with this many failures."""
        if failures < self.free_tries:
            return 0.0
        return min(self.first_delay * 2 ** (failures - self.free_tries), self.max_delay)

    async def check(self, username: str, password: str) -> bool:
        client = self._client(CLIENT.get())
        async with client.lock:
            delay = self.delay_after(client.failures)
            if delay:
                await self.sleep(delay)
            # Both compared, in constant time: the reply does not tell which one was wrong.
            right_user = hmac.compare_digest(username.encode(), self.user.encode())
            right_password = hmac.compare_digest(password.encode(), self.password.encode())
            if right_user and right_password:
                client.failures = 0
                return True
            client.failures += 1
            return False

    def _client(self, address: str) -> _Client:
        client = self._clients.pop(address, None) or _Client()
        self._clients[address] = client  # most recent last
        while len(self._clients) > MAX_CLIENTS:
            self._clients.popitem(last=False)
        return client


def launch_auth(throttle: LoginThrottle) -> dict[str, Any]:
    """What `Blocks.launch()` needs for a throttled login: the auth function and the middleware.

    The bound `check` method, never the object: Gradio awaits only what inspect calls a coroutine
    function, and would take an async `__call__`'s coroutine object as a truthy "yes".
    """
    return {"auth": throttle.check, "app_kwargs": {"middleware": [Middleware(ClientAddress)]}}
