"""Extractive answers: quote the sentence(s) that answer, with numbered citations, or say plainly
that the agreement documents do not cover the question and show the nearest passages."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from assistant.retrieval.lexical import LexicalIndex, WordEvidence, coverage
from assistant.understanding.answer_types import AnswerShape, AnswerType
from assistant.understanding.danish import STOPWORDS, stem
from assistant.understanding.query import ExpandedQuery
from core.records import Answer, Chunk, Citation, Hit
from core.settings import EvidencePolicy
from core.text import split_sentences
from ingest.cleaning import BULLET

NOT_COVERED = (
    "Rammeaftalernes dokumenter dækker ikke dette spørgsmål, så jeg kan ikke give et sikkert svar. "
    "Her er de nærmeste passager, jeg fandt:"
)


SEE_ALSO = "Andre passager, der kan høre med:"


@dataclass(frozen=True)
class Signals:
    """The parts of a sentence's rule score, kept so the learned picker can weigh them itself."""

    own_coverage: float  # share of the question's topic words the quote itself carries
    context_coverage: float  # the same with the section heading's words
    type_ok: bool  # states the kind of fact asked for (a date for "hvornår")
    demand_met: bool  # states the number, price or date a question demands (True when none is)
    pair_gain: float = 0.0  # a pair's rule score above its first sentence's: what the second one adds


@dataclass(frozen=True)
class ScoredSentence:
    hit_rank: int
    position: int  # sentence index within its passage, to quote in document order
    text: str
    score: float
    end: int = -1  # index of the last sentence the quote takes in (continuations, list items)
    signals: Signals | None = field(default=None, compare=False)  # what the score was made of
    window: bool = False  # the quote and the one after it, as one candidate (the learned picker's)

    def overlaps(self, other: ScoredSentence) -> bool:
        return self.hit_rank == other.hit_rank and self.position <= other.end and other.position <= self.end

    def repeats(self, other: ScoredSentence) -> bool:
        """Whether quoting both would show some text twice: they overlap, or one's text holds the
        other's. Asked of completed quotes (``complete``), as the answer shows them."""
        return self.overlaps(other) or self.text in other.text or other.text in self.text


def is_supported(
    query: ExpandedQuery, hits: list[Hit], index: LexicalIndex, dense_best: float, policy: EvidencePolicy
) -> bool:
    """Whether the best passages carry the question's content, lexically or semantically."""
    if not hits:
        return False
    words = index.question_words(query.topic, query.alternatives)
    best_coverage = max(coverage(words, _terms(index, hit)) for hit in hits[: policy.passages_quoted])
    return best_coverage >= policy.min_coverage or dense_best >= policy.min_dense


def quote_answer(
    query: ExpandedQuery,
    hits: list[Hit],
    chosen: list[ScoredSentence],
    period: str | None,
    notes: tuple[str, ...] = (),
    preface: str = "",
    confidence: str = "sikker",
) -> Answer:
    """The chosen quotes, one citation number per passage: the best one's passage first, as the
    answer; the others after it as passages that may belong with it, not as the answer."""
    by_hit: dict[int, list[ScoredSentence]] = {}
    for sentence in chosen:
        by_hit.setdefault(sentence.hit_rank, []).append(sentence)
    citations: list[Citation] = []
    lines: list[str] = [preface] if preface else []
    for rank, sentences in by_hit.items():
        hit = hits[rank]
        quote = " ".join(s.text for s in sorted(sentences, key=lambda s: s.position))
        n = len(citations) + 1
        citations.append(_citation(n, hit, quote))
        chunk = hit.chunk
        source = chunk.title + (
            f", {chunk.section}" if chunk.section and chunk.section != chunk.title else ""
        )
        if n == 2:
            lines.append(SEE_ALSO)
        lines.append(f"Ifølge {source}: »{quote}« [{n}]")
    return Answer(
        query.question,
        "\n\n".join(lines),
        False,
        period,
        tuple(citations),
        notes=notes,
        confidence=confidence,
    )


def compose_comparison(
    query: ExpandedQuery,
    per_period: list[tuple[str, list[Hit], list[ScoredSentence]]],
    preface: str = "",
    confidence: str = "sikker",
) -> Answer:
    """Periods side by side, each with its chosen quotes and its own citations."""
    citations: list[Citation] = []
    blocks: list[str] = [preface] if preface else []
    for period, hits, chosen in per_period:
        single = quote_answer(query, hits, chosen, period)
        offset = len(citations)
        text = single.answer
        for citation in reversed(single.citations):
            text = text.replace(f"[{citation.n}]", f"[{citation.n + offset}]")
        citations.extend(replace(c, n=c.n + offset) for c in single.citations)
        blocks.append(f"{period}:\n{text}")
    return Answer(query.question, "\n\n".join(blocks), False, None, tuple(citations), confidence=confidence)


def counter_of(counted: list[str], query: ExpandedQuery, index: LexicalIndex) -> Callable[[str], bool] | None:
    """Whether a word names what "hvor mange X" counts (``counted`` = the words naming X): X
    itself, a synonym or translation of it, or a compound sharing a part with it ("pladser",
    "places", "døgnpladser"). None when the question counts nothing nameable."""
    terms: set[str] = set()
    for word in counted:
        if word in STOPWORDS:
            continue
        terms.update((stem(word), *query.alternatives.get(word, ()), *index.analyzer.compound_parts(word)))
    terms = {term for term in terms if len(term) >= 3}
    if not terms:
        return None
    return lambda word: bool({stem(word), *index.analyzer.compound_parts(word)} & terms)


def abstain(question: str, hits: list[Hit], period: str | None, notes: tuple[str, ...] = ()) -> Answer:
    """The honest answer when the documents do not cover the question."""
    citations = tuple(_citation(n, hit, _lead(hit.chunk.text)) for n, hit in enumerate(hits[:3], 1))
    text = NOT_COVERED if citations else NOT_COVERED.split(" Her er")[0]
    return Answer(question, text, True, period, citations, notes=notes)


@dataclass(frozen=True)
class Candidates:
    """Every scored quote start of the top passages, with what is needed to complete one."""

    asked: Asked
    hits: list[Hit]
    passages: dict[int, list]  # hit rank -> its sentences, followed by those of the next passages
    sentences: list[ScoredSentence]

    @property
    def singles(self) -> list[ScoredSentence]:
        """The quotes without the pairs (what the rule-based picker chooses among)."""
        return [s for s in self.sentences if not s.window]


def score_candidates(
    query: ExpandedQuery, hits: list[Hit], index: LexicalIndex, policy: EvidencePolicy
) -> Candidates:
    """Score every sentence of the top passages as a possible quote."""
    asked = Asked.of(query, index)
    passages: dict[int, list] = {}
    scored: list[ScoredSentence] = []
    for rank, hit in enumerate(hits[: policy.passages_quoted]):
        passages[rank], sentences = _score_sentences(asked, hit, rank, index, policy)
        scored.extend(sentences)
    return Candidates(asked, hits, passages, scored)


def choose_by_rule(
    candidates: Candidates, index: LexicalIndex, policy: EvidencePolicy
) -> list[ScoredSentence]:
    """The best-scored quote and those scoring close to it, completed, without overlaps."""
    ranked = sorted(candidates.singles, key=lambda s: -s.score)
    return choose(candidates, [(s, s.score) for s in ranked], index, policy, policy.second_quote_ratio)


def choose(
    candidates: Candidates,
    ranked: list[tuple[ScoredSentence, float]],
    index: LexicalIndex,
    policy: EvidencePolicy,
    ratio: float,
) -> list[ScoredSentence]:
    """From quotes ranked best first with their scores: the first, and any further one whose score
    is at least ``ratio`` of the first's, completed and without overlapping an earlier one."""
    chosen: list[ScoredSentence] = []
    best = ranked[0][1] if ranked else 0.0
    for candidate, value in ranked:
        if len(chosen) >= policy.max_quotes or (chosen and value < ratio * best):
            break
        candidate = complete(candidates, candidate, index, policy)
        if not any(candidate.repeats(c) for c in chosen):
            chosen.append(candidate)
    return chosen


@dataclass(frozen=True)
class Asked:
    """What the question asks, worked out once per answer rather than per passage."""

    query: ExpandedQuery
    shape: AnswerShape
    subject: frozenset[str]  # index terms of what a definition question asks about
    words: list[str]  # the question's content words
    topic_words: tuple[WordEvidence, ...]  # the topic's words, weighed, for coverage
    counts: Callable[[str], bool] | None = None  # whether a word names what "hvor mange X" counts

    @classmethod
    def of(cls, query: ExpandedQuery, index: LexicalIndex) -> Asked:
        words = index.analyzer.content_words(query.question)
        subject: set[str] = set()
        for word in words:
            subject.add(stem(word))  # whole words only: a shared compound part ("ansvar") is no subject
            subject.update(query.alternatives.get(word, ()))
        shape = query.shape
        counts = counter_of(shape.counted_words(), query, index)
        topic_words = index.question_words(query.topic, query.alternatives)
        return cls(query, shape, frozenset(subject), words, topic_words, counts)


def _score_sentences(
    asked: Asked, hit: Hit, rank: int, index: LexicalIndex, policy: EvidencePolicy
) -> tuple[list, list[ScoredSentence]]:
    """Score each sentence mostly on its own words: the section heading and the passage only
    add context, so the quote is the sentence that states the asked-for fact. A sentence that
    carries the kind of fact asked for (a date, a number, a name) scores higher.
    Returns the sentences the quotes are cut from, and the scored quotes."""
    shape = asked.shape
    section_terms = frozenset(index.analyzer.terms(hit.chunk.section))
    sentences, own_count = _sentences_with_continuation(hit, index)
    scored = []
    for i in range(own_count):
        text, end = quote_unit(sentences, i, shape, policy)
        single = _scored(asked, sentences, i, text, end, rank, section_terms, index, policy)
        scored.append(single)
        if end + 1 < len(sentences):
            # The fact often sits in the sentence after the one that names the topic ("… et
            # stigende efterspørgselspres. Efterspørgslen ses særligt på autismeområdet …"): the
            # pair is a candidate of its own, and the learned picker weighs it against the parts.
            following, last = quote_unit(sentences, end + 1, shape, policy)
            pair = f"{text} {following}"
            scored.append(
                _scored(asked, sentences, i, pair, last, rank, section_terms, index, policy, single)
            )
    return sentences, scored


def _scored(
    asked: Asked,
    sentences: list,
    i: int,
    text: str,
    end: int,
    rank: int,
    section_terms: frozenset[str],
    index: LexicalIndex,
    policy: EvidencePolicy,
    first: ScoredSentence | None = None,
) -> ScoredSentence:
    """The rule score of the quote ``text`` that starts at sentence ``i`` and ends at ``end``; with
    ``first``, of the pair of that quote and the one after it."""
    shape = asked.shape
    own = frozenset(index.analyzer.terms(text))
    if i == 0 and _is_item(text):  # a list that opens its section: the heading is its intro
        own |= section_terms
    own_coverage = coverage(asked.topic_words, own)
    in_context = coverage(asked.topic_words, own | section_terms)
    score = policy.own_weight * own_coverage + (1 - policy.own_weight) * in_context
    type_ok = shape.satisfied_by(text)
    if type_ok:
        score += policy.type_bonus
    opening = [stem(word) for word in index.analyzer.content_words(sentences[i].text)[:2]]
    if shape.defines(sentences[i].text, opening, asked.subject, asked.words):
        score += policy.definition_bonus
    # Earlier passages are likelier right; fragments (headings, names) rarely answer.
    score += 0.1 / (1 + rank) - (0.1 if len(text) < policy.min_sentence_chars else 0.0)
    demand_met = shape.unmet_demand([text], asked.counts) is None
    gain = score - first.score if first is not None else 0.0
    signals = Signals(own_coverage, in_context, type_ok, demand_met, gain)
    return ScoredSentence(rank, i, text, score, end, signals, window=first is not None)


def complete(
    candidates: Candidates, candidate: ScoredSentence, index: LexicalIndex, policy: EvidencePolicy
) -> ScoredSentence:
    """The quote completed with a next sentence that resumes it or carries the rest of the
    question. Done after scoring, and only for the candidates actually considered: it completes a
    quote, it is not what makes it the answer."""
    sentences, asked = candidates.passages[candidate.hit_rank], candidates.asked
    text, end = _with_resumption(sentences, candidate.text, candidate.end, policy)
    text, end = _with_rest_of_question(asked, index, sentences, text, end, policy)
    return replace(candidate, text=text, end=end)


_CONTINUATION = re.compile(
    r"^(?:Dette|Det|Denne|Disse|Den|De|Her|Heraf|Dog|Men|Fristen|Også|På baggrund af|Der er tale om)\b"
    r"|^.{0,60}\b(?:[Ss]åledes|[Aa]ltså|[Dd]ermed|[Dd]erfor|heller ikke)\b"
)
_REFERS_BACK = re.compile(
    r"\b(?:førstnævnte|sidstnævnte|ovenstående|ovennævnte|nævnte|første|andet|anden|tredje|fjerde)\b", re.I
)
_ITEM_NUMBER = re.compile(r"^(\d{1,2})\.\s+\S")
MAX_ITEM_CHARS = 150


def _sentences_with_continuation(hit: Hit, index: LexicalIndex, chunks: int = 2) -> tuple[list, int]:
    """The passage's sentences followed by those of the next passages of its section, and how
    many are the passage's own: a list or an explanation that runs over a chunk edge is quoted
    whole, but only the passage's own sentences are scored as quote starts."""
    sentences = split_sentences(hit.chunk.text)
    own_count = len(sentences)
    chunk: Chunk | None = hit.chunk
    for _ in range(chunks):
        chunk = index.following(chunk)  # type: ignore[arg-type]  # None ends the loop below
        if chunk is None:
            break
        sentences.extend(split_sentences(chunk.text))
    return sentences, own_count


def quote_unit(sentences, i: int, shape: AnswerShape, policy: EvidencePolicy) -> tuple[str, int]:
    """The sentence with what it needs to be understood: a list's items, the list it refers back
    to ("… mens det tredje område er nyt"), or a short next sentence that continues it ("Dette
    trådte i kraft 1. juli 2022.") or states the asked-for fact.
    Returns the quote and the index of the last sentence it takes in."""
    if AnswerType.LIST in shape.types and _ITEM_NUMBER.match(sentences[i].text):
        return _numbered_run(sentences, i)
    if sentences[i].text.startswith(BULLET):
        return _bullet_run(sentences, i)
    if AnswerType.LIST in shape.types and (run := _parallel_run(sentences, i)):
        return run
    if _REFERS_BACK.search(sentences[i].text) and (items := _preceding_items(sentences, i)):
        return "\n".join([*items, sentences[i].text]), i
    text, end = _with_list(sentences, i)
    if end > i or i + 1 >= len(sentences):
        return text, end
    follower = sentences[i + 1].text
    if len(follower) <= policy.max_continuation_chars and (
        _CONTINUATION.match(follower)
        or (shape.types and shape.satisfied_by(follower) and not shape.satisfied_by(text))
    ):
        continued, end = _with_list(sentences, i + 1)  # a continuation that opens a list brings its items
        return f"{text} {continued}", end
    return text, i


def _with_rest_of_question(
    asked: Asked, index: LexicalIndex, sentences, text: str, end: int, policy: EvidencePolicy
) -> tuple[str, int]:
    """The quote with the next sentence when that one carries question words the quote lacks
    ("… deltog i Politikerkonferencen. Under overskriften »Fra bruger til medborger« …" for "hvad
    var overskriften på politikerkonferencen?"). Added after scoring, like a resumption."""
    if end + 1 >= len(sentences) or len(sentences[end + 1].text) > policy.max_continuation_chars:
        return text, end
    follower = sentences[end + 1].text
    own = frozenset(index.analyzer.terms(text))
    before = coverage(asked.topic_words, own)
    after = coverage(asked.topic_words, own | frozenset(index.analyzer.terms(follower)))
    if after >= before + policy.rest_of_question_gain:
        return f"{text} {follower}", end + 1
    return text, end


_DEFINITE = ("en", "et", "ne")


def _with_resumption(sentences, text: str, end: int, policy: EvidencePolicy) -> tuple[str, int]:
    """The quote with the next sentence when that one goes on about what the quote introduced.
    Added after scoring: it completes the quote, it is not what made the quote the answer."""
    if end + 1 >= len(sentences):
        return text, end
    follower = sentences[end + 1].text
    if len(follower) <= policy.max_continuation_chars and _resumes(text, follower):
        return f"{text} {follower}", end + 1
    return text, end


def _resumes(text: str, follower: str) -> bool:
    """The next sentence opens by naming, in definite form, a thing the sentence introduced
    ("… træffe afgørelse om optagelse. Afgørelsen kan ikke påklages."): it goes on about it."""
    words = follower.split(maxsplit=1)
    first = words[0].lower().strip(",;:") if words else ""
    if len(first) < 5 or not first.isalpha() or not first.endswith(_DEFINITE):
        return False
    named = stem(first)
    # The thing may be named by its compound's head: "et nyt metodeudviklingsprojekt … Projektet …".
    return any(
        stem(word) == named or (len(word) > len(first) and stem(word).endswith(named))
        for word in re.findall(r"\w+", text.lower())
    )


def _numbered_run(sentences, i: int, max_items: int = 9) -> tuple[str, int]:
    """A numbered list quoted as its items ("1. …", "2. …") even where each item is followed by
    paragraphs that explain it; each item is cut to its first words."""
    items = [sentences[i].text]
    end = i
    expected = int(_ITEM_NUMBER.match(sentences[i].text).group(1)) + 1  # type: ignore[union-attr]  # caller checked
    for j in range(i + 1, len(sentences)):
        if len(items) >= max_items:
            break
        match = _ITEM_NUMBER.match(sentences[j].text)
        if match and int(match.group(1)) == expected:
            items.append(sentences[j].text)
            end, expected = j, expected + 1
    return "\n".join(_lead(item, MAX_ITEM_CHARS) for item in items), end


def _parallel_run(sentences, i: int, reach: int = 6, max_items: int = 6) -> tuple[str, int] | None:
    """Sentences built like sentence ``i`` ("Beslutning i Børne- og ungdomsudvalget …", "Beslutning
    i Økonomiudvalget …"): a list written as sentences, each one item of a "hvilke …?" answer."""
    opening = _opening(sentences[i].text)
    if opening is None:
        return None
    window = range(max(0, i - reach), min(len(sentences), i + reach + 1))
    members = [j for j in window if _opening(sentences[j].text) == opening][:max_items]
    if len(members) < 2 or i not in members:
        return None
    return "\n".join(_lead(sentences[j].text, MAX_ITEM_CHARS) for j in members), max(members)


def _opening(text: str) -> tuple[str, str] | None:
    """The first two words when the sentence opens with a capitalised content word."""
    words = text.split(maxsplit=2)
    if len(words) < 3 or not words[0][:1].isupper() or not words[0].isalpha() or len(words[0]) < 4:
        return None
    return words[0].lower(), words[1].lower()


def _bullet_run(sentences, i: int, max_items: int = 8) -> tuple[str, int]:
    """A bullet item is quoted with its whole list (and the sentence that introduces it): one
    bullet out of "the vision is: • … • … • …" answers only part of the question."""
    first = i
    while first > 0 and i - first < max_items and sentences[first - 1].text.startswith(BULLET):
        first -= 1
    last = i
    while (
        last + 1 < len(sentences)
        and last - first + 1 < max_items
        and sentences[last + 1].text.startswith(BULLET)
    ):
        last += 1
    lines = [_lead(sentences[j].text, MAX_ITEM_CHARS) for j in range(first, last + 1)]
    if first > 0 and sentences[first - 1].text.endswith(":"):
        lines.insert(0, sentences[first - 1].text)
    return "\n".join(lines), last


def _is_item(text: str) -> bool:
    """A list item: a bullet or a number ("1. …")."""
    return text.startswith(BULLET) or bool(_ITEM_NUMBER.match(text))


def _preceding_items(sentences, i: int, reach: int = 4, max_items: int = 8) -> list[str]:
    """The list (numbered or bulleted items) closest before sentence ``i``, within ``reach``
    sentences of it, in order."""
    last = next((j for j in range(i - 1, max(-1, i - 1 - reach), -1) if _is_item(sentences[j].text)), None)
    if last is None:
        return []
    first = last
    while first > 0 and last - first + 1 < max_items and _is_item(sentences[first - 1].text):
        first -= 1
    return [_lead(sentences[j].text, MAX_ITEM_CHARS) for j in range(first, last + 1)]


def _with_list(sentences, i: int) -> tuple[str, int]:
    """A sentence that introduces a list (ends with ':') is quoted with its items; a numbered list
    whole, even where paragraphs explain each item (each item then cut to its first words)."""
    text = sentences[i].text
    if not text.endswith(":"):
        return text, i
    if i + 1 < len(sentences) and _ITEM_NUMBER.match(sentences[i + 1].text):
        items_text, end = _numbered_run(sentences, i + 1)
        return f"{text}\n{items_text}", end
    items = []
    for follower in sentences[i + 1 : i + 8]:
        if not _is_item(follower.text):
            break
        items.append(follower.text)
    return "\n".join([text, *items]), i + len(items)


def _terms(index: LexicalIndex, hit: Hit) -> frozenset[str]:
    return frozenset(index.analyzer.terms(hit.chunk.text + " " + hit.chunk.section))


def _lead(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _citation(n: int, hit: Hit, quote: str) -> Citation:
    chunk = hit.chunk
    return Citation(n, chunk.document, chunk.title, chunk.period, chunk.section, chunk.page, quote, chunk.ocr)
