from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT
from ingest.errors import IngestError
from ingest.loaders import load_bytes
from ingest.manifest import Manifest, load_manifest
from ingest.prepare import chunk_document
from ingest.splitting import heading_text

CORPUS = PROJECT_ROOT / "corpus"
STYRING_2017 = "rammeaftale-2017-udviklingsstrategi-og-styringsaftale.txt"


def chunks_of(name: str):
    path = CORPUS / name
    return chunk_document(load_bytes(name, path.read_bytes()), load_manifest(CORPUS))


@pytest.mark.parametrize(
    ("line", "previous", "following", "expected"),
    [
        ("13.4 Opsigelsesvarsel", "effektivt.", "Opsigelsesvarslet er", "13.4 Opsigelsesvarsel"),
        ("11.5 Regulering af over-/underskud1", "#", "Kommunale og", "11.5 Regulering af over-/underskud"),
        ("Kapitel 13. Afregning for brug af tilbud", "", "13.1", "Kapitel 13. Afregning for brug af tilbud"),
        ("## Varighed", "tekst", "Aftalen", "Varighed"),
        (
            "Takstaftale for perioden 2023-2024",
            "link",
            "De 19 Kommuner",
            "Takstaftale for perioden 2023-2024",
        ),
        ("Region Midtjylland har", "om samarbejdet mellem", "Derfor", None),  # continues a sentence
        ("• At borgeren", "Vi arbejder for:", "• At", None),
        ("Med Rammeaftale 2023-24 sætter de kommuner og", "#", "Region", None),  # dangling 'og'
        ("Torben Hansen Ib Lauritsen", "Med venlig hilsen", "Formand for KKR Midtjylland", None),  # signers
        ("Formand for KKR Midtjylland", "Torben Hansen", "Overblik", None),  # their roles
        ("Med venlig hilsen", "drøftelser.", "Torben Hansen", None),
        ("Mail: takst@viborg.dk", "Hjemmeside: https://x.dk", "Tlf: 41 71 99 98", None),  # contact details
        ("Tlf: 41 71 99 98", "Mail: takst@viborg.dk", "Kontakt", None),
        ("Overblik", "Formand for KKR Midtjylland", "Rammeaftalen", "Overblik"),  # after a signature
    ],
)
def test_heading_detection(line: str, previous: str, following: str, expected: str | None) -> None:
    assert heading_text(line, previous, following, blank_before=True) == expected


def test_the_signers_of_a_letter_are_text_not_a_section_title() -> None:
    chunks = chunks_of("kkr-invitation-udviklingsomraader-rammeaftale-2021-22.txt")
    assert any("Steen Vindum" in c.text for c in chunks)
    assert not any("Steen Vindum" in c.section for c in chunks)


def test_notice_period_section_is_one_chunk_with_title_and_page() -> None:
    chunks = [c for c in chunks_of(STYRING_2017) if c.section == "13.4 Opsigelsesvarsel"]
    assert len(chunks) == 1
    chunk = chunks[0]
    assert (
        chunk.title == "Styringsaftale 2017" and chunk.period == "2017" and chunk.doc_type == "styringsaftale"
    )
    assert chunk.page == 39
    assert chunk.text.startswith("Opsigelsesvarslet er løbende måned plus én måned")


def test_manifest_parts_split_the_bundled_meeting_annex() -> None:
    chunks = chunks_of("kkr-moedebilag-klima-dk2020-rammeaftale-2021-22.md")
    by_title = {c.title: c for c in chunks}
    assert len(by_title) == 3
    draft = by_title["Rammeaftale 2021-22 (udkast til godkendelse)"]
    assert draft.period == "2021-22" and draft.page is None
    climate = [c for c in chunks if c.title.startswith("3.1")]
    assert all(c.period is None for c in climate)


def test_chunks_are_bounded_ordered_and_ids_unique() -> None:
    chunks = chunks_of(STYRING_2017)
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    assert len({c.id for c in chunks}) == len(chunks)
    assert max(len(c.text) for c in chunks) < 2000
    assert all(c.text.strip() for c in chunks)


def test_list_items_keep_their_own_lines() -> None:
    chunk = next(
        c for c in chunks_of("rammeaftale-2023-24.txt") if c.section == "Takstaftale for perioden 2023-2024"
    )
    assert "\n1. Taksterne kan ikke stige i perioden\n" in chunk.text


def test_unknown_file_gets_detected_title_and_period() -> None:
    text = "Rammeaftale 2025-2026 for Midtjylland\n\nTaksterne kan ikke stige i perioden 2025-2026.\n"
    chunks = chunk_document(load_bytes("ny.txt", text.encode()), Manifest())
    assert chunks[0].title == "Rammeaftale 2025-2026 for Midtjylland"
    assert chunks[0].period == "2025-26"


def test_missing_part_marker_is_a_clear_error(tmp_path: Path) -> None:
    manifest = Manifest.model_validate(
        {
            "documents": [
                {
                    "file": "x.txt",
                    "title": "X",
                    "periods": ["2017"],
                    "doc_type": "rammeaftale",
                    "parts": [
                        {"title": "A", "doc_type": "a"},
                        {"title": "B", "doc_type": "b", "starts_at": "Findes ikke"},
                    ],
                }
            ]
        }
    )
    with pytest.raises(IngestError, match="Findes ikke"):
        chunk_document(load_bytes("x.txt", b"Linje\nAnden linje\n"), manifest)
