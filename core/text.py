"""Sentence splitting shared by ingest (chunk packing) and the assistant (quote selection)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations after which a full stop does not end a Danish sentence.
_ABBREVIATIONS = frozenset(
    "ca bl.a jf pct nr kr mio mia f.eks dvs inkl ekskl evt mv m.v. m.fl osv hhv bek stk "
    "ff iflg vedr tlf att jan feb mar apr aug sep sept okt nov dec gl st dok".split()
)
_BOUNDARY = re.compile(r"(?<=[.!?])[\"”)]?[ \t]+(?=[\"“(•]?[A-ZÆØÅ0-9•])|\s*\n\s*")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offset in the text it was split from


def split_sentences(text: str) -> list[Sentence]:
    """Split on sentence ends and line breaks, not after abbreviations or list markers like '1.'.

    Callers keep a line break only where a paragraph or bullet item really ends."""
    sentences: list[Sentence] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if "\n" not in match.group() and _ends_with_abbreviation(text[start : match.start()]):
            continue
        _append(sentences, text, start, match.start())
        start = match.end()
    _append(sentences, text, start, len(text))
    return sentences


def _ends_with_abbreviation(fragment: str) -> bool:
    words = fragment.rstrip('.!?"”) ').split()
    if not words:
        return True
    last = words[-1].lower().strip('("“')
    if last in _ABBREVIATIONS or last.rstrip(".") in _ABBREVIATIONS:
        return True
    # A lone number or single letter before the dot is an ordinal or list marker ("1.", "a.").
    return len(words) == 1 and bool(re.fullmatch(r"\d{1,2}|[a-zæøå]", last))


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        sentences.append(Sentence(stripped, start + (len(chunk) - len(chunk.lstrip()))))
