"""Undo the extraction artefacts of the agreement documents, keeping structure for the splitter.

The seeds are PDF and Word extractions: words hyphenated across line breaks, a space before
punctuation ("Midtjylland ."), private-use bullet glyphs, "◀" page arrows, and (in the markdown
file) HTML tags and escaped markdown. Cleaning is pure text -> text and idempotent, except that
markdown cleaning removes one layer of entities/escapes per call ("&amp;lt;" -> "&lt;").
"""

from __future__ import annotations

import html
import re
import unicodedata

BULLET = "•"

_PRIVATE_USE_BULLETS = re.compile("[\uf000-\uf8ff]")
# Other private-use code points are glyphs of some font's own encoding: no text to keep.
_OTHER_PRIVATE_USE = re.compile("[\ue000-\uefff\U000f0000-\U0010ffff]")
_ARROWS = re.compile("[◀▶►◄]")
_SOFT_HYPHEN = "\u00ad"
# A hyphen before one of these words is the word's own, not a line-end break: "social- og
# sundhedsområdet". Shared with the PDF layout reader (ingest/pdf_layout.py).
HYPHEN_KEEPING_WORDS = frozenset({"og", "eller", "til", "samt", "and", "or"})
# "specialundervis-\nningsområde" -> "specialundervisningsområde"; keep "social- og", "over-/under".
_LINE_HYPHEN = re.compile(
    r"(?<=[a-zæøå])-[ \t]*\n[ \t]*(?=[a-zæøå])(?!(?:" + "|".join(sorted(HYPHEN_KEEPING_WORDS)) + r")\b)"
)
_SPACE_BEFORE_PUNCT = re.compile(r"(?<=[\w)\]\"”%])[ \t]+(?=[.,;:!?](?:\s|$|\d))")
_NUMBER_DOT_SPACE = re.compile(r"(?<=\d) \.(?=\d)")  # "10 .000" -> "10.000"
_HTML_BREAKS = re.compile(r"<\s*(?:br|/p|/li|/h\d|/tr|/ul|/ol)\s*/?>", re.IGNORECASE)
_HTML_ITEMS = re.compile(r"<\s*li[^>]*>", re.IGNORECASE)
_HTML_TAG = re.compile(r"<[^>\n]{1,200}>")
_MD_LINK = re.compile(r"\[([^\]\n]*)\]\((?:[^)\n]*)\)")
_MD_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
_MD_EMPHASIS = re.compile(r"\*\*|__")
_INLINE_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_RUNS = re.compile(r"\n{3,}")
_BULLET_LINE = re.compile(r"^\s*[•\-–]\s+")
# A hyphen inside a lower-case word, as a PDF's line break leaves it once the break is gone.
_IN_WORD_HYPHEN = re.compile(r"(?<![\w-])([a-zæøå]{2,})-([a-zæøå]{2,})(?![\w-])")
_UNBROKEN_WORD = re.compile(r"(?<![\w-])[^\W\d_]+(?![\w-])")
_REJOIN_PREFIX = 3  # letters of the second half the document must write on after the first half


def clean_text(text: str, *, markdown: bool = False) -> str:
    """Clean one page (or a whole non-paged document) of extracted text."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    # A no-break space counts as a space for every rule below (else a second pass finds more to do).
    text = text.replace(_SOFT_HYPHEN, "").replace("\f", "\n").replace("\u00a0", " ")
    # Glyphs go before markup: "*◀*" would otherwise leave "**" for a second pass to strip.
    text = _ARROWS.sub("", _OTHER_PRIVATE_USE.sub("", text))
    if markdown:
        text = _clean_markup(text)
    text = _PRIVATE_USE_BULLETS.sub(f"\n{BULLET} ", text)
    text = _LINE_HYPHEN.sub("", text)
    text = _NUMBER_DOT_SPACE.sub(".", text)
    text = _SPACE_BEFORE_PUNCT.sub("", text)
    lines = [_INLINE_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    lines = [_normalise_bullet(line) for line in lines]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def rejoin_split_words(pages: list[str], raw_pages: list[str]) -> list[str]:
    """Join words a PDF split with a hyphen inside a line ("rammeaf-talen" -> "rammeaftalen") when
    the document itself writes, unbroken within a line, a word that runs on from the first half
    into the second ("rammeaftale"): the document's own spelling decides, so a real compound
    ("børne-unge", "impact-tilgangen", "netto-nul") keeps its hyphen. The spelling is read from the
    raw text (``raw_pages``), since cleaning has already joined line-end breaks that may be wrong;
    and from the whole document, since the unbroken spelling is usually on another page."""
    written = {word.casefold() for page in raw_pages for word in _UNBROKEN_WORD.findall(page)}
    prefixes = {word[:n] for word in written for n in range(_REJOIN_PREFIX, len(word) + 1)}

    def join(match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        return left + right if (left + right[:_REJOIN_PREFIX]).casefold() in prefixes else match.group(0)

    return [_IN_WORD_HYPHEN.sub(join, page) for page in pages]


def normalize_for_match(text: str) -> str:
    """Whitespace-, hyphenation- and case-insensitive form, to check that a quote occurs in a text."""
    cleaned = rejoin_split_words([clean_text(text, markdown=True)], [text])[0]
    cleaned = cleaned.replace(BULLET, " ").replace("”", '"').replace("“", '"').replace("’", "'")
    return " ".join(cleaned.split()).casefold()


def _clean_markup(text: str) -> str:
    """Strip HTML tags and markdown decoration but keep '#' headings for the splitter."""
    text = _MD_AUTOLINK.sub(r"\1", text)  # before the tags: "<https://…>" is an address, not a tag
    text = _HTML_ITEMS.sub(f"\n{BULLET} ", text)
    text = _HTML_BREAKS.sub("\n", text)
    text = _HTML_TAG.sub(" ", text)
    text = html.unescape(text)
    text = _MD_ESCAPE.sub(r"\1", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_EMPHASIS.sub("", text)
    return text.replace("\t", " ")


def _normalise_bullet(line: str) -> str:
    if _BULLET_LINE.match(line) and not line.startswith("--"):
        return f"{BULLET} " + _BULLET_LINE.sub("", line, count=1)
    return line
