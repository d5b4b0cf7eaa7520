"""The bundled corpus's agreement periods as the product derives them (manifest and rules, no
index): what tests of the shipped data compare against, instead of a list of their own."""

from __future__ import annotations

from assistant.periods import load_calendar
from core.periods import PeriodCalendar
from core.settings import load_settings

BUNDLED: PeriodCalendar = load_calendar(load_settings(), documents=())
BUNDLED_PERIODS: tuple[str, ...] = BUNDLED.names
