"""Month names and the year a date written without one means — the one place the product knows them.

The month names (full and abbreviated, Danish and English) come from the locale data of
``dateparser``, a maintained library that knows Danish, instead of lists kept by hand in several
modules. A date without a year ("den 10. marts") means the current agreement period: of the two
or three candidate days, the one nearest to today that lies in the period holding today.
"""

from __future__ import annotations

import ast
import importlib.util
from datetime import date
from functools import lru_cache
from pathlib import Path

from core.periods import PeriodCalendar, period_of_year

_MONTH_KEYS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
LANGUAGES = ("da", "en")


@lru_cache(maxsize=1)
def month_numbers() -> dict[str, int]:
    """Every month name and abbreviation of the supported languages (lower case) -> 1..12."""
    names: dict[str, int] = {}
    for language in LANGUAGES:
        info = _locale_info(language)
        for number, key in enumerate(_MONTH_KEYS, start=1):
            for name in info.get(key, []):
                name = name.lower().rstrip(".")
                if name.isalpha():
                    names.setdefault(name, number)
    return names


def _locale_info(language: str) -> dict:
    """dateparser's locale data for ``language``, read from its data file as a literal. Importing
    dateparser itself would cost about 0.6 s at every cold start, for a table of month names."""
    spec = importlib.util.find_spec("dateparser")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("dateparser is not installed")
    package = Path(spec.origin).parent
    source = (package / "data" / "date_translation_data" / f"{language}.py").read_text(encoding="utf-8")
    assignment = next(
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "info" for t in node.targets)
    )
    return ast.literal_eval(assignment.value)


@lru_cache(maxsize=1)
def month_pattern() -> str:
    """A regex alternation of the month names, longest first (so "marts" wins over "mar")."""
    return "|".join(sorted(month_numbers(), key=len, reverse=True))


@lru_cache(maxsize=1)
def _danish_names() -> tuple[str, ...]:
    from dateparser.languages.loader import default_loader

    info = default_loader.get_locale("da").info
    return tuple(max(info[key], key=len) for key in _MONTH_KEYS)  # the full name, not "jan"


def format_date_da(value: date) -> str:
    """'31. maj 2024' – the way caseworkers write dates."""
    return f"{value.day}. {_danish_names()[value.month - 1]} {value.year}"


def current_period(today: date, calendar: PeriodCalendar) -> str:
    """The known agreement period that holds ``today``; the latest known one after them."""
    return calendar.for_year(today.year) or calendar.latest


def year_for(day: int, month: int, today: date) -> date | None:
    """The date a day and month without a year mean: in the agreement period that holds today,
    the occurrence nearest to today (None when no such day exists, e.g. 30 February)."""
    period = period_of_year(today.year)
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if period_of_year(year) == period:
            candidates.append(candidate)
    if not candidates:
        return None
    return min(candidates, key=lambda candidate: (abs((candidate - today).days), candidate))
