"""Find Danish dates and amounts in free text. Pure; never raises on arbitrary input.

Caseworkers write "15. marts 2024", "15/3-2024", "15.3.2024", "2024-03-15" or "15. mar. 2024", and
amounts as "9,5 mio.", "9.500.000 kr.", "750.000", "1,2 mia" – Danish separators throughout, so a
'.' is a thousands separator and ',' the decimal comma.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from core.dates import month_numbers, month_pattern, year_for

_MONTH_NAMES = month_pattern()

_ISO = re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)")
_NAMED = re.compile(
    rf"(?<!\d)(?P<d>\d{{1,2}})\.?\s*(?P<m>{_MONTH_NAMES})\.?\s*(?P<y>\d{{4}})(?!\d)", re.IGNORECASE
)
# 15/3-2024, 15/3 2024, 15.3.2024, 15-3-2024, 15/03/2024, 15.3.24
_NUMERIC = re.compile(r"(?<![\d.,])(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./\- ](?P<y>\d{4}|\d{2})(?!\d|,\d|\.\d)")
# "den 10. marts", "10 March": a day and month without a year (tried after the patterns with one)
_NAMED_NO_YEAR = re.compile(rf"(?<![\d.])(?P<d>\d{{1,2}})\.?\s*(?P<m>{_MONTH_NAMES})\b\.?", re.IGNORECASE)


@dataclass(frozen=True)
class DateMention:
    """A date-like span in text; ``value`` is None when it names no real day (31. februar)."""

    raw: str
    start: int
    end: int
    value: date | None
    year_assumed: bool = False  # written without a year; ``value`` has the one core.dates.year_for chose


def find_dates(text: str, today: date | None = None) -> list[DateMention]:
    """All date mentions in order of appearance (invalid calendar dates included, value None).
    A day and month without a year get the year ``core.dates.year_for`` chooses from ``today``."""
    if not isinstance(text, str):
        return []
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in (_ISO, _NAMED, _NUMERIC, _NAMED_NO_YEAR):
        for match in pattern.finditer(text):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            taken.append(match.span())
            if pattern is _NAMED_NO_YEAR:
                value = year_for(
                    int(match.group("d")), month_numbers()[match.group("m").lower()], today or date.today()
                )
                found.append(DateMention(match.group(0).rstrip("."), match.start(), match.end(), value, True))
            else:
                found.append(DateMention(match.group(0), match.start(), match.end(), _to_date(match)))
    return sorted(found, key=lambda m: m.start)


def parse_date(text: str) -> date | None:
    """The first valid date in ``text``, or None."""
    return next((m.value for m in find_dates(text) if m.value is not None), None)


def _to_date(match: re.Match[str]) -> date | None:
    month_text = match.group("m")
    month = month_numbers().get(month_text.lower()) if month_text.isalpha() else int(month_text)
    year = int(match.group("y"))
    if year < 100:
        year += 2000
    try:
        return date(year, month or 0, int(match.group("d")))
    except ValueError:
        return None


# --- amounts ---------------------------------------------------------------------------------------

_SCALES = {
    "mio": 1e6,
    "million": 1e6,
    "millioner": 1e6,
    "mia": 1e9,
    "milliard": 1e9,
    "milliarder": 1e9,
    "t.kr": 1e3,
    "tkr": 1e3,
    "tusind": 1e3,
}
_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3})+(?![\d.])|\d+(?:,\d+)?"
_AMOUNT = re.compile(
    rf"(?<![\d.,])(?P<num>{_NUMBER})(?![\d])"
    r"(?:\s*(?P<scale>mio|millioner|million|mia|milliarder|milliard|t\.\s?kr|tkr|tusind)\b\.?)?"
    r"(?:\s*(?P<unit>kr\b\.?|kroner\b|dkk\b|pladser\b|plads\b|places\b|%|pct\b\.?|procent\b))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AmountMention:
    """A number in text with its scale applied; ``unit`` is 'kr', 'pladser', 'pct' or None."""

    raw: str
    start: int
    end: int
    value: float
    unit: str | None


def find_amounts(text: str) -> list[AmountMention]:
    """Every number in ``text`` that is not part of a date, with scale ('mio', 'mia') applied."""
    if not isinstance(text, str):
        return []
    date_spans = [(m.start, m.end) for m in find_dates(text)]
    found: list[AmountMention] = []
    for match in _AMOUNT.finditer(text):
        if any(a <= match.start() < b for a, b in date_spans):
            continue
        mention = _to_amount(match)
        if mention is not None:
            found.append(mention)
    return found


def parse_amount(text: str) -> float | None:
    """The first amount in ``text`` ("9,5 mio." -> 9500000.0), or None."""
    amounts = find_amounts(text)
    return amounts[0].value if amounts else None


_ENGLISH_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")


def _to_amount(match: re.Match[str]) -> AmountMention | None:
    text = match.group("num")
    if _ENGLISH_THOUSANDS.fullmatch(text) and not match.group("scale"):
        text = text.replace(",", ".")  # "850,000 DKK": an English thousands separator, not a decimal comma
    number = text.replace(".", "").replace(",", ".")
    try:
        value = float(number)
    except ValueError:
        return None
    scale = (match.group("scale") or "").lower().replace(" ", "")
    value *= _SCALES.get(scale, 1.0)
    unit_text = (match.group("unit") or "").lower().rstrip(".")
    unit = {
        "kr": "kr",
        "kroner": "kr",
        "dkk": "kr",
        "pladser": "pladser",
        "plads": "pladser",
        "places": "pladser",
        "%": "pct",
        "pct": "pct",
        "procent": "pct",
    }.get(unit_text)
    if unit is None and scale:
        unit = "kr"  # "9,5 mio." in a question about money means kroner
    raw = match.group(0).rstrip()
    return AmountMention(raw, match.start(), match.start() + len(raw), value, unit)


def looks_like_year(mention: AmountMention) -> bool:
    """A bare four-digit number such as 2024 with no unit or separators is a year, not an amount."""
    return (
        mention.unit is None
        and mention.raw.isdigit()
        and len(mention.raw) == 4
        and 1990 <= mention.value <= 2100
    )
