"""The calculators as LangChain tools for the LLM mode: the model chooses and fills in, we compute.

Each tool returns the calculator's JSON (``to_dict()``), including the clauses, so the model can cite
them; bad input comes back as ``{"error": "<Danish message>"}`` instead of raising into the agent.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from langchain_core.tools import BaseTool, tool

from assistant.calculators.notice import compute_notice
from assistant.calculators.rules import CalculatorInputError, RuleBook, load_rules
from assistant.calculators.tariff import TariffInput, compute_tariff
from assistant.calculators.tariff_check import check_tariffs


def make_tools(rules: RuleBook | None = None) -> list[BaseTool]:
    """The three calculator tools bound to ``rules`` (loaded from the corpus folder when None)."""
    book = rules if rules is not None else load_rules()

    @tool
    def notice_period(
        notice_date: str,
        period: str | None = None,
        death: bool = False,
        place_type: Literal["ordinary", "objective40"] = "ordinary",
    ) -> dict:
        """Sidste betalingsdag efter opsigelse eller dødsfald (løbende måned plus én måned).

        Args:
            notice_date: Dato for opsigelsen eller dødsfaldet som ÅÅÅÅ-MM-DD.
            period: Aftaleperiode, fx "2023-24"; udelades, udledes den af datoen.
            death: True hvis datoen er en dødsdato.
            place_type: "objective40" for objektivt finansierede pladser (§ 40), ellers "ordinary".
        """
        try:
            parsed = date.fromisoformat(notice_date)
        except ValueError:
            return {"error": f"Ugyldig dato {notice_date!r}; brug formatet ÅÅÅÅ-MM-DD."}
        return _run(lambda: compute_notice(book, parsed, period=period, death=death, place_type=place_type))

    @tool
    def tariff(
        direct_operating_costs: float,
        places: int,
        target_group: Literal["boern_unge", "voksne", "forsorgshjem_krisecenter"],
        period: str,
        tjm_salaries: float = 0.0,
        asset_value: float = 0.0,
        depreciation: float = 0.0,
        rent: float = 0.0,
        prior_result: float = 0.0,
        prior_budget: float | None = None,
        occupancy_pct: float | None = None,
        interest_rate_pct: float | None = None,
    ) -> dict:
        """Takstberegning: budget med procentsatser og klausuler, årstakst pr. plads og døgntakst.

        Args:
            direct_operating_costs: Årlige direkte driftsudgifter i kr. (inkl. tjenestemandslønninger).
            places: Antal pladser.
            target_group: "boern_unge", "voksne" eller "forsorgshjem_krisecenter".
            period: Aftaleperiode, fx "2025-26".
            tjm_salaries: Heraf lønninger til tjenestemænd i kr.
            asset_value: Værdi af grunde, bygninger og inventar i kr.
            depreciation: Afskrivninger i kr.
            rent: Husleje i kr.
            prior_result: Overskud (positivt) eller underskud (negativt) fra år t-2 i kr.
            prior_budget: Budgettet for år t-2 (grundlag for 5 %-grænsen).
            occupancy_pct: Belægningsprocent; kræves for forsorgshjem og krisecentre.
            interest_rate_pct: Forrentningssats i procent (diskonto + 1 point).
        """
        data = TariffInput(
            direct_operating_costs=direct_operating_costs,
            places=places,
            target_group=target_group,
            period=period,
            tjm_salaries=tjm_salaries,
            asset_value=asset_value,
            depreciation=depreciation,
            rent=rent,
            prior_result=prior_result,
            prior_budget=prior_budget,
            occupancy_pct=occupancy_pct,
            interest_rate_pct=interest_rate_pct,
        )
        return _run(lambda: compute_tariff(book, data))

    @tool
    def tariff_agreement_check(
        tariffs: dict[int, float], price_index: dict[int, float] | None = None
    ) -> dict:
        """Tjek om et tilbuds takster pr. år overholder takstaftalerne (faste priser).

        Args:
            tariffs: Takst pr. år, fx {2023: 1000.0, 2024: 1000.0}.
            price_index: Valgfrit pris- og lønindeks pr. år til omregning til faste priser.
        """
        return _run(
            lambda: check_tariffs(
                book,
                {int(k): v for k, v in tariffs.items()},
                {int(k): v for k, v in price_index.items()} if price_index else None,
            )
        )

    return [notice_period, tariff, tariff_agreement_check]


def _run(compute) -> dict:
    try:
        return compute().to_dict()
    except CalculatorInputError as exc:
        return {"error": str(exc)}
