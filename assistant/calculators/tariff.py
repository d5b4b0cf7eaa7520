"""Tariff calculator: itemised budget, annual tariff per place and daily tariff for one offer.

The percentages come from Styringsaftale 2017 § 11.3 (carried forward in later periods). The corpus
does not say what each percentage is applied to (that is in bilag 2, not in the corpus), so the
result states those bases as assumptions instead of hiding them.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Literal

from assistant.calculators.registry import described
from assistant.calculators.rules import (
    BASIS_TEXT,
    CalculatorInputError,
    Clause,
    PeriodRules,
    Rule,
    RuleBook,
    citations_for,
)

TargetGroup = Literal["boern_unge", "voksne", "forsorgshjem_krisecenter"]
TARGET_GROUPS: dict[str, str] = {
    "boern_unge": "børn og unge",
    "voksne": "voksne",
    "forsorgshjem_krisecenter": "forsorgshjem eller kvindekrisecenter",
}
_OCCUPANCY_RULE = {
    "boern_unge": "occupancy_boern_unge_pct",
    "voksne": "occupancy_voksne_pct",
    "forsorgshjem_krisecenter": "occupancy_forsorgshjem_krisecenter_pct",
}
DAYS_PER_YEAR = 365


@dataclass(frozen=True)
class TariffInput:
    """What the provider knows about the offer (amounts in kr. per year). Each field's metadata is
    its description for the LLM tool, the CLI and the page (see calculators/registry.py)."""

    direct_operating_costs: float = field(
        metadata=described(
            "Årlige direkte driftsudgifter i kr. (inkl. tjenestemandslønninger).", cli="--operating-costs"
        )
    )
    places: int = field(metadata=described("Antal pladser."))
    target_group: TargetGroup = field(
        metadata=described("Målgruppe: 'boern_unge', 'voksne' eller 'forsorgshjem_krisecenter'.")
    )
    period: str = field(metadata=described("Aftaleperiode, fx 2025-26."))
    tjm_salaries: float = field(default=0.0, metadata=described("Heraf lønninger til tjenestemænd i kr."))
    asset_value: float = field(
        default=0.0, metadata=described("Værdi af grunde, bygninger og inventar i kr.")
    )
    depreciation: float = field(default=0.0, metadata=described("Afskrivninger i kr."))
    rent: float = field(default=0.0, metadata=described("Husleje i kr."))
    prior_result: float = field(
        default=0.0, metadata=described("Overskud (+) eller underskud (-) fra år t-2 i kr.")
    )
    prior_budget: float | None = field(
        default=None, metadata=described("Budgettet for år t-2 (grundlag for 5 %-grænsen).")
    )
    occupancy_pct: float | None = field(
        default=None,
        metadata=described("Belægningsprocent; kræves for forsorgshjem og krisecentre.", cli="--occupancy"),
    )
    interest_rate_pct: float | None = field(
        default=None,
        metadata=described("Forrentningssats i procent (diskonto + 1 point).", cli="--interest-rate"),
    )
    admin_pct: float | None = field(
        default=None, metadata=described("Administrationsprocent (højst den aftalte).")
    )


@dataclass(frozen=True)
class BudgetLine:
    """One line of the budget: the amount, its percentage and base when there is one, and why."""

    label: str
    amount: float
    percentage: float | None
    base: str
    clauses: tuple[Clause, ...]


@dataclass(frozen=True)
class TariffResult:
    inputs: TariffInput
    period: str
    basis: str
    lines: tuple[BudgetLine, ...]
    budget_total: float  # before regulation of surplus/deficit
    regulation: float  # + deficit charged, - surplus returned
    amount_to_finance: float
    occupancy_pct: float
    annual_tariff_per_place: float
    daily_tariff: float
    assumptions: tuple[str, ...]
    notes: tuple[str, ...]
    clauses: tuple[Clause, ...]

    def summary_da(self) -> str:
        return (
            f"Døgntakst: {format_kr(self.daily_tariff)} · årstakst pr. plads: "
            f"{format_kr(self.annual_tariff_per_place)} ({self.inputs.places} pladser, "
            f"{TARGET_GROUPS[self.inputs.target_group]}, belægning {format_pct(self.occupancy_pct)}, "
            f"aftaleperiode {self.period})."
        )

    def to_dict(self) -> dict:
        return {
            "inputs": asdict(self.inputs),
            "period": self.period,
            "basis": self.basis,
            "basis_text": BASIS_TEXT[self.basis],
            "lines": [
                {
                    "label": line.label,
                    "amount": round(line.amount, 2),
                    "percentage": line.percentage,
                    "base": line.base,
                    "clauses": [c.to_dict() for c in line.clauses],
                }
                for line in self.lines
            ],
            "budget_total": round(self.budget_total, 2),
            "regulation": round(self.regulation, 2),
            "amount_to_finance": round(self.amount_to_finance, 2),
            "occupancy_pct": self.occupancy_pct,
            "annual_tariff_per_place": round(self.annual_tariff_per_place, 2),
            "daily_tariff": round(self.daily_tariff, 2),
            "summary": self.summary_da(),
            "assumptions": list(self.assumptions),
            "notes": list(self.notes),
            "citations": [c.to_dict() for c in citations_for(self.clauses)],
        }


def format_kr(amount: float) -> str:
    """'1.234.567,89 kr.' (Danish separators)."""
    text = f"{amount:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return f"{text} kr."


# The rules a tariff calculation rests on (besides the target group's occupancy).
TARIFF_RULES: tuple[str, ...] = (
    "admin_max_pct",
    "tjm_pension_pct",
    "interest_rate_pct",
    "costs_in_tariff",
    "surplus_deficit_threshold_pct",
)


def format_pct(value: float) -> str:
    return f"{value:g}".replace(".", ",") + " %"


def compute_tariff(rules: RuleBook, data: TariffInput) -> TariffResult:
    """Budget lines, regulation of t-2 surplus/deficit, and the tariffs for ``data``."""
    _validate(data)
    period_rules = rules.for_period(data.period)
    assumptions: list[str] = []
    lines = [
        BudgetLine("Direkte driftsudgifter", data.direct_operating_costs, None, "oplyst", ()),
        _admin_line(period_rules, data, assumptions),
        _pension_line(period_rules, data, assumptions),
        _interest_line(period_rules, data, assumptions),
    ]
    costs_rule = period_rules.rule("costs_in_tariff")
    lines.append(BudgetLine("Afskrivninger", data.depreciation, None, "oplyst", costs_rule.clauses[:1]))
    lines.append(BudgetLine("Husleje", data.rent, None, "oplyst", costs_rule.clauses[1:2]))
    budget_total = sum(line.amount for line in lines)
    regulation_line, notes = _regulation_line(period_rules, data, budget_total, assumptions)
    lines.append(regulation_line)
    amount = budget_total + regulation_line.amount
    if amount <= 0:
        raise CalculatorInputError(
            "Reguleringen af overskuddet gør det beløb, der skal finansieres, negativt. Tjek beløbene."
        )
    occupancy, occupancy_clauses = _occupancy(period_rules, data, assumptions)
    daily = amount / (data.places * DAYS_PER_YEAR * occupancy / 100)
    basis_rule = period_rules.rule("admin_max_pct")
    basis_note = basis_rule.basis_text(period_rules.period)
    unconfirmed = period_rules.unconfirmed_note(TARIFF_RULES + (_OCCUPANCY_RULE[data.target_group],))
    basis_note = " ".join(n for n in (basis_note, unconfirmed) if n)
    clauses = [c for line in lines for c in line.clauses] + list(occupancy_clauses)
    return TariffResult(
        inputs=data,
        period=period_rules.period,
        basis=basis_rule.basis,
        lines=tuple(lines),
        budget_total=budget_total,
        regulation=regulation_line.amount,
        amount_to_finance=amount,
        occupancy_pct=occupancy,
        annual_tariff_per_place=daily * DAYS_PER_YEAR,
        daily_tariff=daily,
        assumptions=tuple(assumptions),
        notes=tuple(notes) + ((basis_note,) if basis_note else ()),
        clauses=tuple(clauses) + basis_rule.continuation,
    )


def _admin_line(rules: PeriodRules, data: TariffInput, assumptions: list[str]) -> BudgetLine:
    rule = rules.rule("admin_max_pct")
    maximum = _number(rule)
    pct = maximum if data.admin_pct is None else data.admin_pct
    if pct > maximum + 1e-9:
        raise CalculatorInputError(
            f"Administrationsprocenten må højst være {format_pct(maximum)} (en maksimal procent)."
        )
    assumptions.append(
        f"Administration ({format_pct(pct)}) er beregnet af de direkte driftsudgifter; dokumenterne fastlægger "
        "ikke grundlaget for procenten (det beskrives i styringsaftalens bilag 2, som ikke er blandt dokumenterne)."
    )
    amount = data.direct_operating_costs * pct / 100
    return BudgetLine("Administration", amount, pct, "af direkte driftsudgifter (antagelse)", rule.clauses)


def _pension_line(rules: PeriodRules, data: TariffInput, assumptions: list[str]) -> BudgetLine:
    rule = rules.rule("tjm_pension_pct")
    pct = _number(rule)
    if data.tjm_salaries:
        assumptions.append(
            f"Pensionsopsparing for tjenestemænd ({format_pct(pct)}) er beregnet af tjenestemandslønningerne."
        )
    clauses = rule.clauses + rules.rule("costs_in_tariff").clauses[2:3]
    amount = data.tjm_salaries * pct / 100
    return BudgetLine("Pensionsopsparing for tjenestemænd", amount, pct, "af tjenestemandslønninger", clauses)


def _interest_line(rules: PeriodRules, data: TariffInput, assumptions: list[str]) -> BudgetLine:
    rule = rules.rule("interest_rate_pct")
    if data.interest_rate_pct is not None:
        pct = data.interest_rate_pct
        assumptions.append(
            f"Forrentningssatsen {format_pct(pct)} er angivet af brugeren (aftalt: Nationalbankens diskonto "
            "1. maj året før budgetåret plus 1 procentpoint)."
        )
    elif rule.origin_period == rules.period:
        pct = _number(rule)
    else:
        pct = _number(rule)
        assumptions.append(
            f"Forrentningssatsen for {rules.period} fremgår ikke af dokumenterne; {rule.origin_period}-satsen "
            f"{format_pct(pct)} er brugt. Angiv den aktuelle sats (Nationalbankens diskonto 1. maj året "
            "før budgetåret plus 1 procentpoint)."
        )
    amount = data.asset_value * pct / 100
    clauses = rule.clauses + rules.rule("costs_in_tariff").clauses[:1]
    return BudgetLine(
        "Forrentning af grunde, bygninger og inventar",
        amount,
        pct,
        "af værdien af grunde, bygninger og inventar",
        clauses,
    )


def _regulation_line(
    rules: PeriodRules, data: TariffInput, budget_total: float, assumptions: list[str]
) -> tuple[BudgetLine, list[str]]:
    """Only the part of a t-2 surplus/deficit beyond ±5 % of the budget enters the tariff."""
    threshold_rule = rules.rule("surplus_deficit_threshold_pct")
    threshold_pct = _number(threshold_rule)
    base = data.prior_budget
    if base is None:
        base = budget_total
        if data.prior_result:
            assumptions.append(
                f"5 %-grænsen er målt mod dette års budget ({format_kr(budget_total)}), da budgettet for år t-2 "
                "ikke er oplyst."
            )
    band = base * threshold_pct / 100
    result = data.prior_result
    notes: list[str] = []
    clauses = threshold_rule.clauses
    if abs(result) <= band:
        regulation = 0.0
        if result > 0:
            rule = rules.rule("surplus_within_threshold")
            notes.append(f"Overskuddet er inden for 5 % og indregnes ikke: {rule.value}")
            clauses += rule.clauses
        elif result < 0:
            rule = rules.rule("deficit_within_threshold")
            notes.append(f"Underskuddet er inden for 5 % og indregnes ikke: {rule.value}")
            clauses += rule.clauses
    else:
        regulation = -(result - math.copysign(band, result))
        kind = "overskuddet" if result > 0 else "underskuddet"
        notes.append(
            f"Kun den del af {kind} fra år t-2, der ligger ud over 5 % ({format_kr(band)}), "
            f"reguleres i taksten: {format_kr(regulation)}"
        )
    label = "Regulering af over-/underskud fra år t-2 (ud over ±5 %)"
    return BudgetLine(label, regulation, threshold_pct, "af budgettet (grænse)", clauses), notes


def _occupancy(
    rules: PeriodRules, data: TariffInput, assumptions: list[str]
) -> tuple[float, tuple[Clause, ...]]:
    rule = rules.rule(_OCCUPANCY_RULE[data.target_group])
    agreed = None if rule.value is None else _number(rule)
    if agreed is None and data.occupancy_pct is None:
        raise CalculatorInputError(
            "Dokumenterne fastsætter ingen belægningsprocent for forsorgshjem og kvindekrisecentre "
            "(den beregnes efter bilag 2). Angiv belægningsprocenten."
        )
    if data.occupancy_pct is None:
        return float(agreed), rule.clauses  # type: ignore[arg-type]
    if agreed is None:
        assumptions.append(f"Belægningsprocenten {format_pct(data.occupancy_pct)} er angivet af brugeren.")
    elif abs(data.occupancy_pct - agreed) > 1e-9:
        assumptions.append(
            f"Belægningsprocenten {format_pct(data.occupancy_pct)} afviger fra den aftalte "
            f"{format_pct(agreed)} (undtagelser gælder kun akut-tilbud og nyetablerede tilbud)."
        )
    return data.occupancy_pct, rule.clauses


def _number(rule: Rule) -> float:
    if not isinstance(rule.value, (int, float)):
        raise CalculatorInputError(f"Reglen {rule.key} har ingen talværdi i regelfilen.")
    return float(rule.value)


def _validate(data: TariffInput) -> None:
    """Reject negative, non-finite or inconsistent inputs with Danish messages."""
    amounts = {
        "De direkte driftsudgifter": data.direct_operating_costs,
        "Tjenestemandslønningerne": data.tjm_salaries,
        "Værdien af grunde, bygninger og inventar": data.asset_value,
        "Afskrivningerne": data.depreciation,
        "Huslejen": data.rent,
        "Over-/underskuddet": data.prior_result,
    }
    for label, value in amounts.items():
        if not isinstance(value, (int, float)) or not math.isfinite(value):
            raise CalculatorInputError(f"{label} skal være et tal.")
        if value < 0 and label != "Over-/underskuddet":
            raise CalculatorInputError(f"{label} kan ikke være negative.")
    if data.direct_operating_costs <= 0:
        raise CalculatorInputError("De direkte driftsudgifter skal være større end 0 kr.")
    if data.tjm_salaries > data.direct_operating_costs:
        raise CalculatorInputError(
            "Tjenestemandslønningerne kan ikke være større end de direkte driftsudgifter, som de er en del af."
        )
    if isinstance(data.places, bool) or not isinstance(data.places, int) or data.places < 1:
        raise CalculatorInputError("Antal pladser skal være et helt tal på mindst 1.")
    if data.target_group not in TARGET_GROUPS:
        raise CalculatorInputError(
            f"Ukendt målgruppe {data.target_group!r}. Gyldige: {', '.join(TARGET_GROUPS)}."
        )
    _validate_optional(data)


def _validate_optional(data: TariffInput) -> None:
    checks = (
        (data.prior_budget, "Budgettet for år t-2", 0.0, math.inf, False),
        (data.occupancy_pct, "Belægningsprocenten", 0.0, 100.0, False),
        (data.interest_rate_pct, "Forrentningssatsen", 0.0, 25.0, True),
        (data.admin_pct, "Administrationsprocenten", 0.0, 100.0, True),
    )
    for value, label, low, high, low_inclusive in checks:
        if value is None:
            continue
        if not isinstance(value, (int, float)) or not math.isfinite(value):
            raise CalculatorInputError(f"{label} skal være et tal.")
        too_low = value < low if low_inclusive else value <= low
        if too_low or value > high:
            bound = "mindst" if low_inclusive else "over"
            raise CalculatorInputError(f"{label} skal være {bound} {low:g} og højst {high:g}.")
