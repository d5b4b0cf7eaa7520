"""Property tests: cleaning, splitting, the Danish date/amount parsers and masking never raise on
arbitrary text, and their outputs keep their invariants."""

from __future__ import annotations

import math
import re
from datetime import date

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core.parsing import (
    find_amounts,
    find_dates,
    looks_like_year,
    parse_amount,
    parse_date,
)
from core.privacy import contains_cpr, mask_personal_data
from ingest.cleaning import clean_text
from ingest.errors import IngestError
from ingest.loaders import load_bytes
from ingest.manifest import Manifest
from ingest.prepare import chunk_document

# Characters the extractions actually contain, so the generator hits the cleaner's rules often.
SOURCE_ALPHABET = st.sampled_from(
    list("abcæøåABCÆØÅ  \t\n\r.,;:!?-–()#*_[]<>&/\\%0123456789")
    + [
        "\uf0b7",
        "\uf0a7",
        "◀",
        "►",
        "\u00ad",
        "\f",
        "\u00a0",
        "•",
        "é",
        "e\u0301",
        "&amp;",
        "<br>",
        "<li>",
        "kr.",
        "mio.",
    ]
)
SOURCE_TEXT = st.lists(SOURCE_ALPHABET, max_size=300).map("".join) | st.text(max_size=300)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")


@FUZZ
@given(SOURCE_TEXT, st.booleans())
@example("specialundervis-\nningsområde", False)
@example("Midtjylland .\n\n\n\nNæste", True)
@example("a\u00a0.", False)
@example("tilbuds-\u00a0\nområdet", False)
@example("*\u25c0*", True)
def test_clean_text_is_idempotent_and_leaves_no_artefacts(text: str, markdown: bool) -> None:
    """Markdown cleaning unescapes one layer per call ("&amp;lt;" -> "&lt;" -> "<"), so it is
    idempotent only on text without entities or backslash escapes; plain text always is."""
    cleaned = clean_text(text, markdown=markdown)
    if not markdown or not ("&" in text or "\\" in text):
        assert clean_text(cleaned, markdown=markdown) == cleaned
    assert not PRIVATE_USE.search(cleaned)
    assert "\r" not in cleaned and "\u00ad" not in cleaned and "\f" not in cleaned and "\n\n\n" not in cleaned
    assert cleaned == cleaned.strip()


PARAGRAPH = st.lists(
    st.sampled_from(
        [
            "Opsigelsesvarslet er seks måneder.",
            "13.4 Opsigelsesvarsel",
            "Kapitel 2 Takster",
            "# Overskrift",
            "• punkt om takster",
            "Taksten er 1.250.000 kr.",
            "",
            "specialundervis-",
            "ningsområdet",
            "1. Første",
        ]
    )
    | st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=120),
    max_size=25,
).map("\n".join)


@FUZZ
@given(PARAGRAPH, st.sampled_from(["doc.txt", "doc.md"]), st.integers(min_value=40, max_value=1200))
def test_chunk_document_makes_numbered_non_empty_chunks(text: str, name: str, max_chars: int) -> None:
    try:
        document = load_bytes(name, text.encode("utf-8"))
        chunks = chunk_document(document, Manifest(), max_chars=max_chars)
    except IngestError as exc:
        assert str(exc).startswith(name)  # a refusal names the file, in Danish
        return
    assert chunks
    assert [chunk.ordinal for chunk in chunks] == list(range(len(chunks)))
    assert len({chunk.id for chunk in chunks}) == len(chunks)
    for chunk in chunks:
        assert chunk.text.strip() and chunk.document == name and chunk.doc_hash == document.content_hash
    assert (
        chunk_document(document, Manifest(), max_chars=max_chars) == chunks
    )  # stable ids: idempotent re-index


DATEY_TEXT = st.lists(
    st.sampled_from(
        [
            "15. marts 2024",
            "15/3-2024",
            "2024-03-15",
            "31. februar 2024",
            "15.3.24",
            "9,5 mio.",
            "1.250.000 kr.",
            "850,000 DKK",
            "12 pladser",
            "3 pct.",
            " ",
            "og",
            "1.1.",
            "2024",
            "-",
            "/",
            ".",
            ",",
            "0",
            "99999999999",
        ]
    )
    | st.text(max_size=20),
    max_size=30,
).map(" ".join)


@FUZZ
@given(DATEY_TEXT)
def test_date_parser_spans_and_values_are_consistent(text: str) -> None:
    mentions = find_dates(text)
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    for earlier, later in zip(mentions, mentions[1:]):
        assert earlier.end <= later.start  # no overlapping mentions
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.raw
        assert mention.value is None or isinstance(mention.value, date)
    first_valid = next((m.value for m in mentions if m.value is not None), None)
    assert parse_date(text) == first_valid


@FUZZ
@given(DATEY_TEXT)
def test_amount_parser_values_are_finite_and_outside_dates(text: str) -> None:
    dates = [(m.start, m.end) for m in find_dates(text)]
    amounts = find_amounts(text)
    for amount in amounts:
        assert text[amount.start : amount.end] == amount.raw
        assert math.isfinite(amount.value) and amount.value >= 0
        assert amount.unit in (None, "kr", "pladser", "pct")
        assert not any(a <= amount.start < b for a, b in dates)
        looks_like_year(amount)
    assert parse_amount(text) == (amounts[0].value if amounts else None)


@FUZZ
@given(
    st.text(max_size=200) | DATEY_TEXT, st.dates(date(1900, 1, 1), date(2099, 12, 31)), st.integers(0, 9999)
)
def test_masking_removes_every_cpr_number(text: str, born: date, serial: int) -> None:
    cpr = f"{born:%d%m%y}-{serial:04d}"
    masked = mask_personal_data(f"{text} {cpr} {text}")
    assert cpr not in masked and not contains_cpr(masked)
    assert mask_personal_data(masked) == masked
