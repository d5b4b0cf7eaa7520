"""Numbers as Danish caseworkers write and read them: "1.234.567,89" (dot between thousands,
comma before decimals). Streamlit's number_input shows "9500000.00" and cannot be told otherwise,
so the forms use text fields read by this one parser and prefilled by its formatter."""

from __future__ import annotations

import re

_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+")  # 1.234 or 1.234.567: dots between thousands
_PLAIN = re.compile(r"\d+")
_SPACES = re.compile(r"[\s\u00a0\u202f]")  # also the (narrow) non-breaking space a copy may carry
_UNIT = re.compile(r"(?:kr\.?|%)$", re.IGNORECASE)
_MINUS = ("-", "−", "–")


class NumberFormatError(ValueError):
    """A value the parser cannot read; the message is Danish and names the field."""


def parse_number(text: str, field: str, *, negative: bool = False) -> float | None:
    """The number in ``text``, or None when the field is empty (the user entered nothing).

    Accepts 1.234.567,89 · 1234567,89 · 1 234 567 · -12,5 · "9.500 kr." A dot is read only as a
    thousands separator, so an ambiguous "1.5" is refused instead of silently read as 15 or 1,5."""
    cleaned = _UNIT.sub("", _SPACES.sub("", text or ""))
    if not cleaned:
        return None
    sign = 1.0
    if cleaned[0] in _MINUS:
        if not negative:
            raise NumberFormatError(f"{field}: beløbet kan ikke være negativt.")
        sign, cleaned = -1.0, cleaned[1:]
    whole, _, decimals = cleaned.partition(",")
    if not (_GROUPED.fullmatch(whole) or _PLAIN.fullmatch(whole)) or not (
        decimals == "" or decimals.isdigit()
    ):
        raise NumberFormatError(
            f"{field}: »{text.strip()}« er ikke et tal. Skriv fx 1.234.567,89 – punktum mellem "
            "tusinder og komma før decimaler."
        )
    return sign * float(whole.replace(".", "") + "." + (decimals or "0"))


def format_number(value: float, decimals: int = 2) -> str:
    """``value`` the Danish way: 9500000 → "9.500.000,00"."""
    text = f"{abs(value):,.{decimals}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return ("-" if value < 0 else "") + text


class FieldReader:
    """Reads a form's number fields and gathers every problem, so the user sees them all at once
    and no result is computed from a field that was left empty or could not be read."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def number(
        self, text: str, field: str, *, required: bool = False, negative: bool = False
    ) -> float | None:
        """The field's value; None when empty (and, if ``required``, a problem is recorded)."""
        try:
            value = parse_number(text, field, negative=negative)
        except NumberFormatError as exc:
            self.problems.append(str(exc))
            return None
        if value is None and required:
            self.problems.append(f"{field}: feltet er ikke udfyldt.")
        return value

    @property
    def ok(self) -> bool:
        return not self.problems
