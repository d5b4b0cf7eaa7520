from ingest.cleaning import BULLET, clean_text, normalize_for_match, rejoin_split_words


def test_joins_words_hyphenated_across_lines() -> None:
    assert clean_text("det specialiserede specialundervis-\nningsområde") == (
        "det specialiserede specialundervisningsområde"
    )


def test_keeps_suspended_hyphen_in_coordinations() -> None:
    assert clean_text("social-\nog specialundervisningsområdet") == "social-\nog specialundervisningsområdet"
    assert "over-/underskud" in clean_text("over-/underskud")


def test_removes_space_before_punctuation_and_in_numbers() -> None:
    assert (
        clean_text("i Midtjylland . Ca . 10 .000 pladser , i alt")
        == "i Midtjylland. Ca. 10.000 pladser, i alt"
    )


def test_private_use_bullets_become_bullet_lines_and_arrows_vanish() -> None:
    cleaned = clean_text("Punkter:\n\uf0b7 At borgeren\n ◀")
    assert f"{BULLET} At borgeren" in cleaned.splitlines()
    assert "◀" not in cleaned and "\uf0b7" not in cleaned


def test_markdown_html_is_stripped_but_headings_kept() -> None:
    cleaned = clean_text(
        "### **3.1**\n<p><b>1) Sparring</b></p> <ul><li>• Understøtte</li></ul> [\\*\\*\\[link\\]\\*\\*](#)",
        markdown=True,
    )
    assert cleaned.startswith("### 3.1")
    assert "<" not in cleaned and "**" not in cleaned and "\\" not in cleaned
    assert "1) Sparring" in cleaned and "[link]" in cleaned


def test_cleaning_is_idempotent() -> None:
    raw = "Taksterne kan ikke stige . Det er aftalt at regio-\nnen \uf0b7 betaler"
    once = clean_text(raw)
    assert clean_text(once) == once


def test_normalize_for_match_ignores_layout() -> None:
    document = "Opsigelsesvarslet er løbende måned plus én må-\nned, dette gælder også ved dødsfald"
    assert normalize_for_match("løbende  måned plus\nén måned") in normalize_for_match(document)


def test_rejoins_a_word_split_inside_a_line_when_the_document_writes_it_whole() -> None:
    pages = [
        "Forhold om udmøntningen af takstaftalen for tilbud omfattet af rammeaf-talen",
        "Rammeaftalen gælder",
    ]
    assert rejoin_split_words(pages, pages)[0].endswith("omfattet af rammeaftalen")


def test_keeps_the_hyphen_of_a_compound_the_document_never_writes_whole() -> None:
    pages = ["inspireret af collective impact-tilgangen og børne-unge-området", "en ny tilgang"]
    assert rejoin_split_words(pages, pages) == pages


def test_a_spelling_made_by_joining_a_line_end_break_is_no_evidence() -> None:
    """Cleaning joins "impact-\\ntilgangen" across the line; that join may be wrong, so it does not
    license joining "impact-tilgangen" elsewhere."""
    raw = ["collective impact-\ntilgangen", "den collective impact-tilgangen"]
    cleaned = [clean_text(page) for page in raw]
    assert rejoin_split_words(cleaned, raw)[1] == "den collective impact-tilgangen"


def test_a_quote_of_a_rejoined_word_matches_its_source() -> None:
    source = "Aftaler om prisstruktur og takstbe-regning.\nTakstberegningen følger aftalen."
    assert normalize_for_match("prisstruktur og takstberegning") in normalize_for_match(source)


def test_a_markdown_autolink_keeps_its_address() -> None:
    """ "<https://…>" is an address to quote, not an HTML tag to strip."""
    cleaned = clean_text(
        "Arbejdet kan følges på: <https://www.sundhedsaftalen.rm.dk/Den-naere-psykiatri/>", markdown=True
    )
    assert "https://www.sundhedsaftalen.rm.dk/Den-naere-psykiatri/" in cleaned
