"""What reaches the transcript is the interviewer speaking: no script labels, no praise, no lines
the model wrote for the candidate; and the local server never outlives the app."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from simulator.catalog import ROOT, load_personas
from simulator.engines.fallback import MalformedReply
from simulator.engines.openai_engine import clean_spoken

PERSONA = load_personas()["hiring_manager"]


@pytest.mark.parametrize(
    ("said", "heard"),
    [
        ("The interviewer: Tell me about a time you led a launch.", "Tell me about a time you led a launch."),
        (f"{PERSONA.name} (you): Welcome, glad you could make it.", "Welcome, glad you could make it."),
        (
            "Tell me about the launch. Candidate: I launched it in 2020 and it went well.",
            "Tell me about the launch.",
        ),
        ("Thanks. Q: What was the result?", "Thanks. What was the result?"),
        ("That's a strong example. What happened next?", "What happened next?"),
        (
            "Thanks for sharing that. That is a really good answer. Which part was yours?",
            "Which part was yours?",
        ),
        (
            f"Thanks for coming in. {PERSONA.name} (you): So, tell me about your last launch.",
            "Thanks for coming in. So, tell me about your last launch.",
        ),
        (
            f"Welcome!\n{PERSONA.name.split()[0]}: What brings you here?",
            "Welcome!\nWhat brings you here?",
        ),
        ("Good morning, and welcome.", "Good morning, and welcome."),
        # Stage directions are not said out loud (the first from SmolLM2 in a scripted local round).
        (
            "(I'll be the first to speak)\nYou've been a product manager for about five years.",
            "You've been a product manager for about five years.",
        ),
        ("*smiles* Welcome to Tidewell.", "Welcome to Tidewell."),
        (
            "We moved the launch (it was a Friday) to Monday. Why?",
            "We moved the launch (it was a Friday) to Monday. Why?",
        ),
        (
            "Plan A: ship it on Friday. What would you have done?",
            "Plan A: ship it on Friday. What would you have done?",
        ),
    ],
)
def test_role_play_labels_and_praise_never_reach_the_transcript(said: str, heard: str) -> None:
    assert clean_spoken(said, PERSONA) == heard


def test_a_prompt_note_read_back_is_retried_not_kept() -> None:
    with pytest.raises(MalformedReply, match="instructions"):
        clean_spoken("Hello! (you have not spoken yet) Tell me about yourself.", PERSONA)


def test_a_line_spoken_as_the_candidate_is_retried_not_kept() -> None:
    with pytest.raises(MalformedReply, match="as the candidate"):
        clean_spoken("Candidate: I led the project and we shipped it.", PERSONA)


# Recorded from SmolLM2 (tests/cassettes/llm_session.yaml before this was caught), and kin.
TASK_TALK = (
    "This is a skill question that requires you to ask the candidate about their experience of telling "
    "someone they're not good enough.\n\nThe answer will be in your notes, and it's going to be a skills "
    "question. You'll need to choose one from the list of questions:\n\n1. Product wants to test a new "
    "onboarding flow and expects a two percent lift. How would you design that experiment?"
)


@pytest.mark.parametrize(
    "said",
    [
        TASK_TALK,
        "The candidate is a data analyst at Fernhollow Transit, and they're looking to improve their fares.",
        "My task is to ask you about a time you disagreed with a manager. So, tell me about one.",
        "I'll pick one from the questions list: how do you test a dashboard before it ships?",
        "Following the instructions, I will now greet you. Welcome to Fernhollow Transit.",
        "The answer to the question will be in your transcript, and it's not just any data analyst.",
        "You've been asked to answer a question about what makes a data analyst proud of their work.",
        # From SmolLM2 in a scripted local round: it then reached the hand-off note as the topic.
        "Your first question:\n- What do you love most about working with us?",
    ],
)
def test_a_model_describing_its_task_is_retried_not_kept(said: str) -> None:
    with pytest.raises(MalformedReply, match="described its task instead of speaking to the candidate"):
        clean_spoken(said, PERSONA)


@pytest.mark.parametrize(
    "said",
    [
        "Your task is to design an experiment for a two percent lift. Where would you start?",
        "Tell me about the task you were given on that project, and what you did first.",
        "I see from my notes that you built a ridership dashboard. Which part of it was yours?",
        "For this exercise my role is to play a depot manager who does not trust the numbers.",
        "A strong candidate for this role asks good questions. What would you like to know?",
        "What would you put on the list of priorities for your first month?",
        "Here is the next question: what broke, and who noticed first?",
        "My next question is about pipelines: how do you test them?",
    ],
)
def test_an_interviewer_speaking_of_tasks_and_notes_is_kept(said: str) -> None:
    assert clean_spoken(said, PERSONA) == said


CHILD = textwrap.dedent(
    """
    import signal, sys, time
    from pathlib import Path
    from simulator.engines.local import LocalServer

    # As from a terminal: a run started under nohup would hand this app SIGHUP ignored, and the
    # server is then stopped but the app, rightly, goes on.
    signal.signal(signal.SIGHUP, signal.SIG_DFL)

    class Fake(LocalServer):
        def command(self):  # a stand-in for llama_cpp.server: answers /v1/models like it
            return [sys.executable, "-c", (
                "import http.server, json, sys\\n"
                "class H(http.server.BaseHTTPRequestHandler):\\n"
                "    def do_GET(self):\\n"
                "        body = json.dumps({'data': [{'id': 'm'}]}).encode()\\n"
                "        self.send_response(200); self.end_headers(); self.wfile.write(body)\\n"
                "    def log_message(self, *a): pass\\n"
                "http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()\\n"
            ), str(self.port)]

    server = Fake(Path("model.gguf")).launch()
    print(server.process.pid, flush=True)
    time.sleep(120)
    """
)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie has exited
        return stat.read().split()[2] != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
@pytest.mark.parametrize("sent", [signal.SIGTERM, signal.SIGHUP])
def test_the_local_server_stops_when_the_app_is_told_to_end(sent: signal.Signals) -> None:
    app = subprocess.Popen([sys.executable, "-c", CHILD], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert app.stdout is not None
        server_pid = int(app.stdout.readline())
        assert alive(server_pid)
        app.send_signal(sent)
        assert app.wait(timeout=30) == -sent  # it still ends as that signal says
        for _ in range(100):
            if not alive(server_pid):
                break
            time.sleep(0.1)
        assert not alive(server_pid), "the llama.cpp server outlived the app"
    finally:
        app.kill()


def test_the_local_server_uses_every_core_and_a_context_for_the_judge() -> None:
    from simulator.engines.local import CONTEXT_TOKENS, LocalServer
    from simulator.engines.settings import EngineSettings

    command = LocalServer(Path("m.gguf"), port=1).command()
    assert command[command.index("--n_threads") + 1] == str(os.cpu_count())
    judge = EngineSettings(context_tokens=CONTEXT_TOKENS)
    assert judge.prompt_budget(judge.judge_output_tokens, judge.judge_budget) == judge.judge_budget
