"""Quote units: what is quoted around a sentence (``quote_unit``), and how a chosen quote is
completed with the next sentence (``complete``), through the answering module's public functions."""

from __future__ import annotations

from assistant.answering.extractive import (
    ScoredSentence,
    choose_by_rule,
    complete,
    quote_answer,
    quote_unit,
    score_candidates,
)
from assistant.retrieval.lexical import LexicalIndex
from assistant.understanding.answer_types import AnswerShape
from assistant.understanding.query import ExpandedQuery
from core.records import Chunk, Hit
from core.settings import EvidencePolicy
from core.text import split_sentences

POLICY = EvidencePolicy()


def unit(text: str, question: str, i: int = 0) -> str:
    return quote_unit(split_sentences(text), i, AnswerShape.of(question), POLICY)[0]


def completed(text: str, question: str, position: int = 0) -> ScoredSentence:
    """The quote starting at sentence ``position`` of a one-passage index, completed as ``ask`` does."""
    passage = Chunk("c0", text, "d.txt", "D", "2017", "aftale", "", None, 0, "h")
    other = Chunk(
        "c1", "Andet om taksterne og dilemmaer.", "d.txt", "D", "2017", "aftale", "Andet", None, 1, "h"
    )
    index = LexicalIndex([passage, other])
    candidates = score_candidates(
        ExpandedQuery(question, (), {}), [Hit(passage, 1.0, 1, None, None)], index, POLICY
    )
    candidate = next(s for s in candidates.sentences if s.position == position)
    return complete(candidates, candidate, index, POLICY)


def test_der_er_tale_om_continues_the_sentence_before() -> None:
    text = (
        "Flere kommuner oplever flere borgere med komplekse udfordringer. "
        "Der er tale om autisme, psykiatri og hjerneskade. Andet."
    )
    assert unit(text, "Hvad oplever kommunerne?").endswith(
        "Der er tale om autisme, psykiatri og hjerneskade."
    )


def test_a_short_continuing_sentence_is_quoted_with_its_lead() -> None:
    text = (
        "Finansieringsmodellen for sundhedslovsydelser er ændret. Dette trådte i kraft 1. juli 2022. Andet."
    )
    assert (
        unit(text, "Hvad blev ændret?")
        == "Finansieringsmodellen for sundhedslovsydelser er ændret. Dette trådte i kraft 1. juli 2022."
    )


def test_a_discourse_marker_continues_the_sentence() -> None:
    text = "Driftsherren retter fejlen i næste afregning. Fejlagtigt betalte beløb refunderes altså efterfølgende."
    assert unit(text, "Må vi trække beløbet fra?").endswith("refunderes altså efterfølgende.")


def test_an_unrelated_next_sentence_is_not_quoted() -> None:
    text = "Driftsherren sender månedlige afregninger. Kommunerne mødes i DASSOS."
    assert unit(text, "Hvem sender afregninger?") == "Driftsherren sender månedlige afregninger."


def test_a_numbered_list_skips_the_paragraphs_between_its_items() -> None:
    text = (
        "1. Kommunikationsområdet\nOmrådet dækker tale og hørelse.\n"
        "2. Voksenhandicap\nEt rammepapir.\n3. Metodeudvikling\nTekst."
    )
    assert (
        unit(text, "Hvilke fokusområder er der?")
        == "1. Kommunikationsområdet\n2. Voksenhandicap\n3. Metodeudvikling"
    )


def test_a_list_intro_is_quoted_with_its_items() -> None:
    text = "Aftalen skal indeholde:\n• Borgers navn\n• Opsigelsesvarsel\nDerefter tekst."
    assert (
        unit(text, "Hvad skal aftalen indeholde?")
        == "Aftalen skal indeholde:\n• Borgers navn\n• Opsigelsesvarsel"
    )


def test_a_list_intro_brings_its_whole_numbered_list_across_explaining_paragraphs() -> None:
    """Whatever the question's wording: an intro ending in ':' is not answered by its first item."""
    text = (
        "Der er tre fokusområder:\n1. Kommunikationsområdet\nOmrådet dækker tale og hørelse.\n"
        "2. Voksenhandicap\nEt rammepapir.\n3. Metodeudvikling\nTekst."
    )
    assert (
        unit(text, "Tell me about the focus areas")
        == "Der er tre fokusområder:\n1. Kommunikationsområdet\n2. Voksenhandicap\n3. Metodeudvikling"
    )


def test_a_continuation_that_opens_a_list_brings_its_items() -> None:
    text = "Aftalen tilpasses systemerne. Aftalen skal således som minimum omfatte:\n• Borgers navn\n• Opsigelsesvarsel"
    assert unit(text, "Hvad skal aftalen omfatte?").endswith("• Borgers navn\n• Opsigelsesvarsel")


def test_overlapping_quote_units_of_one_passage_are_quoted_once() -> None:
    first = ScoredSentence(0, 2, "A. B.", 1.0, end=3)
    assert first.overlaps(ScoredSentence(0, 3, "B. C.", 0.9, end=4))
    assert not first.overlaps(ScoredSentence(1, 3, "B.", 0.9, end=3))  # another passage
    assert not first.overlaps(ScoredSentence(0, 4, "C.", 0.9, end=4))


def test_a_quote_repeats_another_it_overlaps_or_whose_text_it_holds() -> None:
    first = ScoredSentence(0, 2, "A. B.", 1.0, end=3)
    assert first.repeats(ScoredSentence(0, 3, "B. C.", 0.9, end=4))  # overlapping sentences
    assert first.repeats(ScoredSentence(1, 7, "B.", 0.9, end=7))  # the same text in another passage
    assert ScoredSentence(1, 7, "B.", 0.9, end=7).repeats(first)
    assert not first.repeats(ScoredSentence(0, 4, "C.", 0.9, end=4))


def test_a_sentence_that_refers_back_to_a_list_is_quoted_with_it() -> None:
    text = (
        "Fokus på tre områder:\n1. Psykiatri\n2. Komplekse udfordringer\n3. Overgangen til voksenområdet\n"
        "Her ønskes en ekstra indsats. For de to førstnævnte områder er der tale om en videreførelse, "
        "mens det tredje område er nyt."
    )
    sentences = split_sentences(text)
    quote, _ = quote_unit(sentences, len(sentences) - 1, AnswerShape.of("Hvilket område er nyt?"), POLICY)
    assert quote.startswith("1. Psykiatri\n2. Komplekse udfordringer\n3. Overgangen til voksenområdet\n")
    assert quote.endswith("mens det tredje område er nyt.")


def test_a_bullet_item_is_quoted_with_its_whole_list_and_intro() -> None:
    text = (
        "Visionen er:\n• At borgeren mestrer eget liv\n• At alle er en del af et fællesskab\nDerefter tekst."
    )
    sentences = split_sentences(text)
    quote, end = quote_unit(sentences, 2, AnswerShape.of("Hvad er visionen?"), POLICY)
    assert quote == "Visionen er:\n• At borgeren mestrer eget liv\n• At alle er en del af et fællesskab"
    assert end == 2


def test_a_next_sentence_that_goes_on_about_what_the_quote_introduced_completes_it() -> None:
    quote = completed(
        "Lederen af tilbuddet træffer afgørelse om optagelse. Afgørelsen kan ikke påklages. Tilbuddet har 12 pladser.",
        "Hvem træffer afgørelse om optagelse?",
    )
    assert quote.text == "Lederen af tilbuddet træffer afgørelse om optagelse. Afgørelsen kan ikke påklages."
    assert quote.end == 1
    compound = completed(
        "DASSOS igangsætter et nyt metodeudviklingsprojekt. Projektet hedder collective impact. Taksterne stiger.",
        "Hvad igangsætter DASSOS?",
    )
    assert compound.end == 1  # named by the compound's head
    unrelated = completed(
        "Lederen træffer afgørelse om optagelse. Kommunerne betaler taksten.", "Hvem træffer afgørelse?"
    )
    assert (unrelated.text, unrelated.end) == ("Lederen træffer afgørelse om optagelse.", 0)


def test_sentences_built_alike_are_quoted_as_one_list_for_a_which_question() -> None:
    text = (
        "Direktøren indstiller, at aftalen godkendes. Beslutning i Børne- og ungdomsudvalget den 21-11-2024 Tiltrådt. "
        "Beslutning i Voksen- og plejeudvalget den 27-11-2024 Tiltrådt. Borgmesteren deltog ikke."
    )
    quote = unit(text, "Hvilke udvalg har godkendt aftalen?", i=2)
    assert quote == (
        "Beslutning i Børne- og ungdomsudvalget den 21-11-2024 Tiltrådt.\n"
        "Beslutning i Voksen- og plejeudvalget den 27-11-2024 Tiltrådt."
    )
    assert unit(text, "Hvornår godkendte Voksen- og plejeudvalget aftalen?", i=2).startswith(
        "Beslutning i Voksen"
    )


def test_a_next_sentence_with_the_rest_of_the_question_is_quoted_along() -> None:
    text = (
        "Formændene deltog den 25. januar 2016 i Politikerkonferencen. "
        "Under overskriften Fra bruger til medborger drøftede de dilemmaer. Taksterne stiger ikke."
    )
    quote = completed(text, "Hvad var overskriften på politikerkonferencen?")
    assert quote.end == 1 and "overskriften Fra bruger til medborger" in quote.text
    assert completed(text, "Hvad var overskriften på politikerkonferencen?", position=1).end == 1


def test_a_list_that_opens_its_section_is_introduced_by_the_heading() -> None:
    def chunk(i: int, section: str, text: str) -> Chunk:
        return Chunk(f"c{i}", text, "d.txt", "D", "2023-24", "aftale", section, None, i, "h")

    annexes = chunk(
        0,
        "Bilag til Rammeaftale 2023-24",
        "1. Styringsaftale\n2. Udviklingsplan, Landsbyen Sølund\n3. Tilbudsviften",
    )
    tariffs = chunk(
        1,
        "Takstaftale",
        "Aftalen for rammeaftale 2023-24:\n1. Taksterne kan ikke stige\n2. Detaljer står i bilag 1",
    )
    index = LexicalIndex([annexes, tariffs])
    hits = [Hit(annexes, 1.0, 1, None, None), Hit(tariffs, 0.9, 2, None, None)]
    query = ExpandedQuery("Hvilke bilag hører til rammeaftale 2023-24?", (), {})
    chosen = choose_by_rule(score_candidates(query, hits, index, POLICY), index, POLICY)
    answer = quote_answer(query, hits, chosen, None)
    assert "Landsbyen Sølund" in answer.citations[0].quote
