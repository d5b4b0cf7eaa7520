"""Tariff-agreement check: does an offer's tariff development respect each period's takstaftale?

The takstaftaler are stated in fixed prices (the ordinary price and wage regulation comes on top),
so with a price/wage index the tariffs are deflated to the first year's prices before comparing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from assistant.calculators.rules import (
    CalculatorInputError,
    Clause,
    RuleBook,
    TariffAgreement,
    citations_for,
)

_EPS = 1e-9


@dataclass(frozen=True)
class AgreementCheck:
    """Verdict for one takstaftale: True, False, or None when the offer's years do not suffice."""

    agreement_id: str
    description: str
    years: tuple[int, ...]
    compliant: bool | None
    reasons: tuple[str, ...]
    notes: tuple[str, ...]
    clauses: tuple[Clause, ...]

    def verdict_da(self) -> str:
        return {True: "overholdt", False: "ikke overholdt", None: "kan ikke afgøres"}[self.compliant]

    def to_dict(self) -> dict:
        return {
            "agreement": self.agreement_id,
            "description": self.description,
            "years": list(self.years),
            "compliant": self.compliant,
            "verdict": self.verdict_da(),
            "reasons": list(self.reasons),
            "notes": list(self.notes),
            "citations": [c.to_dict() for c in citations_for(self.clauses)],
        }


@dataclass(frozen=True)
class TariffCheckResult:
    tariffs: Mapping[int, float]
    fixed_price_tariffs: Mapping[int, float]
    index_used: bool
    checks: tuple[AgreementCheck, ...]
    compliant: bool | None
    notes: tuple[str, ...]

    @property
    def clauses(self) -> tuple[Clause, ...]:
        return tuple(c for check in self.checks for c in check.clauses)

    def summary_da(self) -> str:
        if not self.checks:
            return "Ingen af årene er omfattet af en takstaftale i dokumenterne."
        verdict = {True: "overholder", False: "overholder ikke", None: "kan ikke vurderes fuldt mod"}
        parts = ", ".join(f"takstaftale {c.agreement_id}: {c.verdict_da()}" for c in self.checks)
        return f"Tilbuddet {verdict[self.compliant]} takstaftalerne ({parts})."

    def to_dict(self) -> dict:
        return {
            "tariffs": {str(y): v for y, v in self.tariffs.items()},
            "fixed_price_tariffs": {str(y): round(v, 2) for y, v in self.fixed_price_tariffs.items()},
            "index_used": self.index_used,
            "compliant": self.compliant,
            "summary": self.summary_da(),
            "checks": [c.to_dict() for c in self.checks],
            "notes": list(self.notes),
            "citations": [c.to_dict() for c in citations_for(self.clauses)],
        }


def check_tariffs(
    rules: RuleBook, tariffs: Mapping[int, float], index: Mapping[int, float] | None = None
) -> TariffCheckResult:
    """Check tariffs per year (e.g. {2023: 1000.0, 2024: 1000.0}) against every takstaftale they touch."""
    clean = _validate(tariffs, index)
    fixed, notes = _to_fixed_prices(clean, index)
    checks: list[AgreementCheck] = []
    for agreement in rules.tariff_agreements:
        if any(agreement.covers(year) for year in fixed):
            checks.append(_check_agreement(agreement, fixed))
    outside = [y for y in fixed if rules.agreement_for_year(y) is None]
    if outside:
        notes.append(f"Dokumenterne har ingen takstaftale for år {', '.join(map(str, outside))}.")
    verdicts = [c.compliant for c in checks]
    overall = False if False in verdicts else (None if None in verdicts or not checks else True)
    return TariffCheckResult(clean, fixed, index is not None, tuple(checks), overall, tuple(notes))


def _validate(tariffs: Mapping[int, float], index: Mapping[int, float] | None) -> dict[int, float]:
    if not tariffs:
        raise CalculatorInputError("Angiv mindst én takst med årstal, fx 2023=1000.")
    clean: dict[int, float] = {}
    for year, value in sorted(tariffs.items()):
        if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
            raise CalculatorInputError(f"Ugyldigt årstal: {year!r}.")
        if not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
            raise CalculatorInputError(f"Taksten for {year} skal være et positivt beløb.")
        clean[year] = float(value)
    if index is not None:
        missing = [y for y in clean if y not in index]
        if missing:
            raise CalculatorInputError(f"Pris- og lønindekset mangler for år {', '.join(map(str, missing))}.")
        for year in clean:
            value = index[year]
            if not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
                raise CalculatorInputError(f"Indekset for {year} skal være et positivt tal.")
    return clean


def _to_fixed_prices(
    tariffs: dict[int, float], index: Mapping[int, float] | None
) -> tuple[dict[int, float], list[str]]:
    if index is None:
        return dict(tariffs), [
            "Taksterne er antaget at være i faste priser (intet pris- og lønindeks angivet)."
        ]
    first = min(tariffs)
    fixed = {year: value * index[first] / index[year] for year, value in tariffs.items()}
    return fixed, [f"Taksterne er omregnet til faste {first}-priser med det angivne pris- og lønindeks."]


def _check_agreement(agreement: TariffAgreement, fixed: dict[int, float]) -> AgreementCheck:
    years = tuple(y for y in sorted(fixed) if agreement.covers(y))
    reasons: list[str] = []
    notes: list[str] = list(agreement.notes)
    verdicts: list[bool | None] = []
    if agreement.no_increase:
        verdicts.append(_check_no_increase(agreement, fixed, years, reasons, notes))
    if agreement.min_reduction_pct is not None:
        verdicts.append(_check_reduction(agreement, fixed, reasons, notes))
    compliant = False if False in verdicts else (None if None in verdicts else True)
    return AgreementCheck(
        agreement.id, agreement.description, years, compliant, tuple(reasons), tuple(notes), agreement.clauses
    )


def _check_no_increase(
    agreement: TariffAgreement,
    fixed: dict[int, float],
    years: tuple[int, ...],
    reasons: list[str],
    notes: list[str],
) -> bool | None:
    """No year may be dearer than the year before; the year before the agreement counts if given."""
    sequence = list(years)
    before = agreement.first_year - 1
    if before in fixed:
        sequence.insert(0, before)
        notes.append(
            f"Taksten for {before} er brugt som udgangspunkt: en stigning ved periodens start er også en "
            f"stigning i perioden."
        )
    if len(sequence) < 2:
        reasons.append(
            f"Mindst to år er nødvendige for at se, om taksten stiger (kun {sequence[0]} er oplyst)."
        )
        return None
    increases = [(a, b) for a, b in zip(sequence, sequence[1:]) if fixed[b] > fixed[a] * (1 + _EPS)]
    for a, b in increases:
        change = (fixed[b] / fixed[a] - 1) * 100
        reasons.append(
            f"Taksten stiger fra {a} til {b} med {_pct(change)} (faste priser) – taksterne kan ikke stige i perioden."
        )
    if not increases:
        reasons.append(f"Taksten stiger ikke i årene {sequence[0]}-{sequence[-1]} (faste priser).")
    return not increases


def _check_reduction(
    agreement: TariffAgreement, fixed: dict[int, float], reasons: list[str], notes: list[str]
) -> bool | None:
    """Reduction from the base year to the agreement's last year must reach the minimum."""
    required = agreement.min_reduction_pct or 0.0
    base = _reduction_base(agreement, fixed, notes)
    end = agreement.last_year
    if base is None or end not in fixed or base == end:
        reasons.append(
            f"Reduktionen på mindst {_pct(required)} kan ikke vurderes: der skal være en takst for "
            f"udgangsåret og for {end}."
        )
        return None
    reduction = (1 - fixed[end] / fixed[base]) * 100
    ok = reduction >= required - _EPS
    word = "opfylder" if ok else "ikke opfylder"
    reasons.append(
        f"Reduktionen fra {base} til {end} er {_pct(reduction)} (faste priser), hvilket {word} "
        f"kravet om mindst {_pct(required)}."
    )
    return ok


def _reduction_base(agreement: TariffAgreement, fixed: dict[int, float], notes: list[str]) -> int | None:
    """The year the reduction is measured from, with a note wherever that is an interpretation."""
    if agreement.base_year is not None:
        earlier = agreement.base_year - 1  # 2015-18: the 2014->2015 cut may be counted
        if agreement.base_year == agreement.first_year and earlier in fixed:
            notes.append(
                f"Reduktionen fra {earlier} til {agreement.base_year} er medregnet, som aftalen tillader."
            )
            return earlier
        return agreement.base_year if agreement.base_year in fixed else None
    before = agreement.first_year - 1
    if before in fixed:
        notes.append(f"Reduktionen er målt fra niveauet i {before}, året før perioden (fortolkning).")
        return before
    if agreement.first_year in fixed:
        notes.append(
            f"Reduktionen er målt fra {agreement.first_year} (antagelse: taksten for {before} er ikke oplyst)."
        )
        return agreement.first_year
    return None


def _pct(value: float) -> str:
    return f"{value:.2f}".replace(".", ",") + " %"
