"""A misbehaving OpenAI-compatible server on 127.0.0.1, for fault tests.

Each request takes the next behaviour from a script (the last one repeats):
  "ok"        a normal chat completion with `text` (or a JudgeVerdict tool call when tools were sent)
  "timeout"   accepts the request and never answers (until the server stops)
  "429"       rate limited, with `Retry-After: 0`
  "500"       a server error
  "401"       wrong key
  "garbage"   HTTP 200 with a body that is not JSON
  "empty"     HTTP 200, a completion whose message content is empty
  "drop"      closes the connection without a response
Every request is kept (path, parsed body, headers) so a test can see what was sent.
"""

from __future__ import annotations

import json
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


class FakeOpenAIServer:
    def __init__(self, *script: str, text: str = DEFAULT_TEXT, verdict: dict[str, Any] | None = None):
        self.script = list(script) or ["ok"]
        self.text = text
        self.verdict = verdict
        self.requests: list[dict[str, Any]] = []
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
                if behaviour == "timeout":
                    fake.stopping.wait(30)
                    return
                if behaviour == "drop":
                    self.close_connection = True
                    self.connection.close()
                    return
                if behaviour == "garbage":
                    self._send(200, b"{this is not json at all")
                    return
                if behaviour in ("429", "500", "401"):
                    error = {"error": {"message": f"fake {behaviour}", "type": "fake", "code": behaviour}}
                    extra = {"Retry-After": "0"} if behaviour == "429" else {}
                    self._send(int(behaviour), json.dumps(error).encode(), extra)
                    return
                if behaviour == "empty":
                    self._send(200, json.dumps(completion("")).encode())
                    return
                if body.get("tools") and fake.verdict is not None:
                    name = body["tools"][0]["function"]["name"]
                    reply = completion(None, {"name": name, "arguments": fake.verdict})
                else:
                    reply = completion(fake.text)
                self._send(200, json.dumps(reply).encode())

        return Handler
