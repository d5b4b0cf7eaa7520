"""Danish text analysis: tokens -> stems, with compound splitting, for the lexical index and for
reading questions (shared by understanding/ and retrieval/).

Exact Danish wording matters beside the dense vectors: the Snowball Danish stemmer, a fix for
Danish syncope (varsel/varslet, regel/reglen), and splitting of compounds into known parts
("opsigelsesfrist" -> opsig + frist) on both index and query side.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+", re.UNICODE)
_SYNCOPE = re.compile(r"(?<=[^aeiouyæøå])e([lnr])$")
_LINKING = ("", "s", "e")  # Danish compounds join parts directly or with -s-/-e-
MIN_PART = 4
MIN_COMPOUND = 8
MIN_PAST_TENSE = 7  # "behandled" -> "behandl"; shorter stems in -ed are words ("sted", "fred")

STOPWORDS = frozenset(
    """og i jeg det at en den til er som på de med han af for ikke der var mig sig men et har om
    vi min havde ham hun nu over da fra du ud sin dem os op man hans hvor eller hvad skal selv her
    alle vil blev kunne ind når være dog noget ville jo deres efter ned skulle denne end dette mit
    også under have dig anden hende mine alt meget sit sine vor mod disse hvis din nogle hos blive
    mange ad ved bliver hendes været thi jer sådan kan får får hvornår hvilke hvilken hvordan hvem
    hvorfor må vores jeres hvis fx nok nogen noget selvom ofte tit gøre gør gjorde give giver
    laver lave skriver står stå sige siger mon egentlig helt bare lige godt hvordan hvornår
    fordi altså så nogle hvilket hvad sker sket ske betyder betyde forskel forskellen hører
    omtaler omtales omtalt nævner nævnes nævnt
    the a an of to in is what how when which does do are for on at s be been was were can could
    should would will did has have had there their they we our you your it its this that these
    those with from by as about into under between during after before than then who whom whose
    why where if or and not no yes any all each also only much many more most some such very
    just i me my mean means meaning difference because during within without through since while
    whether other same both either again out over up down off per via get gets got need needs""".split()
)

_stemmer = snowballstemmer.stemmer("danish")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball stem with vowel syncope undone, so 'varsel' and 'varslet' meet, and the past
    tense in -ede that Snowball leaves as -ed undone, so 'behandlede' meets 'behandlet'."""
    stemmed = _SYNCOPE.sub(r"\1", _stemmer.stemWord(word))
    if len(stemmed) >= MIN_PAST_TENSE and word.endswith("ede") and stemmed.endswith("ed"):
        return stemmed[:-2]
    return stemmed


def tokenize(text: str) -> list[str]:
    """Lower-cased word and number tokens ('6,1' and '10.000' stay whole)."""
    return _TOKEN.findall(text.lower())


class Analyzer:
    """Turns text into index terms. Knows the corpus vocabulary, which compound splitting needs."""

    def __init__(self, vocabulary: Iterable[str] = ()):
        self.stems: frozenset[str] = frozenset()
        self.add_vocabulary(vocabulary)

    def add_vocabulary(self, words: Iterable[str]) -> None:
        # Frozen once here, so the per-word split cache keys on one hashed object.
        self.stems = self.stems | {stem(w) for w in words if len(w) >= MIN_PART and not w.isdigit()}

    def content_words(self, text: str) -> list[str]:
        return [token for token in tokenize(text) if token not in STOPWORDS and len(token) > 1]

    def terms(self, text: str) -> list[str]:
        """Stems of the content words plus the stems of their compound parts and joined pairs."""
        tokens = self.content_words(text)
        terms: list[str] = []
        for token in tokens:
            terms.append(stem(token))
            terms.extend(self.compound_parts(token))
        terms.extend(self._joined_pairs(tokens))
        return terms

    def compound_parts(self, word: str) -> list[str]:
        """Stems of the known parts of a compound word, or [] when it is not one."""
        return list(_split_cached(word, self.stems) if len(word) >= MIN_COMPOUND else [])

    def _joined_pairs(self, tokens: list[str]) -> list[str]:
        """'opsigelses varsel' written apart still meets 'opsigelsesvarsel'."""
        joined = []
        for first, second in zip(tokens, tokens[1:]):
            for link in _LINKING[:2]:
                candidate = stem(first + link + second)
                if candidate in self.stems and len(first + second) >= MIN_COMPOUND:
                    joined.append(candidate)
                    break
        return joined


@lru_cache(maxsize=100_000)
def _split_cached(word: str, stems: frozenset[str]) -> tuple[str, ...]:
    """Best split of ``word`` into a known head and a known (possibly compound) tail."""
    best: tuple[str, ...] = ()
    best_balance = 0
    for cut in range(MIN_PART, len(word) - MIN_PART + 1):
        head, tail = word[:cut], word[cut:]
        head_stem = _known_head(head, stems)
        if head_stem is None:
            continue
        tail_stem = stem(tail)
        parts: tuple[str, ...]
        if tail_stem in stems:
            parts = (head_stem, tail_stem)
        elif len(tail) >= MIN_COMPOUND and (sub := _split_cached(tail, stems)):
            parts = (head_stem, *sub)
        else:
            continue
        # Prefer few parts, then balanced ones: "takst|aftalen" over "takstaft|alen".
        balance = min(cut, len(word) - cut)
        if not best or (len(parts), -balance) < (len(best), -best_balance):
            best, best_balance = parts, balance
    return best


def _known_head(head: str, stems: frozenset[str]) -> str | None:
    for link in _LINKING[1:] + ("",):
        base = head[: -len(link)] if link and head.endswith(link) else head
        if len(base) >= MIN_PART - 1 and stem(base) in stems:
            return stem(base)
    return None
