"""Split cleaned pages along the documents' own structure: parts, chapters and numbered sections
("13.4 Opsigelsesvarsel"), headings; then pack each section's sentences into chunks that keep
the section title and the page where they start."""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field

from core.records import Chunk
from core.text import split_sentences
from ingest.cleaning import BULLET
from ingest.errors import IngestError
from ingest.manifest import PartSpec

DEFAULT_MAX_CHARS = 900

_MD_HEADING = re.compile(r"^#{1,6}\s+(\S.*)$")
_CHAPTER = re.compile(r"^Kapitel\s+\d+\.?\s+\S.{0,90}$")
_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)\.?\s+([A-ZÆØÅ].{0,90})$")
_FOOTNOTE_MARK = re.compile(r"(?<=[a-zæøå])\d$")
_YEAR_OR_PERIOD = re.compile(r"(?:19|20)\d\d(?:[-–/](?:(?:19|20)\d\d|\d\d))?")
_LIST_ITEM = re.compile(r"^\d{1,2}\.\s+\S")
# A signature: the names line is followed by the signers' roles ("Formand for KKR Midtjylland").
_ROLE_LINE = re.compile(r"^(?:Næstformand|Formand|Borgmester|Regionsrådsformand|Direktør|Kommunaldirektør)\b")
# Contact details ("Mail: takst@viborg.dk", "Tlf: 41 71 99 98", a web address) are text to quote.
_CONTACT_LINE = re.compile(
    r"@|https?://|www\.|^(?:Tlf|Telefon|Mail|E-mail|Hjemmeside|Adresse)\b\.?:?", re.IGNORECASE
)
_CLOSING = re.compile(r"^(?:Med )?venlig(?:e)? hils(?:en|ner)\b", re.IGNORECASE)
_SENTENCE_END = (".", ":", "!", "?", ";", ",")
_SHORT_LINE = 80  # wrapped lines in the 2017 PDF run to ~85 characters; shorter ones end a paragraph
_DANGLING = frozenset(
    "og i af til for med at der som på en et de om fra eller samt ved mellem har er kan skal vil hvor hvis".split()
)
_JOIN = " – "
_MAX_MERGED = 3


@dataclass(frozen=True)
class SourcePart:
    """One cleaned document (or manifest part) to split: lines with their page numbers."""

    document: str
    doc_hash: str
    spec: PartSpec
    lines: tuple[tuple[int | None, str], ...]
    # A laid-out PDF (ingest/pdf_layout.py): every paragraph is one line, a blank line or a page
    # break ends it, so no guess from line lengths is needed.
    laid_out: bool = False
    fresh_pages: frozenset[int] = frozenset()  # pages that start a chunk of their own (OCR'd scans)


@dataclass
class _Section:
    title: str
    lines: list[tuple[int | None, str]] = field(default_factory=list)


def assign_parts(
    document: str,
    doc_hash: str,
    pages: list[tuple[int | None, str]],
    parts: tuple[PartSpec, ...],
    laid_out: bool = False,
    fresh_pages: frozenset[int] = frozenset(),
) -> list[SourcePart]:
    """Cut a file's lines into its manifest parts at each part's `starts_at` line."""
    lines = [(number, line) for number, text in pages for line in text.split("\n")]
    cuts = [0]
    for spec in parts[1:]:
        cuts.append(_find_start(document, lines, spec, after=cuts[-1]))
    cuts.append(len(lines))
    return [
        SourcePart(document, doc_hash, spec, tuple(lines[cuts[i] : cuts[i + 1]]), laid_out, fresh_pages)
        for i, spec in enumerate(parts)
    ]


def split_part(part: SourcePart, first_ordinal: int = 0, max_chars: int = DEFAULT_MAX_CHARS) -> list[Chunk]:
    """Chunks of one part, numbered from ``first_ordinal`` so ordinals are unique per file."""
    chunks: list[Chunk] = []
    for section in _sections(part.lines, part.spec.title, part.laid_out):
        for text, page in _pack(section, max_chars, part.fresh_pages):
            chunks.append(_make_chunk(part, section.title, text, page, first_ordinal + len(chunks)))
    return chunks


def _find_start(document: str, lines: list[tuple[int | None, str]], spec: PartSpec, after: int) -> int:
    marker = (spec.starts_at or "").strip()
    for index in range(after + 1, len(lines)):
        if lines[index][1].strip() == marker:
            return index
    raise IngestError(f"{document}: delen '{spec.title}' starter ved '{marker}', som ikke findes i teksten.")


def _sections(
    lines: tuple[tuple[int | None, str], ...], part_title: str, laid_out: bool = False
) -> list[_Section]:
    """Group lines under headings; consecutive headings merge into one title."""
    sections = [_Section(part_title)]
    previous = ""
    pending_heading = False
    blank_before = True
    parent = ""  # the last numbered section or chapter: context for the unnumbered headings in it
    for index, (page, line) in enumerate(lines):
        following = next((text for _, text in lines[index + 1 :] if text.strip()), "")
        if laid_out and index and lines[index - 1][0] != page:
            blank_before = True  # a laid-out page starts a paragraph
        heading = heading_text(line, previous, following, blank_before=blank_before, laid_out=laid_out)
        blank_before = not line.strip()
        if heading:
            numbered = bool(_NUMBERED.match(heading) or _CHAPTER.match(heading))
            if pending_heading and not sections[-1].lines:
                merged = f"{sections[-1].title}{_JOIN}{heading}".split(_JOIN)
                sections[-1].title = _JOIN.join(merged[-_MAX_MERGED:])
            else:
                sections.append(_Section(heading if numbered or not parent else f"{parent}{_JOIN}{heading}"))
            if numbered:
                parent = heading
            pending_heading = True
        elif line.strip():
            sections[-1].lines.append((page, line))
            pending_heading = False
        elif sections[-1].lines and sections[-1].lines[-1][1]:
            sections[-1].lines.append((page, ""))  # a blank line may end a list item
        if line.strip():
            previous = "#" if heading else line
    return [section for section in sections if any(text for _, text in section.lines)]


def heading_text(
    line: str, previous: str, following: str, *, blank_before: bool = False, laid_out: bool = False
) -> str | None:
    """The heading a line states, or None. ``previous`` is the last non-blank line ('#' after a
    heading), so a short line that continues an unfinished sentence is not taken for a heading;
    a short previous line followed by a blank line ended its paragraph (in a laid-out PDF any
    previous line followed by a blank line did: the layout saw the paragraph end)."""
    text = line.strip()
    if not text or text.startswith(BULLET) or "....." in text:
        return None
    if match := _MD_HEADING.match(text):
        return match.group(1).strip()
    if _CHAPTER.match(text) or _NUMBERED.match(text):
        return _FOOTNOTE_MARK.sub("", text.rstrip(":")).strip()
    if len(text) > 60 or len(text.split()) > 8 or not text[0].isupper() or text.endswith(_SENTENCE_END):
        return None
    last = text.split()[-1]
    if text.endswith("-") or last.lower() in _DANGLING or _ends_in_value(last):
        return None
    if not following.strip() or following.strip()[0].islower():
        return None
    if _CONTACT_LINE.search(text):
        return None
    if _CLOSING.match(text) or _ROLE_LINE.match(text) or _ROLE_LINE.match(following.strip()):
        return None  # a letter's closing, its signers' names or roles, not a heading
    after_break = (
        not previous
        or previous == "#"
        or previous.rstrip().endswith((".", ":", "!", "?"))
        or bool(_ROLE_LINE.match(previous.strip()))  # a signature ended the letter
        or (
            blank_before
            and (laid_out or len(previous.strip()) < _SHORT_LINE)
            and _last_word(previous) not in _DANGLING
        )
    )
    return text if after_break else None


def _ends_in_value(word: str) -> bool:
    """Table rows ("... tjenestemænd 30,0", "... 98 %") end in a value; headings end in words or
    a year/period ("Specialundervisningsområdet i 2017", "Styringsaftale 2023-24")."""
    return not _YEAR_OR_PERIOD.fullmatch(word) and any(ch.isdigit() or ch == "%" for ch in word)


def _last_word(line: str) -> str:
    words = line.split()
    return words[-1].lower() if words else ""


def _pack(
    section: _Section, max_chars: int, fresh_pages: frozenset[int] = frozenset()
) -> list[tuple[str, int | None]]:
    """Reflow the section's lines into sentences, then pack sentences into chunks (a chunk never
    runs on into one of ``fresh_pages``, so an OCR'd page's chunks cite that page alone)."""
    text, offsets, pages = _reflow(section.lines)
    chunks: list[tuple[str, int | None]] = []
    current: list[str] = []
    current_page: int | None = None
    for sentence in split_sentences(text):
        page = pages[max(0, bisect.bisect_right(offsets, sentence.start) - 1)]
        crosses = page != current_page and (page in fresh_pages or current_page in fresh_pages)
        if current and (len(" ".join(current)) + len(sentence.text) > max_chars or crosses):
            chunks.append(("\n".join(current), current_page))
            current = []
        if not current:
            current_page = page
        current.append(sentence.text)
    if current:
        chunks.append(("\n".join(current), current_page))
    return chunks


def _reflow(lines: list[tuple[int | None, str]]) -> tuple[str, list[int], list[int | None]]:
    """Join wrapped lines; keep a line break only at bullets, after sentence-final lines, and
    where a blank line ends a list item (items rarely end with a full stop).

    Returns the text plus (offset, page) tables so every sentence can be given its page."""
    text = ""
    offsets: list[int] = []
    pages: list[int | None] = []
    in_item = after_blank = False
    for page, raw in lines:
        line = raw.strip()
        if not line:
            after_blank = True
            continue
        new_item = line.startswith(BULLET) or bool(_LIST_ITEM.match(line))
        if text:
            ends_sentence = text.endswith((".", ":", "!", "?")) or (in_item and after_blank)
            text += "\n" if new_item or (ends_sentence and line[:1].isupper()) else " "
        in_item = new_item or (in_item and not after_blank)
        after_blank = False
        offsets.append(len(text))
        pages.append(page)
        text += line
    return text, offsets, pages


def _make_chunk(part: SourcePart, section: str, text: str, page: int | None, ordinal: int) -> Chunk:
    digest = hashlib.sha256(f"{part.doc_hash}\x1f{ordinal}\x1f{text}".encode()).hexdigest()[:32]
    return Chunk(
        id=digest,
        text=text,
        document=part.document,
        title=part.spec.title,
        period=part.spec.period,
        doc_type=part.spec.doc_type,
        section=section,
        page=page,
        ordinal=ordinal,
        doc_hash=part.doc_hash,
    )
