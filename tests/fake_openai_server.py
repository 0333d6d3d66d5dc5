"""A misbehaving OpenAI-compatible server on 127.0.0.1, for fault tests.

Each request takes the next behaviour from a script (the last one repeats):
  "ok"        a normal chat completion with `text` (or a JudgeVerdict tool call when tools were sent)
  "hang"      accepts the request and never answers (until the client hangs up or the server stops);
              "timeout" is the same
  "trickle"   sends the headers, then the body a byte every `trickle_seconds` (a streamed request
              gets a never-ending stream of one-word chunks at that pace): no read ever times out
  "slow-stream" like "ok", but a streamed reply sends a word every `trickle_seconds`, then ends
  "slow-headers" the status line, then the headers a byte every `trickle_seconds`, never finished
  "429"       rate limited, with `Retry-After: 0`
  "429-long"  rate limited, with `Retry-After: 120`
  "500"       a server error
  "401"       wrong key
  "garbage"   HTTP 200 with a body that is not JSON
  "empty"     HTTP 200, a completion whose message content is empty
  "drop"      closes the connection without a response
  "echo"      a completion whose text repeats the API key the request carried
Every request is kept (path, parsed body, headers) so a test can see what was sent, and every
request the client gave up on while it hung or trickled is counted in `abandoned`.
"""

from __future__ import annotations

import json
import select
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DEFAULT_TEXT = "Tell me about a time a plan of yours did not survive contact with reality?"


def completion(content: str | None, tool_call: dict[str, Any] | None = None) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if tool_call is not None:
        message["tool_calls"] = [
            {
                "id": "call_fake_1",
                "type": "function",
                "function": {"name": tool_call["name"], "arguments": json.dumps(tool_call["arguments"])},
            }
        ]
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1700000000,
        "model": "fake-model",
        "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls" if tool_call else "stop"}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }


def stream_chunk(content: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": "fake-model",
        "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": None}],
    }


class FakeOpenAIServer:
    def __init__(
        self,
        *script: str,
        text: str = DEFAULT_TEXT,
        verdict: dict[str, Any] | None = None,
        trickle_seconds: float = 1.0,
    ):
        self.script = list(script) or ["ok"]
        self.text = text
        self.verdict = verdict
        self.trickle_seconds = trickle_seconds
        self.requests: list[dict[str, Any]] = []
        self.abandoned = 0  # requests the client hung up on before the reply was complete
        self._abandon = threading.Condition()
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def next_behaviour(self) -> str:
        with self._lock:
            return self.script.pop(0) if len(self.script) > 1 else self.script[0]

    def authorizations(self) -> list[str]:
        """The Authorization header of every request received ("" when none was sent)."""
        with self._lock:
            return [
                next((v for k, v in r["headers"].items() if k.lower() == "authorization"), "")
                for r in self.requests
            ]

    def wait_abandoned(self, count: int = 1, seconds: float = 10.0) -> bool:
        """Wait (at most `seconds`) until the client has hung up on `count` replies; True if it has."""
        with self._abandon:
            return self._abandon.wait_for(lambda: self.abandoned >= count, seconds)

    def _client_left(self) -> None:
        with self._abandon:
            self.abandoned += 1
            self._abandon.notify_all()

    def __enter__(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def _gone(self, wait: float) -> bool:
                """Waits up to `wait` seconds; True if the client closed its end meanwhile."""
                ready, _, _ = select.select([self.connection], [], [], wait)
                if not ready:
                    return False
                try:
                    return self.connection.recv(1, socket.MSG_PEEK) == b""
                except OSError:
                    return True

            def _hang(self) -> None:
                while not fake.stopping.is_set():
                    if self._gone(0.05):
                        fake._client_left()
                        return

            def _stream(self, text: str, pause: float = 0.0) -> None:
                """A streamed reply: the text a word per chunk (`pause` seconds apart), then the end marker."""
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for word in [w + " " for w in text.split()]:
                    self.wfile.write(f"data: {json.dumps(stream_chunk(word))}\n\n".encode())
                    if pause:
                        self.wfile.flush()
                        fake.stopping.wait(pause)
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

            def _slow_headers(self) -> None:
                self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Padding: ")
                while not fake.stopping.is_set():
                    try:
                        self.wfile.write(b"a")
                        self.wfile.flush()
                    except OSError:
                        fake._client_left()
                        return
                    if self._gone(fake.trickle_seconds):
                        fake._client_left()
                        return

            def _trickle(self, streamed: bool) -> None:
                self.send_response(200)
                if streamed:
                    self.send_header("Content-Type", "text/event-stream")
                    body = b""
                else:
                    body = json.dumps(completion(fake.text)).encode()
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.flush()
                sent = 0
                while not fake.stopping.is_set():
                    if streamed:
                        piece = f"data: {json.dumps(stream_chunk('word '))}\n\n".encode()
                    elif sent < len(body) - 1:  # the last byte never comes
                        piece, sent = body[sent : sent + 1], sent + 1
                    else:
                        piece = b""
                    try:
                        if piece:
                            self.wfile.write(piece)
                            self.wfile.flush()
                    except OSError:
                        fake._client_left()
                        return
                    if self._gone(fake.trickle_seconds):
                        fake._client_left()
                        return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = {}
                with fake._lock:
                    fake.requests.append({"path": self.path, "body": body, "headers": dict(self.headers)})
                behaviour = fake.next_behaviour()
                if behaviour in ("hang", "timeout"):
                    self._hang()
                    return
                if behaviour == "trickle":
                    self._trickle(bool(body.get("stream")))
                    return
                if behaviour == "slow-headers":
                    self._slow_headers()
                    return
                if behaviour == "drop":
                    self.close_connection = True
                    self.connection.close()
                    return
                if behaviour == "garbage":
                    self._send(200, b"{this is not json at all")
                    return
                if behaviour in ("429", "429-long", "500", "401"):
                    status = behaviour.split("-")[0]
                    error = {"error": {"message": f"fake {status}", "type": "fake", "code": status}}
                    extra = (
                        {"Retry-After": "120" if behaviour == "429-long" else "0"} if status == "429" else {}
                    )
                    self._send(int(status), json.dumps(error).encode(), extra)
                    return
                said = fake.text
                if behaviour == "echo":
                    key = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    said = f"Before we start, for the record my key is {key} and I will repeat it: {key}."
                elif behaviour == "empty":
                    said = ""
                if body.get("stream"):
                    self._stream(said, fake.trickle_seconds if behaviour == "slow-stream" else 0.0)
                    return
                if behaviour in ("echo", "empty"):
                    self._send(200, json.dumps(completion(said)).encode())
                    return
                if body.get("tools") and fake.verdict is not None:
                    name = body["tools"][0]["function"]["name"]
                    reply = completion(None, {"name": name, "arguments": fake.verdict})
                else:
                    reply = completion(fake.text)
                self._send(200, json.dumps(reply).encode())

        return Handler
