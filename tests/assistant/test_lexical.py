"""BM25 coverage: how much of a question a passage carries (pure, over hand-made chunks)."""

from __future__ import annotations

from assistant.retrieval.lexical import LexicalIndex
from core.records import Chunk


def chunk(i: int, text: str) -> Chunk:
    return Chunk(f"c{i}", text, "d.txt", "D", "2017", "aftale", "", None, i, "h")


INDEX = LexicalIndex(
    [
        chunk(0, "Kommunerne indgår hvert andet år en rammeaftale."),
        chunk(1, "Der oprettes nye tilbud og nyt samarbejde."),
        chunk(2, "Taksten beregnes efter takstbekendtgørelsen."),
    ]
)


def test_a_short_inflected_word_counts_as_its_corpus_form() -> None:
    """'ny' is found where the text says 'nye'/'nyt' and does not weigh as an unknown concept."""
    terms = frozenset(INDEX.analyzer.terms("Der oprettes nye tilbud"))
    assert INDEX.coverage("nye tilbud", terms) == INDEX.coverage("ny tilbud", terms) == 1.0


def test_a_word_the_corpus_never_uses_lowers_coverage() -> None:
    terms = frozenset(INDEX.analyzer.terms("Taksten beregnes efter takstbekendtgørelsen."))
    assert INDEX.coverage("taksten handicapbil", terms) < 0.5


def test_following_stays_within_the_document_and_section() -> None:
    first, second = chunk(0, "a"), chunk(1, "b")
    other = Chunk("x", "c", "e.txt", "E", "2017", "aftale", "", None, 0, "h2")
    index = LexicalIndex([first, second, other])
    assert index.following(first) == second
    assert index.following(second) is None


def test_a_word_repeated_in_another_form_counts_once() -> None:
    """'takst … taksten' is one topic: found once it is fully found, missing once it is missing."""
    with_it = frozenset(INDEX.analyzer.terms("Taksten beregnes."))
    without = frozenset(INDEX.analyzer.terms("Der oprettes nye tilbud"))
    assert INDEX.coverage("taksten tilbud taksterne", with_it) == INDEX.coverage("taksten tilbud", with_it)
    assert INDEX.coverage("taksten tilbud taksterne", without) == INDEX.coverage("taksten tilbud", without)
