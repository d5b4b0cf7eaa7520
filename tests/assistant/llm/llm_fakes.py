"""A scripted chat model for the LLM tests: deterministic replies (text, citations, tool calls),
streamed like a real model, with every prompt it received kept in ``history``. It runs the real
bind_tools/stream code paths of langchain_core, so no network is needed anywhere."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field

from core.records import Chunk, Hit


class ScriptedChatModel(GenericFakeChatModel):
    """GenericFakeChatModel that accepts tools, streams tool calls and can be slow."""

    history: list[list[BaseMessage]] = Field(default_factory=list)
    bound_tools: list[str] = Field(default_factory=list)
    delay_s: float = 0.0

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any):  # type: ignore[override]
        self.bound_tools = [getattr(t, "name", str(t)) for t in tools]
        return self

    def _next(self, messages: list[BaseMessage]) -> AIMessage:
        self.history.append(list(messages))
        time.sleep(self.delay_s)
        message = next(self.messages)
        return AIMessage(content=message) if isinstance(message, str) else message

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._next(messages))])

    def _stream(self, messages, stop=None, run_manager=None, **kwargs) -> Iterator[ChatGenerationChunk]:
        message = self._next(messages)
        for token in re.split(r"(\s)", str(message.content)):
            if token:
                yield ChatGenerationChunk(message=AIMessageChunk(content=token))
        if message.tool_calls:
            chunks = [
                {
                    "name": c["name"],
                    "args": json.dumps(c["args"]),
                    "id": c["id"],
                    "index": i,
                    "type": "tool_call_chunk",
                }
                for i, c in enumerate(message.tool_calls)
            ]
            yield ChatGenerationChunk(message=AIMessageChunk(content="", tool_call_chunks=chunks))


def tool_call(name: str, args: dict, call_id: str = "call-1") -> AIMessage:
    """A scripted reply that calls one tool."""
    return AIMessage(
        content="", tool_calls=[{"name": name, "args": args, "id": call_id, "type": "tool_call"}]
    )


def make_hit(
    text: str, n: int = 0, period: str | None = "2023-24", section: str = "13.4 Opsigelsesvarsel"
) -> Hit:
    chunk = Chunk(
        f"c{n}", text, f"doc{n}.txt", f"Rammeaftale {period}", period, "rammeaftale", section, 10 + n, n, "h"
    )
    return Hit(chunk, 1.0 / (n + 1))
