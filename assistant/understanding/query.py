"""Query understanding: how staff ask vs. how the agreements are worded.

Staff write "faktura" for "afregning", "krisecenter" for "kvindekrisecentre", ask in English, and
make typos. The expander adds the agreements' own words to the query (from the glossary, an
English->Danish word list and a typo corrector over the corpus vocabulary), and records, per
question word, which index terms count as finding it, so evidence checks credit synonyms."""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.understanding.answer_types import AnswerShape
from assistant.understanding.danish import STOPWORDS, Analyzer, stem, tokenize
from core.yamlfiles import read_yaml

GLOSSARY_FILE = "glossary.yaml"
# Word maps to the agreements' words, later files winning: the broad English map generated from the
# corpus vocabulary, then the hand-kept map of everyday Danish and English.
TRANSLATIONS_FILES = ("english.yaml", "translations.yaml")
_ACRONYM = re.compile(r"\b[A-ZÆØÅ]{2,6}\b")
MIN_TYPO_LENGTH = 7  # shorter words are too often ordinary Danish words the corpus lacks
# "How long …", "hvor ofte …": they say what kind of fact is asked for (answer_types), not what
# about; read as topic words, "long" became "længerevarende" and weighed as an unfound word.
_QUESTION_FRAME = re.compile(
    r"\b(?:how (?:long|often|much|many|high|big|large)|hvor "
    r"(?:længe|lang|langt|ofte|tit|stor|stort|høj|højt|meget|mange))\b",
    re.IGNORECASE,
)
# What a frame asks about, in the agreements' words: a duration is stated under "Varighed".
_FRAME_WORDS = {"how long": ("varighed",), "hvor længe": ("varighed",)}


@dataclass(frozen=True)
class GlossaryTerm:
    term: str
    definition: str
    synonyms: tuple[str, ...]
    english: tuple[str, ...]
    source: dict

    @property
    def phrases(self) -> tuple[str, ...]:
        return (self.term, *self.synonyms, *self.english)


@dataclass(frozen=True)
class QueryVocabulary:
    """The data query understanding needs, loaded once from corpus/."""

    glossary: tuple[GlossaryTerm, ...] = ()
    translations: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def load(cls, corpus_dir: Path) -> QueryVocabulary:
        glossary = _read_yaml(corpus_dir / GLOSSARY_FILE).get("terms", [])
        words: dict = {}
        for name in TRANSLATIONS_FILES:
            words.update(_read_yaml(corpus_dir / name).get("words", {}))
        return cls(
            tuple(
                GlossaryTerm(
                    str(t["term"]),
                    str(t.get("definition", "")),
                    tuple(t.get("synonyms") or ()),
                    tuple(t.get("english") or ()),
                    dict(t.get("source") or {}),
                )
                for t in glossary
            ),
            {str(k).lower(): tuple(v) for k, v in words.items()},
        )

    def words(self) -> set[str]:
        """Danish words the analyser should know as compound parts."""
        found: set[str] = set()
        for term in self.glossary:
            for phrase in (term.term, *term.synonyms):
                found.update(tokenize(phrase))
        for danish in self.translations.values():
            for phrase in danish:
                found.update(tokenize(phrase))
        return found


@dataclass(frozen=True)
class ExpandedQuery:
    question: str
    additions: tuple[str, ...]  # the agreements' words added to the query
    alternatives: dict[str, frozenset[str]]  # question word -> index terms that also count as it
    unknown_acronyms: tuple[str, ...] = ()  # "VAT", "BPA": named concepts the documents never use

    @functools.cached_property
    def topic(self) -> str:
        """The question without its frame ("how long", "hvor ofte"): what it is about."""
        return topic_of(self.question)

    @functools.cached_property
    def shape(self) -> AnswerShape:
        """The kind of fact the question asks for and the facts it demands (assistant/understanding/answer_types.py)."""
        return AnswerShape.of(self.question)

    @property
    def lexical_text(self) -> str:
        return " ".join((self.topic, *self.additions))


class QueryExpander:
    def __init__(
        self,
        analyzer: Analyzer,
        vocabulary: QueryVocabulary,
        corpus_words: Iterable[str],
        known_terms: set[str],
    ):
        self.analyzer = analyzer
        self.vocabulary = vocabulary
        self.known_terms = known_terms
        self._phrases = self._index_phrases(vocabulary.glossary)
        self._typos = _DeletionIndex(w for w in corpus_words if len(w) >= MIN_TYPO_LENGTH and w.isalpha())

    def expand(self, question: str) -> ExpandedQuery:
        tokens = tokenize(topic_of(question))
        additions: list[str] = []
        alternatives: dict[str, set[str]] = defaultdict(set)
        self._add_glossary(tokens, additions, alternatives)
        self._add_translations(tokens, additions, alternatives)
        self._add_typo_fixes(tokens, additions, alternatives)
        for frame in _QUESTION_FRAME.findall(question):
            additions.extend(_FRAME_WORDS.get(" ".join(frame.lower().split()), ()))
        return ExpandedQuery(
            question,
            tuple(dict.fromkeys(additions)),
            {w: frozenset(s) for w, s in alternatives.items()},
            self._unknown_acronyms(question, alternatives),
        )

    def _unknown_acronyms(self, question: str, alternatives: dict[str, set[str]]) -> tuple[str, ...]:
        """Acronyms in the question that neither the corpus nor the word lists know. An acronym
        names one specific thing, so documents that never use it cannot answer about it."""
        unknown = []
        for acronym in dict.fromkeys(_ACRONYM.findall(question)):
            word = acronym.lower()
            if stem(word) in self.known_terms or alternatives.get(word, set()) & self.known_terms:
                continue
            unknown.append(acronym)
        return tuple(unknown)

    def _add_glossary(
        self, tokens: list[str], additions: list[str], alternatives: dict[str, set[str]]
    ) -> None:
        stems = [stem(token) for token in tokens]
        for start in range(len(tokens)):
            for phrase_stems, term in self._phrases.get(stems[start], ()):
                end = start + len(phrase_stems)
                if tuple(stems[start:end]) != phrase_stems:
                    continue
                additions.append(term.term)
                term_terms = set(self.analyzer.terms(term.term))
                for token in tokens[start:end]:
                    alternatives[token] |= term_terms

    def _add_translations(
        self, tokens: list[str], additions: list[str], alternatives: dict[str, set[str]]
    ) -> None:
        for token in tokens:
            for danish in self.vocabulary.translations.get(token, ()):
                additions.append(danish)
                alternatives[token] |= set(self.analyzer.terms(danish))

    def _add_typo_fixes(
        self, tokens: list[str], additions: list[str], alternatives: dict[str, set[str]]
    ) -> None:
        for token in tokens:
            if (
                len(token) < MIN_TYPO_LENGTH
                or token in STOPWORDS
                or token in alternatives
                or self._known(token)
            ):
                continue
            fixes = self._typos.nearest(token)
            for fix in fixes:
                additions.append(fix)
                alternatives[token] |= set(self.analyzer.terms(fix))

    def _known(self, token: str) -> bool:
        """A corpus word. A word that only splits into known parts may still be a typo of a
        whole corpus word ("takstafttale" = takstaft|tale, meant "takstaftale"), so it is looked up."""
        return stem(token) in self.known_terms

    def _index_phrases(
        self, glossary: tuple[GlossaryTerm, ...]
    ) -> dict[str, list[tuple[tuple[str, ...], GlossaryTerm]]]:
        """Glossary phrases keyed by their first stem; longest phrases first."""
        index: dict[str, list[tuple[tuple[str, ...], GlossaryTerm]]] = defaultdict(list)
        for term in glossary:
            for phrase in term.phrases:
                phrase_stems = tuple(stem(token) for token in tokenize(phrase))
                if phrase_stems and not (len(phrase_stems) == 1 and phrase_stems[0] in STOPWORDS):
                    index[phrase_stems[0]].append((phrase_stems, term))
        for entries in index.values():
            entries.sort(key=lambda entry: -len(entry[0]))
        return index


def topic_of(question: str) -> str:
    return _QUESTION_FRAME.sub(" ", question)


class _DeletionIndex:
    """Symmetric-delete typo lookup (edit distance about 1) over the corpus vocabulary."""

    def __init__(self, words: Iterable[str]):
        self._by_variant: dict[str, set[str]] = defaultdict(set)
        for word in set(words):
            for variant in _deletions(word):
                self._by_variant[variant].add(word)

    def nearest(self, token: str) -> list[str]:
        found: set[str] = set()
        for variant in _deletions(token):
            found |= self._by_variant.get(variant, set())
        found.discard(token)
        return sorted(found)[:3]


def _deletions(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def _read_yaml(path: Path) -> dict:
    if not path.exists():
        return {}
    return read_yaml(path) or {}
