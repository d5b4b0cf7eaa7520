"""The notice page's form is derived from the calculator's registration: its fields, labels and
choices, and the computed result, driven through Streamlit's own test runner."""

from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from core.settings import PROJECT_ROOT


def _page() -> AppTest:
    return AppTest.from_file(str(PROJECT_ROOT / "pages" / "2_Opsigelsesvarsel.py"), default_timeout=60)


def test_the_notice_form_has_a_widget_per_registered_field() -> None:
    page = _page().run()
    assert not page.exception
    assert [d.label for d in page.date_input] == ["Dato for opsigelse eller dødsfald"]
    assert [c.label for c in page.checkbox] == ["Datoen er en dødsdato"]
    assert page.radio[0].label == "Pladstype" and page.radio[0].options == [
        "almindelig plads",
        "objektivt finansieret plads (magtanvendelsesbekendtgørelsens § 40)",
    ]
    assert page.selectbox[0].label == "Aftaleperiode" and page.selectbox[0].options[0] == "Ud fra datoen"


def test_the_form_computes_the_last_paid_day() -> None:
    page = _page().run()
    page.date_input[0].set_value(date(2024, 3, 15))
    page.checkbox[0].check()
    page.button[0].click().run()
    assert not page.exception and not page.error
    assert page.metric[0].value == "30.04.2024"
    assert "Dødsfald den 15. marts 2024" in page.success[0].value


def test_a_chosen_period_is_used_and_an_objective_place_has_no_notice() -> None:
    page = _page().run()
    page.date_input[0].set_value(date(2024, 3, 15))
    page.radio[0].set_value("objective40")
    page.selectbox[0].set_value("2023-24")
    page.button[0].click().run()
    assert not page.exception and not page.metric
    assert "gælder ikke" in page.warning[0].value
