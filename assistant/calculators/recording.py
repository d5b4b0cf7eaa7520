"""Recording a new period's calculator rules by quoting the clause that states each one.

The secretariat picks a parameter and quotes the clause of the period's document that states it.
The quote must occur verbatim in that document (whitespace, line-end hyphens and case aside); the
value is read from the quote itself, never typed, so every number stays pinned to its clause.
Recorded rules go to the data folder's rules file (``Settings.recorded_rules_path``), beside the
uploads they quote, and are laid over the bundled ``corpus/rules.yaml``. A write is validated as
a whole rule book first and replaces the file atomically: bad input changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

from assistant.calculators.rules import (
    BASIS_TEXT,
    Basis,
    Clause,
    RuleBook,
    RulesFileError,
    build_rulebook,
    merge_rules,
    read_rules_yaml,
)
from core.files import write_atomic
from core.parsing import find_amounts, looks_like_year
from core.periods import period_years
from ingest.cleaning import normalize_for_match

Kind = Literal["percent", "months", "days", "years", "text", "continuation", "no_increase", "reduction"]
CONTINUATION = "continuation"  # not a parameter: the clause that carries the whole styringsaftale on
TARIFF_NO_INCREASE = "tariff_no_increase"
TARIFF_MIN_REDUCTION = "tariff_min_reduction_pct"
_TAKSTAFTALE_KINDS = ("no_increase", "reduction")
_NO_INCREASE = re.compile(r"\b(?:kan|må|skal)\s+ikke\s+stige\b", re.IGNORECASE)
_REDUCTION = re.compile(r"\b(?:reduc\w*|reduktion\w*|falde\w*|nedsæt\w*)", re.IGNORECASE)
MIN_QUOTE, MAX_QUOTE = 10, 400  # the rules file's bounds on a quoted clause


@dataclass(frozen=True)
class Parameter:
    """A calculator parameter as the secretariat sees it: a caseworker's label and how its value
    is read from a quoted clause."""

    key: str
    label: str
    kind: Kind


PARAMETERS: Mapping[str, Parameter] = {
    p.key: p
    for p in (
        Parameter(
            "notice_months_after_notice_month",
            "Opsigelsesvarsel (løbende måned plus antal måneder)",
            "months",
        ),
        Parameter("notice_payment_condition", "Betingelse for betaling i opsigelsesperioden", "text"),
        Parameter(
            "notice_excluded_objective40", "Undtagelse for objektivt finansierede pladser (§ 40)", "text"
        ),
        Parameter("invoice_interval", "Hvor ofte driftsherren afregner", "text"),
        Parameter("payment_deadline_min_days", "Betalingsfrist (mindst antal dage)", "days"),
        Parameter("subscription_invoice_interval", "Afregning ved abonnementsordninger", "text"),
        Parameter("admin_max_pct", "Administrationsprocent (højst)", "percent"),
        Parameter("tjm_pension_pct", "Pensionsprocent for tjenestemænd", "percent"),
        Parameter("interest_rate_pct", "Forrentningssats", "percent"),
        Parameter("costs_in_tariff", "Hvad taksten skal indeholde", "text"),
        Parameter("occupancy_boern_unge_pct", "Belægningsprocent, børn og unge", "percent"),
        Parameter("occupancy_voksne_pct", "Belægningsprocent, voksne", "percent"),
        Parameter(
            "occupancy_forsorgshjem_krisecenter_pct",
            "Belægningsprocent, forsorgshjem og krisecentre",
            "percent",
        ),
        Parameter("surplus_deficit_threshold_pct", "Grænse for over- og underskud (procent)", "percent"),
        Parameter("surplus_deficit_lag_years", "Over- og underskud efterreguleres (antal år efter)", "years"),
        Parameter("surplus_within_threshold", "Overskud inden for grænsen", "text"),
        Parameter("deficit_within_threshold", "Underskud inden for grænsen", "text"),
        Parameter(
            "coverage_min_other_use_pct",
            "Tilbud omfattet af aftalen (andre kommuners andel, procent)",
            "percent",
        ),
        # The period's takstaftale: written as a tariff agreement over the period's years, which the
        # tariff-agreement check then applies to tariffs of those years.
        Parameter(TARIFF_NO_INCREASE, "Takstaftale: taksterne må ikke stige i perioden", "no_increase"),
        Parameter(
            TARIFF_MIN_REDUCTION, "Takstaftale: taksterne skal falde med mindst (procent)", "reduction"
        ),
        Parameter(
            CONTINUATION,
            "Styringsaftalen er en videreførelse af den forrige (alle parametre)",
            "continuation",
        ),
    )
}

_NUMBER_WORDS = {"én": 1, "en": 1, "et": 1, "ét": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6}
_COUNT = r"(\d+|" + "|".join(_NUMBER_WORDS) + r")"
_MONTHS = re.compile(r"løbende\s+måned\s+plus\s+" + _COUNT + r"\s+måned", re.IGNORECASE)
_DAYS = re.compile(r"\b" + _COUNT + r"\s+dage\b", re.IGNORECASE)
_YEARS = re.compile(r"\b" + _COUNT + r"\s+år\b", re.IGNORECASE)


class RuleRecordingError(ValueError):
    """Bad input to rule recording; the Danish message is shown to the secretariat as-is."""


@dataclass(frozen=True)
class RuleProposal:
    """A parameter read from a verified clause, ready to be shown and written."""

    period: str
    parameter: Parameter
    value: float | str | None
    basis: Literal["own", "carried_forward"]  # carried_forward: the clause confirms the earlier value
    clause: Clause

    def summary_da(self) -> str:
        """One Danish line: what will be recorded, and from where."""
        page = f", s. {self.clause.page}" if self.clause.page else ""
        where = f"{self.clause.title}{page}"
        if self.parameter.kind == CONTINUATION:
            return f"{self.period}: styringsaftalen er videreført – bekræftet af {where}."
        if self.basis == "carried_forward":
            return f"{self.period}: {self.parameter.label} er videreført uændret – bekræftet af {where}."
        return f"{self.period}: {self.parameter.label} = {format_value(self.value)} (fra {where})."


@dataclass(frozen=True)
class ParameterStatus:
    """How one parameter stands in a period: its value, basis and the clauses it rests on."""

    parameter: Parameter
    value: float | str | None
    basis: Basis
    origin_period: str
    clauses: tuple[Clause, ...]

    @property
    def basis_label(self) -> str:
        """'egen aftale', 'videreført' or 'videreført, ubekræftet' — as every calculation says."""
        return BASIS_TEXT[self.basis]


def parameter(key: str) -> Parameter:
    """The parameter named ``key``; a Danish error listing the valid ones otherwise."""
    try:
        return PARAMETERS[key]
    except KeyError:
        raise RuleRecordingError(f"Ukendt parameter: {key!r}. Gyldige: {', '.join(PARAMETERS)}.") from None


def locate_quote(quote: str, pages: list[tuple[int | None, str]]) -> int | None:
    """The page that holds ``quote`` (None for a document without pages); a Danish error when the
    quote is not verbatim in the document."""
    text = " ".join(quote.split())
    if not MIN_QUOTE <= len(text) <= MAX_QUOTE:
        raise RuleRecordingError(
            f"Citatet skal være mellem {MIN_QUOTE} og {MAX_QUOTE} tegn (det har {len(text)})."
        )
    wanted = normalize_for_match(text)
    for number, page_text in pages:
        if wanted in normalize_for_match(page_text):
            return number
    if wanted in normalize_for_match("\n".join(page_text for _, page_text in pages)):
        return next((number for number, _ in pages), None)  # spans a page break: cite where it starts
    raise RuleRecordingError(
        "Citatet står ikke ordret i dokumentet. Kopiér sætningen direkte fra dokumentet (mellemrum og "
        "orddeling ved linjeskift betyder ikke noget)."
    )


def read_value(param: Parameter, quote: str) -> float | str | None:
    """The parameter's value as the quote states it; a Danish error when it states none clearly."""
    text = " ".join(quote.split())
    if param.kind == "text":
        return text
    if param.kind == CONTINUATION:
        if not re.search(r"videreførelse|videreføres|videreført|uændret", text, re.IGNORECASE):
            raise RuleRecordingError(
                "Citatet siger ikke, at styringsaftalen videreføres (fx »… er en videreførelse af …«)."
            )
        return None
    if param.kind == "no_increase":
        if not _NO_INCREASE.search(text):
            raise RuleRecordingError(
                "Citatet siger ikke, at taksterne ikke må stige (fx »Taksterne kan ikke stige …«)."
            )
        return None
    if param.kind == "reduction":
        if not _REDUCTION.search(text):
            raise RuleRecordingError(
                "Citatet siger ikke, at taksterne skal reduceres (fx »… reduceres med minimum 2 pct.«)."
            )
        return _read_percent(text)
    if param.kind == "percent":
        return _read_percent(text)
    pattern = {"months": _MONTHS, "days": _DAYS, "years": _YEARS}[param.kind]
    counts = {_count(m.group(1)) for m in pattern.finditer(text)}
    if len(counts) != 1:
        what = {
            "months": "»løbende måned plus … måned(er)«",
            "days": "et antal dage",
            "years": "et antal år",
        }[param.kind]
        raise RuleRecordingError(f"Kan ikke læse værdien: citatet skal angive {what} én gang.")
    return counts.pop()


def build_proposal(
    rules: RuleBook, period: str, param: Parameter, clause: Clause, confirms: bool = False
) -> RuleProposal:
    """The proposal for recording ``param`` in ``period`` from a verified ``clause``. ``confirms``:
    the clause says the earlier period's value continues (it is kept, and both clauses cited)."""
    if period not in rules.periods:
        raise RuleRecordingError(f"Aftaleperiode {period} har ingen regler at bygge videre på.")
    if confirms and param.kind in _TAKSTAFTALE_KINDS:
        raise RuleRecordingError(
            "En takstaftale kan kun angives med periodens egen formulering, ikke som videreført."
        )
    if confirms and param.kind != CONTINUATION:
        if rules.periods[period].rule(param.key).basis == "own":
            raise RuleRecordingError(f"{param.label} er allerede angivet i {period}s egne dokumenter.")
        return RuleProposal(
            period, param, rules.periods[period].rule(param.key).value, "carried_forward", clause
        )
    return RuleProposal(period, param, read_value(param, clause.quote), "own", clause)


def write_proposal(bundled: Path, recorded: Path, rules: RuleBook, proposal: RuleProposal) -> RuleBook:
    """Add ``proposal`` to the recorded rules file and return the new rule book. The whole book is
    validated before the file is replaced (atomically), so a bad entry leaves the file as it was."""
    raw = read_rules_yaml(recorded) if recorded.exists() else {}
    raw = {
        "version": 1,
        "periods": raw.get("periods") or {},
        "tariff_agreements": raw.get("tariff_agreements") or [],
    }
    base = read_rules_yaml(bundled)
    entry = raw["periods"].setdefault(proposal.period, {})
    if proposal.period not in (base.get("periods") or {}) and "basis" not in entry:
        entry.update(_new_period_entry(rules, proposal.period))
    clause = proposal.clause.to_dict()
    if proposal.parameter.kind in _TAKSTAFTALE_KINDS:
        _add_takstaftale_term(raw, proposal, clause)
    elif proposal.parameter.kind == CONTINUATION:
        entry.update(basis="carried_forward", continuation=clause, note="")
    else:
        rule = {"value": proposal.value, "description": proposal.parameter.label, "clauses": [clause]}
        if proposal.basis == "carried_forward":
            rule["basis"] = "carried_forward"
        entry.setdefault("rules", {})[proposal.parameter.key] = rule
    try:
        book = build_rulebook(merge_rules(base, raw), rules.calendar)
    except RulesFileError as exc:
        raise RuleRecordingError(
            f"Reglen kan ikke gemmes, fordi regelfilen så ville blive ugyldig: {exc}"
        ) from exc
    recorded.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(recorded, yaml.safe_dump(raw, allow_unicode=True, sort_keys=False).encode("utf-8"))
    return book


def _add_takstaftale_term(raw: dict, proposal: RuleProposal, clause: dict) -> None:
    """Add a takstaftale term to the period's own agreement (one per period, over its years; made
    on the first term), citing every clause a term was read from."""
    first, last = period_years(proposal.period)
    agreements = raw["tariff_agreements"]
    agreement = next((a for a in agreements if a.get("id") == proposal.period), None)
    if agreement is None:
        agreement = {
            "id": proposal.period,
            "first_year": first,
            "last_year": last,
            "periods": [proposal.period],
            "no_increase": False,
            "min_reduction_pct": None,
            "base_year": None,
            "description": "",
            "notes": [],
            "clauses": [],
        }
        agreements.append(agreement)
    if proposal.parameter.kind == "no_increase":
        agreement["no_increase"] = True
    else:
        agreement["min_reduction_pct"] = proposal.value
    agreement["clauses"] = [c for c in agreement["clauses"] if c["quote"] != clause["quote"]] + [clause]
    agreement["description"] = takstaftale_description(
        first, last, agreement["no_increase"], agreement["min_reduction_pct"]
    )


def takstaftale_description(first: int, last: int, no_increase: bool, min_reduction: float | None) -> str:
    """The agreement in one Danish sentence, as the bundled rules phrase theirs."""
    terms = (["kan ikke stige"] if no_increase else []) + (
        [f"reduceres med minimum {format_value(float(min_reduction))} %"] if min_reduction else []
    )
    return f"Taksterne {' og '.join(terms)} i perioden {first}-{last} (faste priser)."


def status_of(rules: RuleBook, period: str) -> list[ParameterStatus]:
    """Every parameter of ``period`` with its value and basis: what the secretariat still has to
    confirm shows as 'videreført, ubekræftet'."""
    period_rules = rules.for_period(period)
    statuses = [
        ParameterStatus(p, rule.value, rule.basis, rule.origin_period, rule.all_clauses)
        for p in PARAMETERS.values()
        if p.kind not in (CONTINUATION, *_TAKSTAFTALE_KINDS)
        and (rule := period_rules.rules.get(p.key)) is not None
    ]
    agreement = rules.agreement_for_year(period_years(period_rules.period)[0])
    if agreement is not None:  # the takstaftale that covers the period, by its terms
        own = period_rules.period in agreement.periods
        origin = period_rules.period if own else agreement.periods[0]
        basis: Basis = "own" if own else "carried_forward"
        if agreement.no_increase:
            statuses.append(
                ParameterStatus(PARAMETERS[TARIFF_NO_INCREASE], "ja", basis, origin, agreement.clauses)
            )
        if agreement.min_reduction_pct:
            statuses.append(
                ParameterStatus(
                    PARAMETERS[TARIFF_MIN_REDUCTION],
                    agreement.min_reduction_pct,
                    basis,
                    origin,
                    agreement.clauses,
                )
            )
    return statuses


def format_value(value: float | str | None) -> str:
    """A value as the secretariat reads it: '4,5' for numbers, the text itself otherwise."""
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return "–" if value is None else str(value)


def _new_period_entry(rules: RuleBook, period: str) -> dict:
    """A first entry for a period the bundled rules lack: carried on from the period before it,
    unconfirmed until the secretariat records the period's own clauses."""
    earlier = [name for name in rules.periods if rules.calendar.is_earlier(name, period)]
    if not earlier:
        raise RuleRecordingError(f"Der er ingen tidligere aftaleperiode, som {period} kan bygge videre på.")
    return {
        "basis": "carried_forward_unconfirmed",
        "carried_from": earlier[-1],
        "note": (
            f"Parametre, som dokumenterne for {period} ikke angiver, er videreført fra {earlier[-1]} "
            "uden bekræftelse."
        ),
    }


def _read_percent(text: str) -> float:
    """The one percentage a clause states: a number marked %, pct. or procent, else the single
    unmarked number (a table row: 'Administration 4,5')."""
    amounts = [a for a in find_amounts(text) if not looks_like_year(a) and a.unit in ("pct", None)]
    marked = {a.value for a in amounts if a.unit == "pct"}
    values = marked or {a.value for a in amounts}
    if len(values) != 1:
        found = ", ".join(format_value(float(v)) for v in sorted(values)) or "ingen"
        raise RuleRecordingError(
            f"Kan ikke læse én procentsats i citatet (fandt: {found}). Citér den sætning eller "
            f"tabelrække, der angiver satsen."
        )
    return float(values.pop())


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word.lower()]
