"""Calculator intent and inputs, read from a question's words: which calculator it asks for, and
the date, amounts and target group it gives. Conservative: a question is a calculation only when
it carries the inputs to compute ("Hvad er opsigelsesvarslet?" has no date and goes to retrieval).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.understanding.parsing import (
    AmountMention,
    DateMention,
    find_amounts,
    find_dates,
    looks_like_year,
)

Intent = Callable[[], bool]

_NOTICE_WORDS = re.compile(
    r"opsig|opsagt|udskriv|\bdød|\bdøde\b|\bdør\b|dødsfald|afgik ved døden|sidste betalingsdag|betalingen stop"
    r"|stopper betalingen|ophører betalingen|betale til og med"
    r"|\bnotice\b|terminat|\bdied\b|passed away|\bdeath\b|last (?:paid )?day|payment stop|do we pay",
    re.IGNORECASE,
)
_DEATH_WORDS = re.compile(
    r"\bdød|\bdøde\b|\bdør\b|dødsfald|afgik ved døden|\bdied\b|passed away|\bdeath\b|deceased", re.IGNORECASE
)
_OBJECTIVE40 = re.compile(r"§\s*40|objektivt finansier", re.IGNORECASE)
_CHECK_WORDS = re.compile(
    r"takstaftale|overhold|lever\w* op til|må taksten stige|stiger taksten|tariff agreement|complian",
    re.IGNORECASE,
)
_TARIFF_WORDS = re.compile(r"takst|tarif", re.IGNORECASE)
# Split clauses on commas except inside numbers ("9,5 mio.", "850,000 DKK").
_SEGMENT_SPLIT = re.compile(r",(?!\d)|(?<!\d),|;|\?|\s+og\s+|\s+samt\s+|\s+and\s+|\s+[—–-]\s+", re.IGNORECASE)
_PERIOD_RANGE = re.compile(r"(?<!\d)(?:19|20)\d\d\s*[-–/]\s*(?:(?:19|20)\d\d|\d\d)(?!\d)")
_YEAR = re.compile(r"(?<![\d.,])(19[9]\d|20\d\d)(?![\d.,]\d)")

# Order matters: the first keyword found in a segment decides what its amount is.
_AMOUNT_FIELDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("tjm_salaries", re.compile(r"tjenestem", re.IGNORECASE)),
    ("depreciation", re.compile(r"afskriv", re.IGNORECASE)),
    ("rent", re.compile(r"husleje|\bleje", re.IGNORECASE)),
    ("asset_value", re.compile(r"grund|bygning|inventar|ejendom", re.IGNORECASE)),
    ("deficit", re.compile(r"underskud", re.IGNORECASE)),
    ("surplus", re.compile(r"overskud", re.IGNORECASE)),
    ("direct_operating_costs", re.compile(r"drift|udgift|omkostning|budget|operating|costs", re.IGNORECASE)),
)
_PCT_FIELDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("interest_rate_pct", re.compile(r"rente|forrentning|diskonto", re.IGNORECASE)),
    ("occupancy_pct", re.compile(r"belægning", re.IGNORECASE)),
    ("admin_pct", re.compile(r"administration", re.IGNORECASE)),
)
_TARGET_GROUP_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("forsorgshjem_krisecenter", re.compile(r"forsorgshjem|krisecent", re.IGNORECASE)),
    ("boern_unge", re.compile(r"\bbørn|\bunge\b|ungeområde|children|\byoung", re.IGNORECASE)),
    ("voksne", re.compile(r"voks(?:e|n)|\badults?\b", re.IGNORECASE)),
)


@dataclass(frozen=True)
class NoticeRequest:
    """The notice calculator's inputs: the first date named, and what ended the stay."""

    date: DateMention
    death: bool
    place_type: str  # "objective40" | "ordinary"


@dataclass(frozen=True)
class TariffRequest:
    """The tariff calculator's inputs, each amount assigned by the keyword in its clause."""

    values: dict[str, float] = field(default_factory=dict)
    target_group: str | None = None


@dataclass(frozen=True)
class CheckRequest:
    """A tariff per year, for the tariff-agreement check."""

    tariffs: dict[int, float]


Calculation = NoticeRequest | TariffRequest | CheckRequest


def read_calculation(question: str, means_notice: Intent | None = None) -> Calculation | None:
    """The calculation a question asks for with its inputs, or None for a question to retrieval.
    ``means_notice`` tells, by meaning, whether a question without the notice keywords asks for the
    last paid day (assistant/understanding/intent.py); it is only consulted when the question
    carries a date."""
    if not isinstance(question, str) or not question.strip():
        return None
    dates = find_dates(question)
    if dates and (_NOTICE_WORDS.search(question) or (means_notice is not None and means_notice())):
        death = bool(_DEATH_WORDS.search(question))
        return NoticeRequest(dates[0], death, "objective40" if _OBJECTIVE40.search(question) else "ordinary")
    # Tariffs for two or more years are a development to check, not a budget to compute.
    if _CHECK_WORDS.search(question) or _TARIFF_WORDS.search(question):
        pairs = year_tariff_pairs(question)
        if len(pairs) >= 2:
            return CheckRequest(pairs)
    if _TARIFF_WORDS.search(question) and not _CHECK_WORDS.search(question):
        amounts = [
            a for a in find_amounts(question) if not looks_like_year(a) and a.unit in ("kr", "pladser")
        ]
        if amounts:
            return _tariff_request(question)
    return None


def _tariff_request(question: str) -> TariffRequest:
    values: dict[str, float] = {}
    for segment in _segments(question):
        _read_segment(segment, values)
    return TariffRequest(values, next((g for g, p in _TARGET_GROUP_WORDS if p.search(question)), None))


def _segments(question: str) -> list[str]:
    return [s for s in _SEGMENT_SPLIT.split(_PERIOD_RANGE.sub(" ", question)) if s]


def _read_segment(segment: str, values: dict[str, float]) -> None:
    for amount in find_amounts(segment):
        if looks_like_year(amount):
            continue
        if amount.unit == "pladser":
            values.setdefault("places", amount.value)
        elif amount.unit == "pct":
            key = next((k for k, p in _PCT_FIELDS if p.search(segment)), None)
            if key:
                values.setdefault(key, amount.value)
        else:
            _assign_amount(segment, amount, values)


def _assign_amount(segment: str, amount: AmountMention, values: dict[str, float]) -> None:
    if amount.unit is None and amount.value < 100:
        return  # a bare small number ("24") is no amount of money
    key = next((k for k, p in _AMOUNT_FIELDS if p.search(segment)), None)
    if key in ("deficit", "surplus"):
        values.setdefault("prior_result", -amount.value if key == "deficit" else amount.value)
    elif key is not None:
        values.setdefault(key, amount.value)


def year_tariff_pairs(question: str) -> dict[int, float]:
    """{year: tariff} from clauses such as '1.000 kr. i 2023', '2024: 1.050 kr.' or 'fra X i 2021 til Y i 2022'.

    Within a clause, years and amounts are paired in order when their counts agree.
    """
    pairs: dict[int, float] = {}
    for segment in _segments(question):
        years = [int(m.group(1)) for m in _YEAR.finditer(segment)]
        amounts = [
            a
            for a in find_amounts(segment)
            if not looks_like_year(a) and (a.unit == "kr" or (a.unit is None and a.value >= 100))
        ]
        if years and len(years) == len(amounts):
            for year, amount in zip(years, amounts):
                pairs.setdefault(year, amount.value)
    return pairs
