"""What kind of fact a question asks for, and whether a sentence states one.

"Hvornår …?" wants a date, "hvor lang …?" a duration, "hvem …?" a person or body, "hvor ofte …?"
a frequency. Word overlap alone picks the sentence that repeats the question's words; the sentence
that answers often shares fewer of them ("Fristen for betaling fastsættes til minimum 14 dage").
Quote selection therefore prefers sentences that carry the asked-for kind of fact, and a question
that asks for a price or a date the passages do not state is not answered with a passage that merely
shares its words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from assistant.understanding.danish import STOPWORDS, stem
from core.dates import month_pattern
from core.periods import range_end


class AnswerType(Enum):
    DATE = "date"
    QUANTITY = "quantity"  # a number: amount, share, count
    DURATION = "duration"  # "hvor længe/how long": a span of time, or the date it runs until
    PRICE = "price"  # a money amount for a named offer or service
    FREQUENCY = "frequency"
    PERSON = "person"  # a named person, body or role
    MEMBERS = "members"  # "hvem sidder i …?": what a body is made up of
    CONTACT = "contact"  # an e-mail address, phone number or web address
    DEFINITION = "definition"  # "hvad er/betyder X", "what is X"
    POLAR = "polar"  # a yes/no question: the sentence that rules on it
    LIST = "list"  # "hvilke …?": a list of items


_MONTHS = month_pattern()
_DATE = re.compile(
    rf"\b\d{{1,2}}\.?\s*(?:{_MONTHS})\b|\b(?:{_MONTHS})\s+\d{{4}}\b|\b\d{{1,2}}[-./]\d{{1,2}}[-./]\d{{2,4}}\b"
    rf"|\b(?:19|20)\d\d\b|\b(?:i|fra|til|senest|inden|primo|ultimo|medio) (?:{_MONTHS})\b",
    re.IGNORECASE,
)
_QUANTITY = re.compile(
    r"\d+(?:[.,]\d+)*\s*(?:%|pct|procent|dage|dag|uger|måned|måneder|år|kr|mio|mia|pladser|timer)\b"
    r"|\d+(?:[.,]\d+)*\s*%|\b\d+(?:[.,]\d+)?\b(?!\.\s)",
    re.IGNORECASE,
)
# Small amounts are written in words as often as in digits ("tre måneder", "fem kroner").
_NUMBER_WORD = r"(?:en|et|to|tre|fire|fem|seks|syv|otte|ni|ti|tolv|fjorten)"
_DURATION = re.compile(
    rf"\b(?:\d+|{_NUMBER_WORD})\s+(?:løbende\s+|hele\s+)?"
    r"(?:hverdage|dage|dag|døgn|uger|uge|måneder|måned|år|timer|kvartaler)\b"
    rf"|\b(?:frem til|indtil|til og "
    rf"med|udløber)\b[^.]{{0,30}}(?:\d{{1,2}}[-./]\d{{1,2}}[-./]\d{{2,4}}|(?:{_MONTHS})|\b20\d\d\b)",
    re.IGNORECASE,
)
_MONEY = re.compile(
    rf"\d[\d.,]*\s*(?:kr\b|kroner|mio|mia|dkk)|\bkr\.?\s*\d|\b{_NUMBER_WORD}\s+(?:kroner|krone)\b",
    re.IGNORECASE,
)
_FREQUENCY = re.compile(
    r"\bhver(?:t|e)?\b|\bårlig|\bkvartal|\bmånedlig|\bhalvårlig|\bløbende\b|\bgang(?:e)? om\b|\bdagligt?\b",
    re.IGNORECASE,
)
_CONTACT = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.]+|\bhttps?://\S+|\bwww\.\S+|\b(?:tlf\.?|telefon)\s*[\d ]{8,}", re.IGNORECASE
)
# Two capitalised words in a row (a name), a role word (also inside a compound: socialdirektørerne)
# or a named authority.
_PERSON = re.compile(
    r"\b[A-ZÆØÅ][a-zæøå]+\s+[A-ZÆØÅ][a-zæøå]+\b"
    r"|(?i:\w*(?:driftsherre|leder|direktør|borgmester|formand|styregrupp|byråd|regionsråd|kommunerne"
    r"|repræsentant|medlem|embedsm)\w*)"
    r"|\b[A-ZÆØÅ]\w*(?:styrelsen|ministeriet|tilsyn|rådet|udvalget|sekretariatet)\b",  # an authority: Socialstyrelsen
)
_LIST_ITEMS = re.compile(r"(?m)^(?:\d{1,2}\.|•)\s+\S.*\n(?:\d{1,2}\.|•)\s+\S")
_BODY = re.compile(r"\b[A-ZÆØÅ]{3,}\b")  # KKR, DASSOS, PLO
# A ruling: a negation, an explicit permission or duty word ("kan ikke", "frivilligt", "krav"), or
# the parties deciding for themselves.
_POLAR = re.compile(
    r"\bikke\b|\bingen\b|\bfrivillig\w*|\bobligatorisk\w*|\btilladt\b|\bforbudt\b|\bkræve\w*|\bkrav\b"
    # "… tilrettelægger selv": no fixed rule
    r"|\b(?:bestemmer|beslutter|tilrettelægger|vælger|afgør|fastlægger) selv\b",
    re.IGNORECASE,
)

_PRICE_CUE = re.compile(
    # An English open compound names a change, not a price ("a price cut" is Danish "en
    # prisnedsættelse", which "pris" does not match either).
    r"(?i:\b(?:timepris\w*|pris(?:en)?|koste\w*|how much does|price|cost)\b"
    r"(?!\s+(?:cut|increase|rise|reduction|drop|change|freeze|cap|development)s?\b))"
    r"|(?:taksten|the tariff|the rate) (?:for|på|at|of) (?:en |et |a |the )?(?:plads (?:på|i) |place at )?[A-ZÆØÅ]"
)

_QUESTION_CUES: tuple[tuple[AnswerType, re.Pattern[str]], ...] = (
    (
        AnswerType.CONTACT,
        re.compile(
            r"\b(?:e-?mail\w*|mail\w*|adresse\w*|kontakt\w*|telefon\w*|hjemmeside\w*|website|link\w*)\b", re.I
        ),
    ),
    (AnswerType.PRICE, _PRICE_CUE),
    (AnswerType.FREQUENCY, re.compile(r"\bhvor (?:ofte|tit)\b|\bhow often\b", re.I)),
    (
        AnswerType.DATE,
        re.compile(r"\bhvornår\b|\bwhen\b|\bhvilken dato\b|\bwhat date\b|\bdeadline\b|\bi kraft\b", re.I),
    ),
    (AnswerType.DURATION, re.compile(r"\bhvor (?:lang|længe)\b|\bhow long\b", re.I)),
    (
        AnswerType.QUANTITY,
        re.compile(
            r"\bhvor (?:mange|meget|stor|høj)\b|\bhow (?:many|much|high)\b|\bprocent\w*|\bpercent\w*"
            r"|\bbetalingsfrist\w*|\bvarsel\b|\bopsigelsesvarsel\w*|\bbelægningsprocent\w*|\boccupancy\b",
            re.I,
        ),
    ),
    (
        AnswerType.MEMBERS,
        re.compile(
            r"\bhvem (?:sidder|er med|deltager|består)\b|\bwho (?:sits|is on|are on|are the members)\b|\bmembers? of\b"
            r"|\bsammensætning\w*",
            re.I,
        ),
    ),
    (AnswerType.PERSON, re.compile(r"\bhvem\b|\bwho\b|\bhvilke parter\b", re.I)),
    (AnswerType.LIST, re.compile(r"\bhvilke\b|\bwhat are the\b|\bwhich \w+s\b|\blist\b", re.I)),
    (
        AnswerType.DEFINITION,
        re.compile(
            r"^\s*(?:hvad (?:er|betyder|menes med|forstås ved)|what (?:is|are|does .* mean)|define)\b"
            r"|\bforskel(?:len)? (?:på|mellem)\b|\bdifference between\b",
            re.I,
        ),
    ),
    (
        AnswerType.POLAR,
        re.compile(
            r"^\s*(?:er|var|kan|kunne|må|måtte|skal|skulle|har|havde|gælder|gjaldt|bliver|blev|får|fik"
            r"|is|are|was|were|can|could|may|must|does|do|did|should|will|had)\b",
            re.I,
        ),
    ),
)

_SENTENCE_FEATURES: dict[AnswerType, re.Pattern[str]] = {
    AnswerType.DATE: _DATE,
    AnswerType.QUANTITY: _QUANTITY,
    AnswerType.DURATION: _DURATION,
    AnswerType.PRICE: _MONEY,
    AnswerType.FREQUENCY: _FREQUENCY,
    AnswerType.PERSON: _PERSON,
    AnswerType.CONTACT: _CONTACT,
    AnswerType.POLAR: _POLAR,
    AnswerType.LIST: _LIST_ITEMS,
    # "består af repræsentanter fra …", "et samarbejde mellem …", "hvor socialdirektørerne … mødes"
    AnswerType.MEMBERS: re.compile(
        r"\bbestå\w* af\b|\bsammensat af\b|\bmedlem\w*|\brepræsentant\w*|\bdeltager\w*|\bsamarbejde\w* "
        r"mellem\b|\bmødes\b",
        re.I,
    ),
}

# A number that is not a year, a paragraph number or a list item's or date's ordinal ("4. …", "19. november"),
# in digits or words: "20 driftsherrer", "tre områder".
_COUNT = re.compile(
    r"(?<![§\d.,])(?<!§ )\b(?!(?:19|20)\d\d\b)\d+(?:[.,]\d+)?\b(?!\.\s)"  # "4. Udviklingsplan …" numbers an item
    r"|\b(?:to|tre|fire|fem|seks|syv|otte|ni|ti|elleve|tolv|tyve|hundrede|two|three|four|five|six|ten)\b"
    # "næsten halvdelen af kommunerne"
    r"|\b(?:halvdel|flertal|hovedpart|størstedel|mindretal|tredjedel|fjerdedel)\w*|\b(?:alle|ingen)\b",
    re.IGNORECASE,
)
_FULL_DATE = re.compile(
    rf"\b\d{{1,2}}\.?\s*(?:{_MONTHS})\b|\b\d{{1,2}}[-./]\d{{1,2}}[-./]\d{{2,4}}\b", re.IGNORECASE
)
_EVENT_DATE = re.compile(
    rf"{_FULL_DATE.pattern}|\b(?:{_MONTHS})\s+\d{{4}}\b", re.IGNORECASE
)  # or "november 2024"


@dataclass(frozen=True)
class Demand:
    """A fact the question cannot be answered without: a quote lacking it is no answer."""

    label: str  # Danish, for the note: "Dokumenterne angiver ikke {label} …"
    cue: re.Pattern[str]  # in the question
    fact: re.Pattern[str]  # in the quote


_COUNT_CUE = re.compile(r"\bhvor mange\b(?! (?:penge|kroner)\b)|\bhow many\b", re.I)
_AMOUNT_CUE = re.compile(r"\bhvor mange (?:penge|kroner)\b|\bhow much money\b", re.I)
COUNT_DEMAND = Demand("et antal", _COUNT_CUE, _COUNT)
# "hvor mange pladser …", "how many autism places …": the words that name what is counted.
_COUNTED = re.compile(r"\b(?:hvor mange|how many)\s+([^\W\d_]+(?:[\s-]+[^\W\d_]+){0,2})", re.I)
COUNT_REACH = 4  # content words after a number that may name what it counts ("12 pladser", "tre nye områder")

DEMANDS: tuple[Demand, ...] = (
    Demand("en pris", _PRICE_CUE, _MONEY),
    Demand("et beløb", _AMOUNT_CUE, _MONEY),
    COUNT_DEMAND,
    Demand(
        "en dato",
        re.compile(
            r"\b(?:hvornår|when)\b.*\b(?:frist\w*|deadline|næste|next)\b|\b(?:hvilken dato|what date)\b", re.I
        ),
        _FULL_DATE,
    ),
    # When a body decided something: the day or month it did ("godkendt i KKR den 19. november 2024").
    Demand(
        "en dato",
        re.compile(
            r"\b(?:hvornår|when)\b.*\b(?:godkend\w*|vedt[ao]g\w*|besluttede|underskrev\w*|behandlede|approv\w*|signed|adopted)\b",
            re.I,
        ),
        _EVENT_DATE,
    ),
)


@dataclass(frozen=True)
class AnswerShape:
    """The kinds of fact a question asks for (usually one, empty when the question is open)."""

    types: frozenset[AnswerType]
    question: str = ""

    @classmethod
    def of(cls, question: str) -> AnswerShape:
        kinds = frozenset(kind for kind, cue in _QUESTION_CUES if cue.search(question))
        if AnswerType.MEMBERS in kinds:  # any role word is a "who"; only a make-up answers "who sits in"
            kinds -= {AnswerType.PERSON}
        if not kinds and _is_keyword_query(question):
            kinds = frozenset({AnswerType.LIST})  # "udviklingsområder 2023-24": the overview is the list
        return cls(kinds, question)

    def satisfied_by(self, sentence: str) -> bool:
        """Whether the sentence states a fact of an asked-for kind (False for an open question)."""
        if AnswerType.PERSON in self.types and self._names_a_body(sentence):
            return True
        return any(
            kind in _SENTENCE_FEATURES and _SENTENCE_FEATURES[kind].search(sentence) for kind in self.types
        )

    def _names_a_body(self, sentence: str) -> bool:
        """A body named by its acronym answers "hvem beslutter …?" ("DASSOS beslutter …"). When the
        question names a body itself ("Hvem sidder i DASSOS?") it asks for people, not a body."""
        return not _BODY.search(self.question) and bool(_BODY.search(sentence))

    def unmet_demand(self, quotes: list[str], counts: Callable[[str], bool] | None = None) -> str | None:
        """The label of a fact the question demands ("et antal" for "hvor mange …?") that none of
        the quotes states, or None. Quoting passages that share the question's words but not the
        number, price or date asked for would look like an answer and is not one.

        ``counts`` tells whether a word names what "hvor mange X" counts: then the number must
        count it ("19 kommuner" does not answer "how many autism places")."""
        year = _single_year(self.question)
        for demand in DEMANDS:
            if not demand.cue.search(self.question):
                continue
            stating = [
                q
                for q in quotes
                if (_counts_it(q, counts) if demand is COUNT_DEMAND and counts else demand.fact.search(q))
            ]
            # "… i 2016?" is not answered by "i 2015 fik Socialtilsyn Midt 205 henvendelser".
            if year is not None:
                stating = [q for q in stating if not (named := _years_named(q)) or year in named]
            if not stating:
                return demand.label + (f" for {year}" if year is not None else "")
        if (office := _OFFICE_OF.search(self.question)) and not any(
            _names_office(quote, office) for quote in quotes
        ):
            return (
                f"hvem der er {office.group(1).lower()} for {office.group(2)}"  # KKR's chair is not DASSOS's
            )
        return None

    def counted_words(self) -> list[str]:
        """The words after "hvor mange"/"how many" that name what is counted."""
        return [
            w.lower()
            for match in _COUNTED.finditer(self.question)
            for w in re.split(r"[\s-]+", match.group(1))
            if w
        ]

    def defines(
        self, sentence: str, opening_terms: list[str], subject_terms: frozenset[str], subject_words: list[str]
    ) -> bool:
        """A definition question is answered by a sentence that opens with the asked-about term,
        spells out an acronym ("Den Administrative Styregruppe … (DASSOS)") or says "også kaldet"."""
        if AnswerType.DEFINITION not in self.types or not subject_terms:
            return False
        if set(opening_terms) & subject_terms:
            return True
        for word in subject_words:
            w = re.escape(word)
            if re.search(
                rf"\({w}\)|\b{w}\s+\(|\b{w}\b[^.]{{0,40}}\b(?:også kaldet|defineres|betyder|forstås)",
                sentence,
                re.I,
            ):
                return True
        return False


_DANISH_OFFICES = ("formand", "næstformand", "borgmester", "direktør", "chef")
_OFFICES = "|".join((*_DANISH_OFFICES, "chair", "vice-chair", "mayor", "director", "head"))
_OFFICE_HOLDER = re.compile(
    rf"\b(?:hvem (?:er|var|bliver)|who (?:is|was|will be))\b.{{0,30}}?\b(?:{_OFFICES})\w*\b", re.IGNORECASE
)
# "formand for DASSOS", "chair of KKR": the office and the body it belongs to.
_OFFICE_OF = re.compile(rf"\b({_OFFICES})\w*\s+(?:for|i|of)\s+(?:the\s+)?([A-ZÆØÅ]{{2,}}\b|[A-ZÆØÅ]\w+)")


def _names_office(quote: str, office: re.Match) -> bool:
    """Whether a quote names the office asked about: the body always ("KKR"), and the office
    itself when the question names it in Danish, the documents' language ("KKR Midtjylland vil
    behandle aftalen" says nothing of who chairs KKR)."""
    title, body = office.group(1).lower(), office.group(2)
    return body in quote and (title not in _DANISH_OFFICES or title in quote.lower())


def asks_office_holder(question: str) -> bool:
    """ "Hvem er formand for KKR i 2025?": who held an office then. Unlike a rule, that does not
    carry over from another period's documents."""
    return bool(_OFFICE_HOLDER.search(question))


_YEARS = re.compile(r"(?<![\w.,])((?:19|20)\d\d)(?:\s*[-–/]\s*((?:19|20)?\d\d))?(?!\w|[.,]\d)")


def _years_named(text: str) -> set[int]:
    """Calendar years a text names, a range ("2025-26", "2019-2022") counting for each year in it."""
    years: set[int] = set()
    for match in _YEARS.finditer(text):
        start = int(match.group(1))
        end = match.group(2)
        stop = start if end is None else range_end(start, end)
        years.update(range(start, stop + 1) if 0 <= stop - start <= 8 else (start,))
    return years


def _single_year(question: str) -> int | None:
    """The one calendar year a question names on its own ("i 2016"), not as a period range."""
    matches = list(_YEARS.finditer(question))
    return int(matches[0].group(1)) if len(matches) == 1 and matches[0].group(2) is None else None


def _counts_it(quote: str, counts: Callable[[str], bool]) -> bool:
    """A number in the quote followed, within a few words, by a word naming what is counted."""
    for match in _COUNT.finditer(quote):
        words = re.findall(r"[^\W\d_]+", quote[match.end() : match.end() + 100].lower())
        following = [word for word in words if word not in STOPWORDS][:COUNT_REACH]
        if any(counts(word) for word in following):
            return True
    return False


def _is_keyword_query(question: str) -> bool:
    """A few search words typed without a question ("takstaftale 2023-24")."""
    return "?" not in question and len(question.split()) <= 4


# A yes/no question opening with a modal ("Må taksterne stige …?", "Skal der laves …?") is ruled on by
# a sentence with a modal followed closely by one of the question's own words ("Taksterne kan ikke
# stige"); the ruling is "Nej" when a negation sits between them. "Er …?" questions are left alone:
# "er" is in too many sentences to rule on anything.
_NEGATION = re.compile(r"\b(?:ikke|ingen|intet|aldrig|hverken)\b", re.IGNORECASE)
_MODALS = frozenset({"må", "kan", "skal"})
_RULING_VERBS = {**{modal: _MODALS for modal in _MODALS}, "gælder": frozenset({"gælder"})}
_RULING_REACH = 5  # words after the modal in which the question's word and a negation belong to it


def ruling(shape: AnswerShape, quote: str) -> str | None:
    """ "Ja" or "Nej" when the quote rules on a Danish yes/no question; None when it does not, or
    when the question is itself negated ("Var der nogen, der ikke …?") and a bare yes/no would mislead."""
    if AnswerType.POLAR not in shape.types or _NEGATION.search(shape.question):
        return None
    words = re.findall(r"[^\W\d_]+", shape.question.lower())
    verbs = _RULING_VERBS.get(words[0] if words else "")
    if verbs is None:
        return None
    asked = {stem(w) for w in words[1:] if w not in STOPWORDS and len(w) > 2}
    for sentence in re.split(r"(?<=[.!?])\s+|\n", quote):
        tokens = re.findall(r"[^\W\d_]+", sentence.lower())
        for i, token in enumerate(tokens):
            after = tokens[i + 1 : i + 1 + _RULING_REACH]
            if token in verbs and any(stem(w) in asked for w in after):
                return "Nej" if any(_NEGATION.fullmatch(w) for w in after) else "Ja"
    return None
