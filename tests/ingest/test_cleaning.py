from ingest.cleaning import BULLET, clean_text, normalize_for_match


def test_joins_words_hyphenated_across_lines() -> None:
    assert clean_text("det specialiserede specialundervis-\nningsområde") == (
        "det specialiserede specialundervisningsområde"
    )


def test_keeps_suspended_hyphen_in_coordinations() -> None:
    assert clean_text("social-\nog specialundervisningsområdet") == "social-\nog specialundervisningsområdet"
    assert "over-/underskud" in clean_text("over-/underskud")


def test_removes_space_before_punctuation_and_in_numbers() -> None:
    assert clean_text("i Midtjylland . Ca . 10 .000 pladser , i alt") == "i Midtjylland. Ca. 10.000 pladser, i alt"


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
