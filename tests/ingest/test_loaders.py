import pytest

from ingest.errors import IngestError
from ingest.loaders import load_bytes


def test_page_markers_number_pages_from_one() -> None:
    doc = load_bytes("a.txt", b" Forord\ntekst\n Kapitel 2\nmere\n Kapitel 3\nslut")
    assert [page.number for page in doc.pages] == [1, 2, 3]
    assert doc.pages[1].text.startswith(" Kapitel 2")


def test_text_without_markers_has_no_pages() -> None:
    doc = load_bytes("a.txt", b"Linje et\nLinje to\n")
    assert [page.number for page in doc.pages] == [None]


def test_markdown_is_one_unpaged_document() -> None:
    doc = load_bytes("a.md", b"# Titel\n tekst\n mere")
    assert doc.markdown and [page.number for page in doc.pages] == [None]


def test_content_hash_identifies_the_bytes() -> None:
    assert load_bytes("a.txt", b"abc").content_hash == load_bytes("b.txt", b"abc").content_hash
    assert load_bytes("a.txt", b"abc").content_hash != load_bytes("a.txt", b"abd").content_hash


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("tom.txt", b"  \n", "tom"),
        ("latin1.txt", "Økonomi".encode("latin-1"), "UTF-8"),
        ("forkert.txt", b"%PDF-1.4 binary", "PDF"),
        ("billede.png", b"\x89PNG", "understøttes ikke"),
        ("skadet.pdf", b"%PDF-1.4 not really a pdf", "beskadiget"),
    ],
)
def test_bad_input_gets_a_danish_message(name: str, data: bytes, message: str) -> None:
    with pytest.raises(IngestError, match=message):
        load_bytes(name, data)
