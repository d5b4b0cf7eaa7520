"""What a question asks for, and which sentences state it (pure)."""

from __future__ import annotations

import pytest

from assistant.understanding.answer_types import AnswerShape, AnswerType, asks_office_holder, ruling


@pytest.mark.parametrize(
    "question, kind",
    [
        ("Hvornår trådte finansieringen i kraft?", AnswerType.DATE),
        ("When is the deadline for comments?", AnswerType.DATE),
        ("Hvor lang betalingsfrist er der?", AnswerType.DURATION),
        ("How long does the agreement run?", AnswerType.DURATION),
        ("How many places are there?", AnswerType.QUANTITY),
        ("Hvor tit mødes DASSOS?", AnswerType.FREQUENCY),
        ("Hvem sidder i DASSOS?", AnswerType.MEMBERS),
        ("mail til sekretariatet om takster", AnswerType.CONTACT),
        ("hvad er en standardtakst", AnswerType.DEFINITION),
        ("Er det obligatorisk at bruge guidelinen?", AnswerType.POLAR),
        ("Var der nogen, der ikke deltog?", AnswerType.POLAR),
        ("Did the committee approve it?", AnswerType.POLAR),
        ("Hvad er timeprisen for ledsagelse?", AnswerType.PRICE),
        ("Hvad koster en plads?", AnswerType.PRICE),
        ("Hvad er døgntaksten på Koglen i 2024?", AnswerType.PRICE),
        ("What is the tariff for a place at Landsbyen Sølund?", AnswerType.PRICE),
    ],
)
def test_question_cues(question: str, kind: AnswerType) -> None:
    assert kind in AnswerShape.of(question).types


def test_a_keyword_query_asks_for_the_overview_list() -> None:
    assert AnswerShape.of("udviklingsområder 2023-24").types == frozenset({AnswerType.LIST})


def test_an_open_question_asks_for_no_particular_kind() -> None:
    shape = AnswerShape.of("Beskriv kort hvordan udviklingsområderne hænger sammen med rammeaftalen")
    assert shape.types == frozenset()
    assert not shape.satisfied_by("Dette trådte i kraft 1. juli 2022.")


def test_a_conceptual_tariff_question_is_not_a_price_question() -> None:
    assert AnswerType.PRICE not in AnswerShape.of("Hvad indgår i taksten for et botilbud?").types


@pytest.mark.parametrize(
    "question, answering, other",
    [
        (
            "Hvornår trådte det i kraft?",
            "Dette trådte i kraft 1. juli 2022.",
            "Finansieringsmodellen er ændret.",
        ),
        (
            "Hvor lang er betalingsfristen?",
            "Fristen for betaling fastsættes til minimum 14 dage.",
            "Driftsherren sender afregninger.",
        ),
        (
            "Hvor ofte mødes styregruppen?",
            "Styregruppen mødes hvert kvartal.",
            "Styregruppen drøfter sagerne.",
        ),
        (
            "How long does the cooperation run?",
            "Samarbejdet løber frem til 30.06.2023.",
            "Skottenborg 26, 8800 Viborg",
        ),
        (
            "Hvor længe gælder aftalen?",
            "Aftalen gælder i udgangspunktet 3 år.",
            "Aftalen blev indgået i 2020 af 19 kommuner.",
        ),
        ("Hvem har underskrevet?", "Med venlig hilsen Torben Hansen", "med venlig hilsen"),
        ("Hvad er mailadressen?", "Mail: takst@viborg.dk", "Skriv til sekretariatet."),
        (
            "Hvem beslutter det, og hvornår?",
            "DASSOS beslutter på sit møde i august.",
            "Det besluttes løbende.",
        ),
        (
            "Hvem sidder i DASSOS?",
            "Forummet består af repræsentanter fra kommunerne.",
            "Samarbejdet i DASSOS kan følges online.",
        ),
        (
            "Is there a fixed process we must follow?",
            "Kommunerne tilrettelægger selv processen.",
            "Processen er beskrevet på side 2.",
        ),
        (
            "Who runs the coordination structure?",
            "Strukturen drives af Socialstyrelsen.",
            "Strukturen dækker det mest specialiserede område.",
        ),
        (
            "Hvem sidder i koordinationsforum?",
            "Et forum bestående af repræsentanter fra styregrupperne.",
            "Kommunerne har ansvaret for koordination.",
        ),
        (
            "Hvilke udviklingsområder er der?",
            "fokus på tre områder:\n1. Psykiatri\n2. Komplekse udfordringer",
            "1. Psykiatri",
        ),
    ],
)
def test_the_sentence_with_the_asked_for_fact_is_recognised(
    question: str, answering: str, other: str
) -> None:
    shape = AnswerShape.of(question)
    assert shape.satisfied_by(answering)
    assert not shape.satisfied_by(other)


@pytest.mark.parametrize(
    ("question", "without", "with_it", "label"),
    [
        (
            "Hvad koster en plads på et kvindekrisecenter?",
            "Kvindekrisecentre er omfattet.",
            "Taksten er 2.150 kr. pr. døgn.",
            "en pris",
        ),
        (
            "Hvad koster kaffen i kantinen?",
            "Kantinen har åbent hverdage.",
            "Kaffen koster fem kroner pr. kop.",
            "en pris",
        ),
        (
            "How many places does Koglen have?",
            "Koglen er en sikret institution (2017).",
            "Koglen har 12 pladser.",
            "et antal",
        ),
        (
            "Hvor mange udviklingsområder er der?",
            "Der er udviklingsområder i § 5.",
            "Der er tre områder.",
            "et antal",
        ),
        (
            "Hvornår er fristen for opgørelsen?",
            "Opgørelsen indsendes én gang årligt.",
            "Fristen er 1. marts 2024.",
            "en dato",
        ),
        (
            "Hvornår godkendte KKR aftalen?",
            "KKR godkendte Rammeaftale 2023-24.",
            "KKR godkendte den 19. november 2024.",
            "en dato",
        ),
        (
            "Hvor mange penge lægger regionen i projektet?",
            "Regionen deltager med 19 kommuner.",
            "Regionen bidrager med 3 mio. kr.",
            "et beløb",
        ),
        (
            "Hvor mange kommuner oplever en stigning?",
            "Kommunerne oplever en stigning.",
            "Næsten halvdelen af kommunerne oplever en stigning.",
            "et antal",
        ),
    ],
)
def test_a_demanded_fact_missing_from_every_quote_is_reported(
    question: str, without: str, with_it: str, label: str
) -> None:
    shape = AnswerShape.of(question)
    assert shape.unmet_demand([without]) == label
    assert shape.unmet_demand([without, with_it]) is None


def test_an_open_or_conditional_question_demands_nothing() -> None:
    for question in ("Hvornår kan man bruge en projekttakst?", "Hvad er opsigelsesvarslet?"):
        assert AnswerShape.of(question).unmet_demand(["Ingen tal her."]) is None


def test_a_price_change_is_no_price_demanded() -> None:
    """ "What price cut was required?" asks for a reduction ("minimum 2 pct."), not a price."""
    for question in ("What minimum price cut was required?", "Was there a cost increase in 2024?"):
        assert AnswerShape.of(question).unmet_demand(["Taksterne reduceres med minimum 2 pct."]) is None
    assert AnswerShape.of("What is the price of a place?").unmet_demand(["Ingen tal her."]) == "en pris"


def test_a_definition_is_recognised_by_its_opening_or_an_acronym_spelled_out() -> None:
    shape = AnswerShape.of("What is DASSOS?")
    spelled_out = "Den Administrative Styregruppe på Socialområdet (DASSOS) har besluttet …"
    assert shape.defines(spelled_out, ["styregrupp"], frozenset({"dassos"}), ["dassos"])
    assert not shape.defines(
        "Samarbejdet i DASSOS kan følges online.", ["samarbejd"], frozenset({"dassos"}), ["dassos"]
    )
    assert shape.defines(
        "Standardtakster: også kaldet gennemsnitstakst.",
        ["standardtakst"],
        frozenset({"standardtakst"}),
        ["standardtakst"],
    )


def test_a_count_must_count_what_the_question_counts() -> None:
    shape = AnswerShape.of("How many autism places will the region have?")
    assert "places" in shape.counted_words()
    counts_places = lambda word: word in {"pladser", "places"}  # noqa: E731 - what the question counts
    assert shape.unmet_demand(["De 19 kommuner har aftalt taksterne."], counts_places) == "et antal"
    assert shape.unmet_demand(["Regionen har 12 pladser til borgere med autisme."], counts_places) is None
    assert (
        shape.unmet_demand(["Der var 205 henvendelser om bekymrende forhold (pladser)."], counts_places)
        is None
    )


@pytest.mark.parametrize(
    ("question", "office"),
    [
        ("Hvem er formand for KKR Midtjylland i 2025?", True),
        ("Who is the chair of KKR in 2025?", True),
        ("Hvem godkender taksterne i 2025?", False),  # a rule, which may carry over
    ],
)
def test_a_question_for_who_held_an_office(question: str, office: bool) -> None:
    assert asks_office_holder(question) is office


def test_a_count_for_a_named_year_is_not_answered_by_another_years_count() -> None:
    shape = AnswerShape.of("Hvor mange whistleblows fik Socialtilsyn Midt i 2016?")
    assert (
        shape.unmet_demand(["Socialtilsyn Midt fik i 2015 205 henvendelser (whistleblows)."])
        == "et antal for 2016"
    )
    assert shape.unmet_demand(["I 2016 fik tilsynet 190 henvendelser."]) is None
    assert (
        AnswerShape.of("Må taksterne stige i 2026?").unmet_demand(["Taksterne kan ikke stige i 2025-26."])
        is None
    )


def test_an_office_holder_must_hold_the_office_of_the_body_asked_about() -> None:
    shape = AnswerShape.of("Hvem er formand for DASSOS?")
    assert (
        shape.unmet_demand(["Torben Hansen, Formand for KKR Midtjylland"]) == "hvem der er formand for DASSOS"
    )
    assert shape.unmet_demand(["DASSOS ledes af formand Anne Jensen."]) is None
    assert shape.unmet_demand(["DASSOS mødes fire gange om året."]) == "hvem der er formand for DASSOS"
    # The documents are Danish: an English office title is not looked for, only the body.
    assert (
        AnswerShape.of("Who is the chair of DASSOS?").unmet_demand(["DASSOS ledes af Anne Jensen."]) is None
    )


@pytest.mark.parametrize(
    ("question", "quote", "verdict"),
    [
        ("Må taksterne stige i 2024?", "1. Taksterne kan ikke stige i perioden", "Nej"),
        (
            "Skal der laves betalingsaftale om grundtaksten?",
            "Der skal ikke indgås betalingsaftale omkring den grundtakst.",
            "Nej",
        ),
        ("Kan en beboer købe ledsagelse med på ferie?", "Døgntilbud kan tilbyde tilkøb af ledsagelse.", "Ja"),
        # a modal about something else does not rule on the question
        (
            "Kan takstaftalen forlænges?",
            "Taksterne kan ikke stige. Aftalen gælder med mulighed for forlængelse.",
            None,
        ),
        ("Er taksterne endelige?", "Taksterne betragtes som endelige.", None),  # "er" rules on nothing
        (
            "Må man ikke opkræve moms?",
            "Der kan ikke opkræves moms.",
            None,
        ),  # a negated question: no bare yes/no
        ("Hvad er opsigelsesvarslet?", "Opsigelsesvarslet er løbende måned plus én måned.", None),
    ],
)
def test_ruling_on_a_yes_no_question(question: str, quote: str, verdict: str | None) -> None:
    assert ruling(AnswerShape.of(question), quote) == verdict
