from core.text import split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def test_does_not_split_after_danish_abbreviations_or_thousands() -> None:
    assert texts("Der er ca. 10.000 pladser, jf. bilag 2. Fristen er 14 dage.") == [
        "Der er ca. 10.000 pladser, jf. bilag 2.",
        "Fristen er 14 dage.",
    ]


def test_line_breaks_separate_bullets_and_list_items() -> None:
    assert texts("Aftalen:\n1. Taksterne kan ikke stige\n• Punkt to") == [
        "Aftalen:",
        "1. Taksterne kan ikke stige",
        "• Punkt to",
    ]


def test_offsets_point_into_the_source() -> None:
    text = "Første sætning. Anden sætning."
    for sentence in split_sentences(text):
        assert text[sentence.start :].startswith(sentence.text)
