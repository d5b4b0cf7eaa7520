"""Follow-up questions ("og hvad hvis borgeren dør?") rewritten into standalone questions, because
retrieval and the calculators see one question at a time.

Without a chat model the rewrite is rule-based: a short question that starts like a follow-up or
leans on a pronoun is joined to the previous (standalone) question, whose period or date is dropped
when the follow-up names its own. With a model, the model rewrites and the rules are the fallback.
"""

from __future__ import annotations

import logging
import queue
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.answering.llm.guardrails import unverified_numbers
from core.parsing import find_dates

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

log = logging.getLogger(__name__)

MAX_HISTORY = 6
MAX_REWRITE_CHARS = 500

_MARKER = re.compile(
    r"^(?:og|men|samt|hvad så hvis|hvad hvis|hvad med|hvad nu hvis|hvis nu|også|what if|and|but|what "
    r"about|how about)\b[\s,]*",
    re.IGNORECASE,
)
_PRONOUN = re.compile(
    r"\b(?:den|det|dem|denne|dette|disse|dens|dets|deres|han|hun|ham|hende|it|they|them|that|this|those|these)\b",
    re.IGNORECASE,
)
_SHORT_LEAD = re.compile(r"^(?:i|for|ved|under|efter|in|at|during|after)\b", re.IGNORECASE)
_PERIOD_MENTION = re.compile(
    r"(?:\s+(?:i|for|in|fra)\s+(?:(?:aftale)?perioden\s+|år(?:et)?\s+)?)?"
    r"(?<!\d)(?:19|20)\d\d(?:\s*[-–/]\s*(?:(?:19|20)\d\d|\d\d))?(?!\d)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Rewrite:
    """The question to answer, and how it came about ("uændret", "regel" or "model")."""

    question: str
    original: str
    method: str = "uændret"

    @property
    def changed(self) -> bool:
        return self.question != self.original

    def note(self) -> str | None:
        """The visible note, so the user can see (and correct) how a follow-up was read."""
        return f"Opfølgende spørgsmål tolket som: »{self.question}«" if self.changed else None


def is_followup(question: str) -> bool:
    """Whether a question probably leans on the previous one (rules, so cheap and predictable)."""
    words = question.split()
    if _MARKER.match(question.strip()):
        return True
    return (
        len(words) <= 6
        and bool(_PRONOUN.search(question))
        or len(words) <= 4
        and bool(_SHORT_LEAD.match(question))
    )


def rewrite_by_rules(question: str, history: Sequence[str]) -> str:
    """``question`` as a standalone question: joined to the previous standalone question if it is a
    follow-up. Earlier follow-ups are resolved first, so a chain of them keeps its topic."""
    history = list(history)[-MAX_HISTORY:]
    if not history or not is_followup(question):
        return question
    previous = rewrite_by_rules(history[-1], history[:-1])
    return merge(previous, question)


def merge(previous: str, followup: str) -> str:
    """Previous question + follow-up; the follow-up's own period or date replaces the previous one."""
    core = _MARKER.sub("", followup.strip()) or followup.strip()
    new_dates = find_dates(core)
    if new_dates:
        for old in find_dates(previous):
            previous = previous.replace(old.raw, new_dates[0].raw)
    elif _PERIOD_MENTION.search(core):
        previous = _PERIOD_MENTION.sub("", previous)
    return f"{previous.strip().rstrip('?!. ')} – {core[:1].lower()}{core[1:]}"


def rewrite_followup(
    question: str, history: Sequence[str], model: BaseChatModel | None = None, timeout_s: float = 10.0
) -> Rewrite:
    """Rewrite by the model when there is one (falling back to the rules), else by the rules."""
    history = [h for h in history if h.strip()][-MAX_HISTORY:]
    if not history:
        return Rewrite(question, question)
    if model is not None:
        rewritten = _rewrite_with_model(model, question, history, timeout_s)
        if rewritten is not None:
            return Rewrite(rewritten, question, "model")
    by_rules = rewrite_by_rules(question, history)
    return Rewrite(by_rules, question, "regel" if by_rules != question else "uændret")


def _rewrite_with_model(
    model: BaseChatModel, question: str, history: list[str], timeout_s: float
) -> str | None:
    """The model's rewrite, or None when it fails, is slow, rambles or adds numbers of its own."""
    from assistant.answering.llm.prompting import (
        build_rewrite_messages,
    )  # only a configured model needs the framework

    try:
        reply = call_with_timeout(lambda: model.invoke(build_rewrite_messages(question, history)), timeout_s)
    except Exception as exc:  # noqa: BLE001 - any failure means: use the rules
        log.warning("follow-up rewrite by model failed: %s", type(exc).__name__)
        return None
    text = " ".join(reply.text.split()).strip("\"'»«“” ")
    if not text or len(text) > MAX_REWRITE_CHARS or unverified_numbers(text, [question, *history]):
        log.warning("follow-up rewrite by model rejected")
        return None
    return text


def call_with_timeout(work: Callable, timeout_s: float):
    """``work()`` in a daemon thread; TimeoutError when it takes longer than ``timeout_s``.
    A daemon thread, because a hung HTTP call cannot be cancelled and must not block exit."""
    result: queue.Queue = queue.Queue(maxsize=1)

    def target() -> None:
        try:
            result.put((True, work()))
        except BaseException as exc:  # noqa: BLE001 - relayed to the caller
            result.put((False, exc))

    threading.Thread(target=target, name="llm-call", daemon=True).start()
    try:
        ok, value = result.get(timeout=timeout_s)
    except queue.Empty:
        raise TimeoutError(f"no reply within {timeout_s:g} s") from None
    if not ok:
        raise value
    return value
