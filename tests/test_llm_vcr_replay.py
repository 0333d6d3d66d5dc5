"""A cassette that no longer matches fails with a message naming the request that changed."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
import vcr
from fake_openai_server import FakeOpenAIServer
from llm_vcr import check_replayed


def post(url: str, said: str) -> None:
    body = json.dumps({"model": "m", "messages": [{"role": "user", "content": said}]}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()


def test_a_changed_request_is_named(tmp_path: Path) -> None:
    with FakeOpenAIServer("ok") as server:
        url = f"{server.base_url}/chat/completions"
        recorder = vcr.VCR(cassette_library_dir=str(tmp_path), match_on=("method", "path", "body"))
        with recorder.use_cassette("c.yaml", record_mode="all"):
            post(url, "Introduce yourself to the candidate.")
            post(url, "Ask the first question about pipelines.")
        with recorder.use_cassette("c.yaml", record_mode="none") as replayed:
            post(url, "Introduce yourself to the candidate.")
            with pytest.raises(Exception):  # noqa: B017 - vcrpy's own "no match" error
                post(url, "Ask the first question about dashboards.")
    with pytest.raises(AssertionError) as failed:
        check_replayed(replayed, record=False)
    message = str(failed.value)
    assert "1 of 2 recorded requests were not made again" in message
    assert (
        "#1 (POST /v1/chat/completions)" in message and "Ask the first question about pipelines." in message
    )
    assert "make record" in message
