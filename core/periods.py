"""Agreement periods: the grammar of their names, and the calendar of the periods the product knows.

The Rammeaftaler ran yearly until 2018 and in two-year periods from 2019 ("2019-20", "2021-22",
…); 2017 is the earliest in the documents. That scheme is the grammar here: any year maps to its
period by arithmetic, so a new agreement ("2027-28") needs no code change. Which periods exist is
data, not code: a :class:`PeriodCalendar` is built from the manifest, the rules file and the
documents in the index (``assistant.periods.load_calendar``) and passed to whatever parses
questions, fills a filter or looks a date up. Questions name years ("i 2024"), periods
("2023-24", "2023-2024") or agreements ("2017-aftalen"); a calendar maps them to the periods it knows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

FIRST_YEARLY = 2017  # the earliest agreement in the documents; yearly agreements before 2019
FIRST_TWO_YEAR = 2019  # two-year periods from here on, each starting in an odd year

# "2023-24", "2023-2024", "2023 – 2024", "2023/24"; a year inside a name ("DK2020") is no period.
_RANGE = re.compile(r"(?<!\w)(20\d\d)\s*[-–/]\s*(20\d\d|\d\d)(?!\d)")
_YEAR = re.compile(r"(?<!\w)(20\d\d)(?!\d)")
_FROM_TO = re.compile(
    r"\b(?:fra|from|mellem|between)\s+(20\d\d)\s+(?:til|to|og|and|until)\s+(20\d\d)\b", re.IGNORECASE
)


class UnknownPeriodError(ValueError):
    """A period name that the calendar does not know (or that is no period at all)."""


# --- the grammar: what a period is called, known or not ------------------------------------------


def period_of_year(year: int) -> str | None:
    """The agreement period a calendar year belongs to by the scheme, whether or not any document
    covers it: 2017 -> '2017', 2024 -> '2023-24', 2027 -> '2027-28'; None for 2018 and earlier
    years (the documents hold no agreement of those years)."""
    if year == FIRST_YEARLY:
        return str(year)
    if year < FIRST_TWO_YEAR:
        return None
    start = year if (year - FIRST_TWO_YEAR) % 2 == 0 else year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def period_years(name: str) -> tuple[int, int]:
    """First and last calendar year of a canonical period name ('2023-24' -> (2023, 2024))."""
    first = int(name[:4])
    return first, (range_end(first, name[5:]) if len(name) > 4 else first)


def is_period_name(value: object) -> bool:
    """Whether ``value`` is a canonical period name ('2017', '2027-28'), known or not."""
    return (
        isinstance(value, str)
        and bool(re.fullmatch(r"20\d\d(-\d\d)?", value))
        and period_of_year(int(value[:4])) == value
    )


def range_end(start: int, end_text: str) -> int:
    """The last year of a range written "2023-24" or "2023-2024"."""
    return int(end_text) if len(end_text) == 4 else start // 100 * 100 + int(end_text)


def parse_period(value: str) -> str | None:
    """The canonical name of the one period ``value`` spells ('2027-2028', '2028', '2027/28'),
    known or not: for a period an uploader or the secretariat enters before any document has it."""
    text = value.strip()
    if is_period_name(text):
        return text
    found = _find(text, lambda _: True)
    return found[0] if len(found) == 1 else None


def periods_named(text: str) -> list[str]:
    """Every period a text names, known or not, in order of first mention: how a new document
    announces its period ("Rammeaftale 2027-28")."""
    return _find(text, lambda _: True)


# --- the calendar: the periods the product knows ------------------------------------------------


@dataclass(frozen=True)
class PeriodCalendar:
    """The agreement periods the documents, the manifest and the rules know, oldest first.

    Built once per index state and passed explicitly; every question-parsing function lives here so
    it can only ever return a period the product has documents or rules for."""

    names: tuple[str, ...]

    @classmethod
    def of(cls, names: Iterable[str | None]) -> PeriodCalendar:
        """A calendar of the canonical period names among ``names`` (others are ignored)."""
        valid = {name for name in names if name is not None and is_period_name(name)}
        return cls(tuple(sorted(valid, key=period_years)))

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def __len__(self) -> int:
        return len(self.names)

    @property
    def latest(self) -> str:
        return self.names[-1]

    def with_period(self, name: str) -> PeriodCalendar:
        return PeriodCalendar.of((*self.names, name))

    def is_earlier(self, first: str | None, second: str | None) -> bool:
        """Whether known period ``first`` comes before known period ``second``."""
        return first in self.names and second in self.names and period_years(first) < period_years(second)  # type: ignore[arg-type]

    def for_year(self, year: int) -> str | None:
        """The known period a calendar year belongs to, or None outside the known periods."""
        name = period_of_year(year)
        return name if name in self.names else None

    def normalize(self, value: str) -> str:
        """Canonical known period for user input such as '2023-2024', '2024' or '2017'."""
        text = value.strip()
        if text in self.names:
            return text
        found = self.find(text)
        if len(found) == 1:
            return found[0]
        raise UnknownPeriodError(
            f"Ukendt aftaleperiode: {value!r}. Gyldige perioder: {', '.join(self.names)}."
        )

    def find(self, text: str) -> list[str]:
        """All known periods named in ``text``, in order of first mention, without duplicates."""
        return _find(text, self.__contains__)

    def detect(self, text: str) -> str | None:
        """The single period a question is about, or None when it names none or several."""
        found = self.find(text)
        return found[0] if len(found) == 1 else None

    def spanned(self, text: str) -> list[str]:
        """Every period a text touches, a multi-year range ("2019-2022") counting for each period it
        spans: what a cross-period question ("fra 2019-22 til 2023-24") compares."""
        found: list[str] = []
        for match in _RANGE.finditer(text):
            start, end_text = int(match.group(1)), match.group(2)
            end = range_end(start, end_text)
            if 0 < end - start <= 8:
                for year in range(start, end + 1):
                    _add(found, self.for_year(year))
        for match in _FROM_TO.finditer(text):  # "fra 2015 til 2026": every period in between
            for year in range(int(match.group(1)), int(match.group(2)) + 1):
                _add(found, self.for_year(year))
        for period in self.find(text):
            _add(found, period)
        return sorted(found, key=period_years)

    def after(self, text: str) -> list[str]:
        """Agreement periods named in ``text`` ("rammeaftalen for 2027-28") that start after the
        last known one, when the text names no covered year. A single later year is left alone:
        "hvad afløser takstaftalen fra 2027?" is answered by the current agreement."""
        if not self.names:
            return []
        last = period_years(self.latest)[1]
        if any(int(m.group(1)) <= last for m in _YEAR.finditer(text)):
            return []
        return [match.group(0) for match in _RANGE.finditer(text) if int(match.group(1)) > last]


def _find(text: str, known: Callable[[str], bool]) -> list[str]:
    """Periods named in ``text`` that ``known`` accepts, in order of first mention."""
    found: list[str] = []
    spans: list[tuple[int, int]] = []
    for match in _RANGE.finditer(text):
        start = int(match.group(1))
        end = range_end(start, match.group(2))
        if not 0 < end - start <= 4:
            continue
        spans.append(match.span())
        _add(found, _period_for_range(start, end), known)
    for match in _YEAR.finditer(text):
        if any(a <= match.start() < b for a, b in spans):
            continue
        _add(found, period_of_year(int(match.group(1))), known)
    return found


def _period_for_range(start: int, end: int) -> str | None:
    """A two-year range maps to its period; a longer one (e.g. a takstaftale 2019-2022) to none."""
    if end - start == 1 and period_of_year(start) == period_of_year(end):
        return period_of_year(start)
    return None


def _add(found: list[str], period: str | None, known: Callable[[str], bool] = lambda _: True) -> None:
    if period and period not in found and known(period):
        found.append(period)
