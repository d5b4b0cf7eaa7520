"""Generative answers: the chat model writes, the guardrails decide whether it is shown.

The model gets the retrieved passages as numbered sources and the calculators plus a retrieval tool
(``bind_tools``); a bounded loop runs its tool calls. A hand-written loop instead of ``create_agent``
because we must see every tool result (to number calculator clauses as sources and to know which
numbers a calculator produced) and stream tokens while enforcing one deadline over the whole run.

Whatever goes wrong – invalid or missing citations, a number from nowhere, a timeout, an unreachable
endpoint, too many tool rounds – the user gets the extractive answer with a visible Danish note.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field, replace

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, ToolCall, ToolMessage
from langchain_core.tools import BaseTool, tool

from assistant.answering.llm.guardrails import check_answer, unverified_numbers
from assistant.answering.llm.prompting import Source, build_messages, format_sources
from assistant.answering.stream import AnswerStream
from core.periods import PeriodCalendar
from core.privacy import mask_personal_data
from core.records import Answer, Citation, Hit

log = logging.getLogger(__name__)

GENERATIVE = "generativ"
FALLBACK = "extraktiv (fallback)"
RETRIEVAL_TOOL = "search_agreements"

SearchFn = Callable[[str, str | None], list[Hit]]
FallbackFn = Callable[[str, str | None], Answer]


@dataclass(frozen=True)
class GenerativeOptions:
    """Bounds on one generative answer."""

    timeout_s: float = 30.0  # whole run: all model turns and tool calls
    max_steps: int = 4  # model turns, tool rounds included
    max_sources: int = 12  # retrieval-tool passages beyond this are not added
    calendar: PeriodCalendar = PeriodCalendar(())  # the known periods (the rules' calendar)


class GenerationFailed(Exception):
    """The generated answer cannot be shown; ``str(exc)`` is the Danish reason for the note."""


def fallback_note(reason: str) -> str:
    return (
        f"Sprogmodellens svar kunne ikke bruges ({reason}), så her er det ekstraktive svar: citater "
        f"direkte fra dokumenterne."
    )


@dataclass
class _Run:
    """Mutable state of one question's run: every source shown and every calculator result, so
    the guardrails can check the final text against exactly what the model was given."""

    question: str
    period: str | None
    evidence: list[str]  # user-supplied text: question (and earlier questions)
    sources: list[Source] = field(default_factory=list)
    tool_name: str | None = None
    tool_result: dict | None = None

    def add_hits(self, hits: Sequence[Hit], limit: int) -> list[Source]:
        added = []
        for hit in hits:
            if len(self.sources) >= limit or any(s.citation.quote == hit.chunk.text for s in self.sources):
                continue
            c = hit.chunk
            citation = Citation(
                len(self.sources) + 1, c.document, c.title, c.period, c.section, c.page, c.text, c.ocr
            )
            added.append(Source(citation.n, citation, c.text))
            self.sources.append(added[-1])
        return added

    def add_calculation(self, name: str, args: dict, result: dict) -> dict:
        """Record a calculator result; its clauses become numbered sources the model can cite."""
        # Zero is a default ("no rent"), not a claim; any other input must come from the user or a source.
        known = self.evidence + [s.text for s in self.sources] + ["0"]
        unsure = unverified_numbers(json.dumps(args, ensure_ascii=False), known)
        if unsure:
            raise GenerationFailed(
                f"beregningen {name} fik tallet {unsure[0]}, som ikke står i spørgsmålet eller kilderne"
            )
        renumbered = []
        for item in result.get("citations", []):
            citation = Citation(**{**item, "n": len(self.sources) + 1})
            self.sources.append(Source(citation.n, citation, citation.quote))
            renumbered.append(citation.to_dict())
        result = {**result, "citations": renumbered} if renumbered else result
        if "error" not in result and self.tool_name is None:
            self.tool_name, self.tool_result = name, result
        self.evidence.append(json.dumps(result, ensure_ascii=False))
        return result


class GenerativeAnswerer:
    """Answers with a chat model under guardrails, falling back to ``fallback`` on any failure."""

    def __init__(
        self,
        model: BaseChatModel,
        search: SearchFn,
        tools: Sequence[BaseTool],
        fallback: FallbackFn,
        options: GenerativeOptions | None = None,
    ):
        self.model = model
        self.search = search
        self.tools = list(tools)
        self.fallback = fallback
        self.options = options or GenerativeOptions()

    def answer(self, question: str, period: str | None = None, context: Sequence[str] = ()) -> Answer:
        """The validated generative answer, or the extractive one with a note saying why."""
        stream = self.stream(question, period, context)
        for _ in stream:
            pass
        return stream.answer

    def stream(self, question: str, period: str | None = None, context: Sequence[str] = ()) -> AnswerStream:
        """Text chunks as the model writes them; ``.answer`` holds the validated Answer afterwards."""
        return AnswerStream(self._chunks(question, period, tuple(context)))

    def _chunks(self, question: str, period: str | None, context: tuple[str, ...]) -> Iterator[str | Answer]:
        started = time.monotonic()
        try:
            # The period catalogue is evidence too: "i 2024" legitimately becomes "periode 2023-24".
            calendar = self.options.calendar
            run = _Run(
                question, period or calendar.detect(question), [question, *context, " ".join(calendar)]
            )
            run.add_hits(self.search(question, run.period), self.options.max_sources)
            text = yield from self._deadline(lambda emit, stop: self._generate(run, emit, stop))
            yield self._validated(run, text)
        except GenerationFailed as exc:
            # The reason may quote model output built from the question: mask personal data.
            log.warning("generative answer rejected: %s", mask_personal_data(str(exc)))
            yield self._fallback(question, period, str(exc))
        except Exception as exc:  # noqa: BLE001 - any model or network failure must fall back
            log.warning("generative answer failed: %s", type(exc).__name__)
            yield self._fallback(question, period, _describe(exc))
        log.info("generative run took %.0f ms", 1000 * (time.monotonic() - started))

    def _deadline(self, work: Callable) -> Generator[str, None, str]:
        """Run ``work`` in a daemon thread, relaying its text chunks, until it ends or time runs out.
        A daemon thread, because a hung HTTP call cannot be cancelled and must not block exit."""
        chunks: queue.Queue = queue.Queue()
        stop = threading.Event()
        deadline = time.monotonic() + self.options.timeout_s

        def target() -> None:
            try:
                chunks.put(("done", work(lambda text: chunks.put(("text", text)), stop)))
            except BaseException as exc:  # noqa: BLE001 - relayed to the consumer
                chunks.put(("error", exc))

        threading.Thread(target=target, name="llm-answer", daemon=True).start()
        while True:
            try:
                kind, value = chunks.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty as exc:
                stop.set()
                raise GenerationFailed(
                    f"sprogmodellen svarede ikke inden for {self.options.timeout_s:g} sekunder"
                ) from exc
            if kind == "text":
                yield value
            elif kind == "error":
                raise value
            else:
                return value

    def _generate(self, run: _Run, emit: Callable[[str], None], stop: threading.Event) -> str:
        """The bounded tool loop; returns the model's final text."""
        tools = [*self.tools, _retrieval_tool(run, self.search, self.options.max_sources)]
        by_name = {t.name: t for t in tools}
        bound = self.model.bind_tools(tools)
        messages: list[BaseMessage] = build_messages(run.question, run.sources)
        for _ in range(self.options.max_steps):
            reply = _stream_reply(bound, messages, emit, stop)
            messages.append(reply)
            if not reply.tool_calls:
                return reply.text
            for call in reply.tool_calls:
                messages.append(
                    ToolMessage(_call_tool(run, by_name, call), tool_call_id=call.get("id") or call["name"])
                )
        raise GenerationFailed(f"sprogmodellen nåede ikke et svar på {self.options.max_steps} trin")

    def _validated(self, run: _Run, text: str) -> Answer:
        evidence = run.evidence + [s.text for s in run.sources]
        verdict = check_answer(text, {s.n for s in run.sources}, evidence)
        if not verdict.ok:
            raise GenerationFailed("; ".join(verdict.reasons))
        citations = tuple(s.citation for s in run.sources if s.n in verdict.cited)
        return Answer(
            run.question,
            text.strip(),
            False,
            run.period,
            citations,
            tool=run.tool_name,
            mode=GENERATIVE,
            tool_result=run.tool_result,
        )

    def _fallback(self, question: str, period: str | None, reason: str) -> Answer:
        answer = self.fallback(question, period)
        return replace(answer, mode=FALLBACK, notes=(*answer.notes, fallback_note(reason)))


def _stream_reply(
    bound, messages: list[BaseMessage], emit: Callable[[str], None], stop: threading.Event
) -> AIMessage:
    """One model turn, streamed; chunks merge into the full reply with its tool calls."""
    merged = None
    for chunk in bound.stream(messages):
        if stop.is_set():
            raise GenerationFailed("afbrudt efter tidsgrænsen")
        if chunk.text:
            emit(chunk.text)
        merged = chunk if merged is None else merged + chunk
    if merged is None:
        raise GenerationFailed("sprogmodellen svarede tomt")
    return AIMessage(content=merged.content, tool_calls=merged.tool_calls, id=merged.id)


def _call_tool(run: _Run, by_name: dict[str, BaseTool], call: ToolCall) -> str:
    """Run one tool call; unknown tools and bad arguments go back to the model as errors."""
    chosen = by_name.get(call["name"])
    if chosen is None:
        return json.dumps({"error": f"Ukendt værktøj {call['name']!r}."}, ensure_ascii=False)
    try:
        result = chosen.invoke(call["args"])
    except Exception as exc:  # noqa: BLE001 - a bad argument is the model's to fix
        return json.dumps({"error": f"Værktøjet fejlede: {type(exc).__name__}"}, ensure_ascii=False)
    if call["name"] == RETRIEVAL_TOOL:
        return str(result)
    return json.dumps(run.add_calculation(call["name"], call["args"], result), ensure_ascii=False)


def _retrieval_tool(run: _Run, search: SearchFn, limit: int) -> BaseTool:
    """A per-run retrieval tool: its passages join the run's numbered sources."""

    @tool(RETRIEVAL_TOOL)
    def search_agreements(query: str, period: str | None = None) -> str:
        """Søg i rammeaftalerne og styringsaftalerne efter flere passager.

        Args:
            query: Hvad der skal søges efter, fx "opsigelsesvarsel ved dødsfald".
            period: Aftaleperiode, fx "2023-24"; udelades for alle perioder.
        """
        added = run.add_hits(search(query, period), limit)
        return format_sources(added) if added else "Ingen nye passager fundet."

    return search_agreements


def _describe(exc: BaseException) -> str:
    """A Danish reason without the exception's message (it may carry the endpoint URL)."""
    name = type(exc).__name__
    if isinstance(exc, (ConnectionError, OSError)) or "Connect" in name or "Connection" in name:
        return "forbindelsen til sprogmodellen fejlede"
    if "Timeout" in name:
        return "sprogmodellen svarede ikke i tide"
    return f"sprogmodellen gav en fejl ({name})"
