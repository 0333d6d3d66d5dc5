"""Scripted, message-aware chat models for tests above the HTTP layer (pydantic-ai's FunctionModel idea).

`ScriptedChatModel` is a real langchain `BaseChatModel`: it supports `invoke`, `stream` and
`with_structured_output` (through `bind_tools`), and records every conversation it was sent.
What it answers comes from a responder function that sees the messages and the bound tools.
`Roleplay` is a responder that plays every task sensibly (in character, quoting the answer when
it judges), so a whole session can run on it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, SystemMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import Field

Reply = AIMessage | str | BaseException
Responder = Callable[[list[BaseMessage], list[dict]], Reply]


class ScriptedChatModel(BaseChatModel):
    responder: Responder
    tools: list[dict] = Field(default_factory=list)
    calls: list[list[BaseMessage]] = Field(default_factory=list)  # shared with bound copies
    model_name: str = "scripted-model"

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(
        self, tools: Sequence[Any], *, tool_choice: Any = None, **kwargs: Any
    ) -> ScriptedChatModel:
        return self.model_copy(update={"tools": [convert_to_openai_tool(t) for t in tools]})

    def _reply(self, messages: list[BaseMessage]) -> AIMessage:
        self.calls.append(list(messages))
        reply = self.responder(list(messages), self.tools)
        if isinstance(reply, BaseException):
            raise reply
        return AIMessage(reply) if isinstance(reply, str) else reply

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._reply(messages))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        message = self._reply(messages)
        text = message.content if isinstance(message.content, str) else ""
        for piece in re.findall(r"\S+\s*", text):
            yield ChatGenerationChunk(message=AIMessageChunk(content=piece))


def in_order(*replies: Reply) -> Responder:
    """Replies in turn; the last one repeats."""
    queue = list(replies)

    def respond(messages: list[BaseMessage], tools: list[dict]) -> Reply:
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return respond


def verdict_message(call_id: str = "call_1", **fields: Any) -> AIMessage:
    """A reply calling the JudgeVerdict tool with these arguments."""
    return AIMessage(
        content="", tool_calls=[{"name": "JudgeVerdict", "args": fields, "id": call_id, "type": "tool_call"}]
    )


def verdict_fields(answer: str, score: int = 4, **overrides: Any) -> dict[str, Any]:
    """A valid verdict that quotes the answer's first and last sentences as evidence."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", answer.strip()) if s.strip()]
    first, last = sentences[0], sentences[-1]
    fields: dict[str, Any] = {
        "reason": "The answer sets the scene and states an outcome, but the candidate's own steps are thin.",
        "situation": {"evidence": [first], "level": "clear"},
        "task": {"evidence": [], "level": "weak"},
        "action": {"evidence": [first], "level": "partial"},
        "result": {"evidence": [last], "level": "partial"},
        "contradictions": [],
        "flags": [],
        "feedback": ["Say which decision was yours and why you made it."],
        "structure": "good",
        "score": score,
    }
    fields.update(overrides)
    return fields


# ---------------------------------------------------------------- a responder that plays every part


def section(text: str, title: str) -> str:
    """The text under an upper-case heading of our prompts, up to the next heading."""
    match = re.search(rf"^{re.escape(title)}[^\n]*\n(.*?)(?=^[A-Z][A-Z ,'-]{{6,}}$|\Z)", text, re.M | re.S)
    return match.group(1).strip() if match else ""


def speaker_name(messages: list[BaseMessage]) -> str:
    system = next((m for m in messages if isinstance(m, SystemMessage)), None)
    found = re.match(r"You are ([^,]+),", str(system.content) if system else "")
    return found.group(1) if found else "the interviewer"


def judged_answer(messages: list[BaseMessage]) -> str:
    human = next(m for m in messages if isinstance(m, HumanMessage))
    found = re.search(r"<<<ANSWER\n(.*)\nANSWER>>>", str(human.content), re.S)
    return found.group(1) if found else ""


class Roleplay:
    """Plays each task the prompt asks for; counts what it was asked to do."""

    def __init__(self, score: int = 4):
        self.score = score
        self.tasks: list[str] = []

    def __call__(self, messages: list[BaseMessage], tools: list[dict]) -> Reply:
        if tools:
            self.tasks.append("judge")
            answer = judged_answer(messages)
            return verdict_message(**verdict_fields(answer, score=self.score))
        human = str(messages[-1].content)
        task = section(human, "YOUR TASK NOW")
        name = speaker_name(messages)
        if task.startswith("Open your part"):
            self.tasks.append("introduce")
            return (
                f"Hello, I'm {name}. I want to hear how you work, and there is time for questions at the end."
            )
        if task.startswith("Ask your next question"):
            self.tasks.append("question")
            ideas = re.findall(r"^- (.+)$", task.split("Already asked today")[0], re.M)
            fallback = "What is a decision you would make differently now?"
            return f"Let me move on. {ideas[0] if ideas else fallback}"
        if task.startswith("Ask one follow-up"):
            self.tasks.append("follow_up")
            return "Stay with that story for a moment: what exactly did you do yourself, and what came of it?"
        if task.startswith("You have asked what you wanted"):
            self.tasks.append("invite_questions")
            return "That covers my side. What would you like to ask me?"
        if task.startswith("The candidate asked you"):
            self.tasks.append("answer_candidate")
            facts = task.split("do not invent numbers, salaries, policies or dates beyond them):")[-1]
            return facts.split("If the question is outside")[0].strip().split("\n")[0]
        if task.startswith("Your time with the candidate is over"):
            self.tasks.append("wrap_up")
            return "Thank you for your time today. The recruiter will be in touch about next steps."
        if task.startswith("Hand the candidate over"):
            self.tasks.append("hand_off")
            return "I'll walk you over to my colleague now."
        self.tasks.append("unknown")
        return json.dumps({"unexpected_task": task[:80]})
