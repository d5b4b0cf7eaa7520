"""Load ``corpus/rules.yaml`` into frozen records, resolving each period's carried-forward rules.

The rules file is the only place numbers live: a calculator asks a :class:`PeriodRules` for a
:class:`Rule` and gets the value together with the clauses it rests on and *how* the period got it
(its own documents, a confirmed continuation, or an unconfirmed one). Validation happens here, at
the edge, with pydantic; everything past :func:`load_rules` is plain frozen data.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from core.periods import PeriodCalendar, UnknownPeriodError, is_period_name, period_years
from core.records import Citation
from core.yamlfiles import read_yaml

Basis = Literal["own", "carried_forward", "carried_forward_unconfirmed"]

#: Parameters every period must resolve; a calculator may rely on these keys.
REQUIRED_RULES: tuple[str, ...] = (
    "notice_months_after_notice_month",
    "notice_payment_condition",
    "notice_excluded_objective40",
    "invoice_interval",
    "payment_deadline_min_days",
    "subscription_invoice_interval",
    "admin_max_pct",
    "tjm_pension_pct",
    "interest_rate_pct",
    "costs_in_tariff",
    "occupancy_boern_unge_pct",
    "occupancy_voksne_pct",
    "occupancy_forsorgshjem_krisecenter_pct",
    "surplus_deficit_threshold_pct",
    "surplus_deficit_lag_years",
    "surplus_within_threshold",
    "deficit_within_threshold",
    "coverage_min_other_use_pct",
)

BASIS_TEXT: Mapping[str, str] = MappingProxyType(
    {
        "own": "egen aftale",
        "carried_forward": "videreført",
        "carried_forward_unconfirmed": "videreført, ubekræftet",
    }
)


class CalculatorInputError(ValueError):
    """Bad input to a calculator; the message is Danish and meant for the user as-is."""


class RulesFileError(ValueError):
    """rules.yaml is missing or malformed (a configuration error, not user input)."""


# --- frozen records ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clause:
    """A verbatim passage of a corpus document that a rule rests on."""

    document: str  # file name under corpus/
    title: str
    period: str | None  # the period of the document the clause is quoted from
    section: str
    page: int | None
    quote: str

    def to_citation(self, n: int) -> Citation:
        return Citation(
            n=n,
            document=self.document,
            title=self.title,
            period=self.period,
            section=self.section,
            page=self.page,
            quote=self.quote,
        )

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Rule:
    """One parameter as it applies in one period, with where it comes from."""

    key: str
    value: float | str | None
    description: str
    clauses: tuple[Clause, ...]  # the clause(s) the value rests on (in the origin period)
    basis: Basis
    origin_period: str  # the period whose documents state the value
    continuation: tuple[Clause, ...] = ()  # continuation clauses linking origin to this period
    note: str = ""

    @property
    def all_clauses(self) -> tuple[Clause, ...]:
        return self.clauses + self.continuation

    def basis_text(self, period: str) -> str:
        """Danish sentence saying how the rule applies in ``period`` (empty for own rules)."""
        if self.basis == "own":
            return ""
        text = f"Reglen stammer fra aftaleperiode {self.origin_period}; i {period} er den {BASIS_TEXT[self.basis]}."
        if self.basis == "carried_forward":
            text += " Styringsaftalen for perioden er på alle væsentlige punkter en videreførelse."
        return text + (f" {self.note}" if self.note else "")


@dataclass(frozen=True)
class TariffAgreement:
    """A takstaftale: how tariffs may develop over a span of calendar years (fixed prices)."""

    id: str
    first_year: int
    last_year: int
    periods: tuple[str, ...]
    no_increase: bool
    min_reduction_pct: float | None
    base_year: int | None
    description: str
    notes: tuple[str, ...]
    clauses: tuple[Clause, ...]

    def covers(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year


@dataclass(frozen=True)
class PeriodRules:
    """All rules of one agreement period, resolved (carried-forward rules included)."""

    period: str
    basis: Basis
    rules: Mapping[str, Rule]
    tariff_agreement: TariffAgreement | None
    note: str = ""

    def rule(self, key: str) -> Rule:
        try:
            return self.rules[key]
        except KeyError:
            raise RulesFileError(f"rules.yaml: period {self.period} has no rule {key!r}") from None

    def unconfirmed_note(self, keys: tuple[str, ...]) -> str:
        """In a period whose own documents state some rules, a note naming which of ``keys`` are only
        assumed carried forward, so a calculation never passes one off as the period's own (a
        period with no rules of its own says so once, through :meth:`Rule.basis_text`)."""
        if not any(rule.basis == "own" for rule in self.rules.values()):
            return ""
        unconfirmed = [
            self.rules[k]
            for k in keys
            if k in self.rules and self.rules[k].basis == "carried_forward_unconfirmed"
        ]
        if not unconfirmed:
            return ""
        named = "; ".join(
            f"{rule.description.rstrip('.')} (fra {rule.origin_period})" for rule in unconfirmed
        )
        return f"{BASIS_TEXT['carried_forward_unconfirmed'].capitalize()} i {self.period}: {named}."


@dataclass(frozen=True)
class RuleBook:
    """Every period's rules and all tariff agreements."""

    periods: Mapping[str, PeriodRules]
    tariff_agreements: tuple[TariffAgreement, ...]
    calendar: PeriodCalendar  # the known periods: the rules file's and any the index added

    @property
    def latest(self) -> str:
        """The latest period with rules: what a calculation without a period is for."""
        return list(self.periods)[-1]

    def for_period(self, period: str) -> PeriodRules:
        """Rules of a period given as user text ('2023-2024', '2024'); Danish error if unknown."""
        try:
            canonical = self.calendar.normalize(str(period))
        except UnknownPeriodError as exc:
            raise CalculatorInputError(str(exc)) from None
        if canonical not in self.periods:
            raise CalculatorInputError(f"Der er ingen regler for aftaleperiode {canonical}.")
        return self.periods[canonical]

    def agreement_for_year(self, year: int) -> TariffAgreement | None:
        return next((a for a in self.tariff_agreements if a.covers(year)), None)


# --- validation models (the edge) ----------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClauseModel(_Strict):
    document: str = Field(min_length=1)
    title: str = Field(min_length=1)
    period: str | None
    section: str
    page: int | None = Field(default=None, ge=1)
    quote: str = Field(min_length=10, max_length=400)

    def to_record(self) -> Clause:
        return Clause(**self.model_dump())


class RuleModel(_Strict):
    value: float | str | None
    description: str = Field(min_length=1)
    clauses: list[ClauseModel] = Field(min_length=1)
    # "carried_forward": the period's own clauses confirm the earlier period's value (kept), so the
    # rule cites both the origin clause and these; "own": the clauses state the value.
    basis: Literal["own", "carried_forward"] = "own"


class PeriodModel(_Strict):
    basis: Basis
    carried_from: str | None = None
    continuation: ClauseModel | None = None
    note: str = ""
    rules: dict[str, RuleModel] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check_basis(self) -> PeriodModel:
        if self.basis == "own" and self.carried_from is not None:
            raise ValueError("basis 'own' cannot have carried_from")
        if self.basis != "own" and self.carried_from is None:
            raise ValueError(f"basis {self.basis!r} needs carried_from")
        if self.basis == "carried_forward" and self.continuation is None:
            raise ValueError("basis 'carried_forward' needs the continuation clause")
        return self


class TariffAgreementModel(_Strict):
    id: str
    first_year: int
    last_year: int
    periods: list[str]
    no_increase: bool
    min_reduction_pct: float | None = Field(default=None, gt=0, lt=100)
    base_year: int | None = None
    description: str
    notes: list[str] = Field(default_factory=list)
    clauses: list[ClauseModel] = Field(min_length=1)

    @model_validator(mode="after")
    def _check_years(self) -> TariffAgreementModel:
        if self.first_year > self.last_year:
            raise ValueError(f"takstaftale {self.id}: first_year after last_year")
        if self.base_year is not None and not self.first_year - 1 <= self.base_year <= self.last_year:
            raise ValueError(f"takstaftale {self.id}: base_year outside the agreement")
        return self

    def to_record(self) -> TariffAgreement:
        return TariffAgreement(
            id=self.id,
            first_year=self.first_year,
            last_year=self.last_year,
            periods=tuple(self.periods),
            no_increase=self.no_increase,
            min_reduction_pct=self.min_reduction_pct,
            base_year=self.base_year,
            description=self.description,
            notes=tuple(self.notes),
            clauses=tuple(c.to_record() for c in self.clauses),
        )


class RulesFileModel(_Strict):
    version: int
    periods: dict[str, PeriodModel]
    tariff_agreements: list[TariffAgreementModel]

    @model_validator(mode="after")
    def _check_periods(self) -> RulesFileModel:
        unknown = [name for name in self.periods if not is_period_name(name)]
        if unknown:
            raise ValueError(f"not agreement period names: {sorted(unknown)} (e.g. '2017', '2027-28')")
        for name, period in self.periods.items():
            source = period.carried_from
            if source is not None and (
                source not in self.periods or period_years(source) >= period_years(name)
            ):
                raise ValueError(f"period {name}: carried_from {source!r} must be an earlier listed period")
            if source is None and any(rule.basis != "own" for rule in period.rules.values()):
                raise ValueError(f"period {name}: a carried-forward rule needs carried_from")
        return self


# --- loading and resolution ----------------------------------------------------------------------


def load_rules(
    path: Path | str, overlay: Path | None = None, calendar: PeriodCalendar | None = None
) -> RuleBook:
    """Read and validate a rules.yaml (the settings' ``rules_path``), with the secretariat's recorded
    rules (``overlay``, in the data folder) merged over it; ``calendar`` adds the periods the index
    knows, so every known period has rules to calculate with."""
    raw = read_rules_yaml(Path(path))
    if overlay is not None and overlay.exists():
        raw = merge_rules(raw, read_rules_yaml(overlay))
    return build_rulebook(raw, calendar)


def read_rules_yaml(path: Path) -> dict:
    """The parsed rules file; a RulesFileError when it cannot be read."""
    try:
        raw = read_yaml(path)
    except (OSError, yaml.YAMLError) as exc:
        raise RulesFileError(f"Kan ikke læse regelfilen {path}: {exc}") from exc
    return raw if isinstance(raw, dict) else {}


def merge_rules(base: dict, extra: dict) -> dict:
    """``base`` with ``extra``'s periods and takstaftaler laid over it: a period's rules are merged
    key by key (``extra`` wins), its other fields replaced; a takstaftale is replaced by id."""
    merged = copy.deepcopy(base)
    periods = merged.setdefault("periods", {})
    for name, entry in (extra.get("periods") or {}).items():
        current = periods.get(name) or {}
        rules = {**(current.get("rules") or {}), **(entry.get("rules") or {})}
        periods[name] = {**current, **entry, "rules": rules}
    agreements = {a.get("id"): a for a in merged.get("tariff_agreements") or []}
    for agreement in extra.get("tariff_agreements") or []:
        agreements[agreement.get("id")] = agreement
    merged["tariff_agreements"] = list(agreements.values())
    return merged


def build_rulebook(raw: object, calendar: PeriodCalendar | None = None) -> RuleBook:
    """Validate parsed YAML and resolve every period's rules. A known period the file does not
    list (a new agreement uploaded before the secretariat recorded its rules) gets the previous
    period's rules as carried forward, unconfirmed: calculations work and say so."""
    try:
        model = RulesFileModel.model_validate(raw)
    except ValidationError as exc:
        raise RulesFileError(f"Regelfilen er ugyldig: {exc}") from exc
    agreements = tuple(a.to_record() for a in model.tariff_agreements)
    known = PeriodCalendar.of([*model.periods, *(calendar or ())])
    resolved: dict[str, PeriodRules] = {}
    for name in known:
        period = model.periods.get(name)
        if period is None and resolved:
            period = unrecorded_period(next(reversed(resolved)), name)
        if period is not None:
            resolved[name] = _resolve_period(name, period, resolved, agreements)
    return RuleBook(periods=MappingProxyType(resolved), tariff_agreements=agreements, calendar=known)


def unrecorded_period(previous: str, name: str) -> PeriodModel:
    """The entry of a period without recorded rules: the previous period's, assumed carried forward."""
    note = (
        f"Der er ikke registreret regler for {name}; reglerne fra {previous} er antaget videreført, "
        "indtil sekretariatet registrerer periodens egne."
    )
    return PeriodModel(basis="carried_forward_unconfirmed", carried_from=previous, note=note)


def _resolve_period(
    name: str,
    period: PeriodModel,
    resolved: Mapping[str, PeriodRules],
    agreements: tuple[TariffAgreement, ...],
) -> PeriodRules:
    rules: dict[str, Rule] = {}
    if period.carried_from is not None:
        source = resolved[period.carried_from]
        rules = {key: _carry(rule, period) for key, rule in source.rules.items()}
    for key, rule_model in period.rules.items():
        clauses = tuple(c.to_record() for c in rule_model.clauses)
        if rule_model.basis == "carried_forward" and key in rules:
            # Confirmed by the period's own clause: the origin's value, citing both clauses.
            carried = rules[key]
            rules[key] = replace(
                carried, basis="carried_forward", continuation=carried.continuation + clauses, note=""
            )
            continue
        rules[key] = Rule(
            key=key,
            value=rule_model.value,
            description=rule_model.description,
            clauses=clauses,
            basis="own",
            origin_period=name,
        )
    missing = [key for key in REQUIRED_RULES if key not in rules]
    if missing:
        raise RulesFileError(f"rules.yaml: period {name} lacks rules {missing}")
    agreement = next((a for a in agreements if name in a.periods), None)
    return PeriodRules(
        period=name,
        basis=period.basis,
        rules=MappingProxyType(rules),
        tariff_agreement=agreement,
        note=period.note,
    )


def _carry(rule: Rule, period: PeriodModel) -> Rule:
    """The rule as the next period inherits it.

    The inheriting period's own statement decides the basis: a period whose documents say the
    styringsaftale continues is confirmed even if an earlier link (2019-20) is missing from the
    corpus, because that sentence vouches for "de gældende administrative aftaler" as a whole.
    """
    continuation = rule.continuation + ((period.continuation.to_record(),) if period.continuation else ())
    basis: Basis = (
        "carried_forward_unconfirmed" if period.basis == "carried_forward_unconfirmed" else "carried_forward"
    )
    return Rule(
        key=rule.key,
        value=rule.value,
        description=rule.description,
        clauses=rule.clauses,
        basis=basis,
        origin_period=rule.origin_period,
        continuation=continuation,
        note=period.note if basis == "carried_forward_unconfirmed" else "",
    )


def citations_for(clauses: tuple[Clause, ...] | list[Clause], start: int = 1) -> tuple[Citation, ...]:
    """Numbered citations for clauses, without duplicates, in first-use order."""
    unique: list[Clause] = []
    for clause in clauses:
        if clause not in unique:
            unique.append(clause)
    return tuple(clause.to_citation(start + i) for i, clause in enumerate(unique))
