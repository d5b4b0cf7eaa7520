"""The reply to one question as a stream of text chunks followed by the final Answer. Kept apart
from the chat-model code so that the extractive default, which answers in one chunk, never imports
a language-model framework (a cold ``rammeaftale ask`` stays fast)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from core.records import Answer


class AnswerStream:
    """An iterable of text chunks for ``st.write_stream``; after it is exhausted, ``answer`` is the
    final validated Answer (possibly the extractive fallback, whose text differs from the stream)."""

    def __init__(self, chunks: Iterator[str | Answer]):
        self._chunks = chunks
        self._answer: Answer | None = None

    @classmethod
    def completed(cls, answer: Answer) -> AnswerStream:
        """A stream for an answer that is already known (extractive or calculator): one chunk."""
        return cls(iter([answer.answer, answer]))

    def with_notes(self, notes: tuple[str, ...]) -> AnswerStream:
        """The same stream whose final answer starts with ``notes`` (e.g. how a follow-up was read)."""
        if not notes:
            return self

        def noted() -> Iterator[str | Answer]:
            for item in self._chunks:
                yield replace(item, notes=(*notes, *item.notes)) if isinstance(item, Answer) else item

        return AnswerStream(noted())

    def on_answer(self, callback: Callable[[Answer], None]) -> AnswerStream:
        """The same stream, calling ``callback`` with the final answer when it arrives."""

        def observed() -> Iterator[str | Answer]:
            for item in self._chunks:
                if isinstance(item, Answer):
                    callback(item)
                yield item

        return AnswerStream(observed())

    def __iter__(self) -> Iterator[str]:
        for item in self._chunks:
            if isinstance(item, Answer):
                self._answer = item
            else:
                yield item

    @property
    def answer(self) -> Answer:
        if self._answer is None:
            for _ in self:  # the caller stopped early: finish so the answer exists
                pass
        if self._answer is None:
            raise RuntimeError("the answer stream ended without an answer")
        return self._answer
