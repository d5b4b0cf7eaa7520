"""BM25 over Danish index terms, held in memory and rebuilt from the Chroma collection whenever
the document registry changes (so every replica sees what any replica ingested)."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.understanding.danish import Analyzer, stem, tokenize
from core.records import Chunk

_YEAR = re.compile(r"(19|20)\d\d")
K1 = 1.2
B = 0.75
SECTION_WEIGHT = 2  # a heading says what its passage is about; count its terms twice
# A word the corpus never uses: a long one names a concept the documents lack ("handicapbil");
# a short one is more likely an everyday word ("besat", "regne", "lang").
SPECIFIC_UNKNOWN_WEIGHT = 1.5
PLAIN_UNKNOWN_WEIGHT = 0.5
SPECIFIC_LENGTH = 7


@dataclass(frozen=True)
class LexicalMatch:
    index: int  # position in LexicalIndex.chunks
    score: float


class LexicalIndex:
    """An inverted index with numpy postings; scoring a query touches only its terms' postings."""

    def __init__(self, chunks: Sequence[Chunk], analyzer: Analyzer | None = None):
        self.chunks = list(chunks)
        self.analyzer = analyzer or Analyzer(vocabulary_of(self.chunks))
        postings: dict[str, dict[int, int]] = defaultdict(dict)
        lengths = np.zeros(len(self.chunks), dtype=np.float32)
        self.term_sets: list[frozenset[str]] = []
        for i, chunk in enumerate(self.chunks):
            counts = Counter(self.analyzer.terms(chunk.text))
            for term in self.analyzer.terms(chunk.section):
                counts[term] += SECTION_WEIGHT
            self.term_sets.append(frozenset(counts))
            lengths[i] = sum(counts.values())
            for term, tf in counts.items():
                postings[term][i] = tf
        self.lengths = lengths
        self.avg_length = float(lengths.mean()) if len(lengths) else 1.0
        n = max(1, len(self.chunks))
        self.max_idf = math.log(1 + (n + 0.5) / 0.5)
        self.idf: dict[str, float] = {}
        self.postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, docs in postings.items():
            self.idf[term] = math.log(1 + (n - len(docs) + 0.5) / (len(docs) + 0.5))
            self.postings[term] = (
                np.fromiter(docs.keys(), dtype=np.int32, count=len(docs)),
                np.fromiter(docs.values(), dtype=np.float32, count=len(docs)),
            )
        self.periods = np.array([chunk.period or "" for chunk in self.chunks], dtype=object)
        self._position = {chunk.id: i for i, chunk in enumerate(self.chunks)}

    def following(self, chunk: Chunk) -> Chunk | None:
        """The next passage of the same document and section (chunks are kept in document
        order), so a quote that runs over a chunk edge can be completed."""
        position = self._position.get(chunk.id)
        if position is None or position + 1 >= len(self.chunks):
            return None
        after = self.chunks[position + 1]
        return after if after.document == chunk.document and after.section == chunk.section else None

    def query_terms(self, text: str) -> list[str]:
        """Distinct query terms that the index knows."""
        return [term for term in dict.fromkeys(self.analyzer.terms(text)) if term in self.postings]

    def known_share(self, text: str) -> float:
        """Share of the text's content words the corpus uses (by stem, compound parts or joined
        pairs). Low for a question in another language or in words the documents never use, where
        word overlap says little and meaning (the dense similarity) has to carry the pick."""
        words = self.analyzer.content_words(text)
        return sum(bool(self.query_terms(word)) for word in words) / len(words) if words else 1.0

    def search(self, text: str, k: int, period: str | None = None) -> list[LexicalMatch]:
        terms = self.query_terms(text)
        if not terms or not self.chunks:
            return []
        scores = np.zeros(len(self.chunks), dtype=np.float32)
        norm = K1 * (1 - B + B * self.lengths / self.avg_length)
        for term in terms:
            docs, tfs = self.postings[term]
            idf = self.idf[term]
            scores[docs] += idf * tfs * (K1 + 1) / (tfs + norm[docs])
        if period:
            scores[self.periods != period] = 0.0
        return [LexicalMatch(i, float(scores[i])) for i in _top_indices(scores, k)]

    def coverage(
        self, question: str, terms: frozenset[str], alternatives: Mapping[str, frozenset[str]] | None = None
    ) -> float:
        """idf-weighted share of the question's content words found among ``terms`` (0..1).

        A compound counts as found when its own stem or all of its parts are, and any word when
        one of its ``alternatives`` (synonyms, translations, typo fixes) is; a word the corpus
        never uses weighs more than the rarest word, so off-topic questions score low."""
        return coverage(self.question_words(question, alternatives), terms)

    def question_words(
        self, question: str, alternatives: Mapping[str, frozenset[str]] | None = None
    ) -> tuple[WordEvidence, ...]:
        """The question's content words, each with its weight and what counts as finding it: read
        once per question, then matched against every sentence's terms by :func:`coverage`."""
        alternatives = alternatives or {}
        by_stem = {stem(word): word for word in reversed(self.analyzer.content_words(question))}
        words = []
        for word in reversed(by_stem.values()):  # one vote per stem: "beløb … beløbet" is one word
            if _YEAR.fullmatch(word) or (word.isdigit() and len(word) <= 2):
                continue  # years ("2023-24") select the period; they say nothing about the topic
            words.append(self._word_evidence(word, alternatives.get(word, frozenset())))
        return tuple(words)

    def _known_inflection(self, stem_: str) -> str:
        """A short stem the stemmer left unmatched ("ny" beside the corpus' "nye"/"nyt") counts as
        the corpus form it inflects to, so an everyday adjective does not weigh as an unknown concept."""
        if stem_ in self.idf or len(stem_) > 4:
            return stem_
        return next((stem_ + ending for ending in _INFLECTIONS if stem_ + ending in self.idf), stem_)

    def _word_evidence(self, word: str, alternatives: frozenset[str]) -> WordEvidence:
        stem_ = self._known_inflection(stem(word))
        parts = tuple(self.analyzer.compound_parts(word))
        if stem_ in self.idf:
            weight = self.idf[stem_]
        elif parts:
            weight = max(self.idf.get(part, self.max_idf) for part in parts)
        elif known := [self.idf[t] for t in alternatives if t in self.idf]:
            weight = max(known)
        else:
            weight = _unknown_weight(word) * self.max_idf
        return WordEvidence(weight, stem_, parts, alternatives)


@dataclass(frozen=True)
class WordEvidence:
    """One question word: its weight, and the index terms that count as finding it."""

    weight: float
    stem: str
    parts: tuple[str, ...]  # a compound's known parts: found when all of them are
    alternatives: frozenset[str]  # synonyms, translations, typo fixes

    def found_in(self, terms: frozenset[str]) -> bool:
        return (
            self.stem in terms
            or (bool(self.parts) and all(p in terms for p in self.parts))
            or bool(self.alternatives & terms)
        )


def coverage(words: Sequence[WordEvidence], terms: frozenset[str]) -> float:
    """idf-weighted share of ``words`` found among ``terms`` (0..1); see LexicalIndex.coverage."""
    total = found = 0.0
    for word in words:
        total += word.weight
        found += word.weight if word.found_in(terms) else 0.0
    return found / total if total else 0.0


_INFLECTIONS = ("e", "t", "en", "er", "et", "ne")


def _unknown_weight(word: str) -> float:
    # Acronyms ("BPA", "VAT") are judged on the question's own casing (query.unknown_acronyms).
    return SPECIFIC_UNKNOWN_WEIGHT if len(word) >= SPECIFIC_LENGTH else PLAIN_UNKNOWN_WEIGHT


def _top_indices(scores: np.ndarray, k: int) -> list[int]:
    positive = np.flatnonzero(scores > 0)
    if len(positive) == 0:
        return []
    if len(positive) > k:
        positive = positive[np.argpartition(-scores[positive], k)[:k]]
    return sorted(positive.tolist(), key=lambda i: -scores[i])


def vocabulary_of(chunks: Sequence[Chunk]) -> set[str]:
    """Every word the chunks use: what compound splitting and typo fixing may map onto."""
    words: set[str] = set()
    for chunk in chunks:
        words.update(tokenize(chunk.text))
        words.update(tokenize(chunk.section))
    return words
