"""Turn positioned PDF text into the text the splitter reads: one line per paragraph, heading,
list item or table row, blank lines between them, running headers, footers and page numbers gone.

Every rule here is about how agreement-style PDFs are typeset, not about one document:
- a header or footer is a line at the same height near the top or bottom of many pages (digits
  ignored, so "Side 3 af 12" and "Side 10 af 12" are one footer);
- a paragraph ends where the vertical gap grows, the font changes, an item marker starts a line or
  a line is indented; a row with cells far apart is a table row and stays one line;
- a page whose rows split at one x in the middle, with text on both sides, is read column by column;
- a word hyphenated at a line end is rejoined, unless the hyphen is the word's own (the document
  spells it with a hyphen elsewhere, it follows an acronym or number, or "og"/"eller" follows).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.cleaning import HYPHEN_KEEPING_WORDS
from ingest.pdf_text import TextRun

_ZONE_ROWS = 3  # rows at the top and bottom of a page that may be a running header or footer
_MIN_SHARE = 0.4  # a running line is on this share of the pages (odd/even headers: about half each)
_CHAR_WIDTH = 0.5  # average glyph width in em, to estimate where a run ends
_CELL_GAP = 3.0  # ems of white space between two runs that makes them two table cells
_BULLETS = "•▪◦–-"
_ITEM = re.compile(r"^(?:[•▪◦–-]\s|\d{1,2}[.)]\s)")
_SENTENCE_END = (".", ":", "!", "?")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)


@dataclass(frozen=True)
class Row:
    """Runs at one height on one page, grouped into cells (more than one cell: a table row)."""

    page: int
    y: float
    x: float
    cells: tuple[str, ...]
    cell_x: tuple[float, ...]
    size: float
    bold: bool
    end: float  # estimated right edge
    runs: tuple[TextRun, ...] = ()

    @property
    def text(self) -> str:
        return " ".join(self.cells)


def lay_out(pages: Sequence[Sequence[TextRun]]) -> list[str]:
    """The text of every page, ready for cleaning and splitting (empty for a page without text)."""
    rows = [page_rows(number, runs) for number, runs in enumerate(pages)]
    rows = strip_running_lines(rows)
    vocabulary = {word.casefold() for page in rows for row in page for word in _WORD.findall(row.text)}
    pitch = _line_pitch(rows)
    blocks = [paragraphs(reading_order(page), pitch, vocabulary) for page in rows]
    return join_pages(blocks, vocabulary)


def page_rows(page: int, runs: Sequence[TextRun]) -> list[Row]:
    """Group runs into rows by height, top to bottom, and each row's runs into cells."""
    rows: list[list[TextRun]] = []
    for run in sorted(runs, key=lambda r: (-r.y, r.x)):
        if rows and abs(rows[-1][0].y - run.y) <= 0.4 * max(run.size, 1.0):
            rows[-1].append(run)
        else:
            rows.append([run])
    return [_make_row(page, sorted(group, key=lambda r: r.x)) for group in rows]


def _make_row(page: int, runs: list[TextRun]) -> Row:
    cells: list[str] = []
    starts: list[float] = []
    end = None
    for run in runs:
        gap = run.x - end if end is not None else None
        if gap is None or gap > _CELL_GAP * run.size:
            cells.append(run.text.strip())
            starts.append(run.x)
        else:
            glue = "" if gap < 0.15 * run.size or run.text.startswith(" ") else " "
            cells[-1] = f"{cells[-1]}{glue}{run.text.strip()}"
        end = run.x + _width(run)
    size = max(runs, key=lambda r: len(r.text)).size
    bold = all(run.bold for run in runs)
    return Row(
        page, runs[0].y, runs[0].x, tuple(cells), tuple(starts), size, bold, end or runs[0].x, tuple(runs)
    )


def _width(run: TextRun) -> float:
    return len(run.text.rstrip()) * run.size * _CHAR_WIDTH


def _key(row: Row) -> tuple[str, int]:
    text = re.sub(r"\d+", "#", " ".join(row.text.casefold().split()))
    return text, round(row.y / 4)


def strip_running_lines(pages: list[list[Row]]) -> list[list[Row]]:
    """Drop headers, footers and page numbers: lines near the top or bottom that repeat, at the
    same height, on many pages. A one-page document has nothing to compare with and keeps all."""
    counts: Counter[tuple[str, int]] = Counter()
    for rows in pages:
        counts.update({_key(row) for row in _zones(rows)})
    needed = max(2, min(3, round(_MIN_SHARE * len(pages))))
    running = {key for key, count in counts.items() if count >= needed}
    return [[row for row in rows if not (row in _zones(rows) and _key(row) in running)] for rows in pages]


def _zones(rows: list[Row]) -> list[Row]:
    return rows[:_ZONE_ROWS] + rows[-_ZONE_ROWS:]


def reading_order(rows: list[Row]) -> list[Row]:
    """Rows in reading order: on a two-column page the left column, then the right one."""
    split = _column_split(rows)
    if split is None:
        return rows
    left: list[Row] = []
    right: list[Row] = []
    for row in rows:
        for side, keep in ((left, lambda run: run.x < split), (right, lambda run: run.x >= split)):
            runs = [run for run in row.runs if keep(run)]
            if runs:
                side.append(_make_row(row.page, runs))
    return left + right


def _column_split(rows: list[Row]) -> float | None:
    """Where a two-column page's right column starts, or None: many rows have a run starting in
    the middle of the page, all within a few ems of each other (paragraphs, items and their hanging
    indents). Unlike a table's value column, the right column holds running text."""
    if len(rows) < 8:
        return None
    left_edge = min(row.x for row in rows)
    width = max(row.end for row in rows) - left_edge
    middle = [run for row in rows for run in row.runs if 0.3 * width < run.x - left_edge < 0.7 * width]
    if len(middle) < 6:
        return None
    starts = [run.x for run in middle]
    size = statistics.median(run.size for run in middle)
    if (
        max(starts) - min(starts) > 4 * size
        or statistics.median(len(run.text.strip()) for run in middle) < 20
    ):
        return None
    return min(starts) - 1.0


def _line_pitch(pages: list[list[Row]]) -> float:
    """The usual distance between two lines of one paragraph, over the whole document."""
    gaps = [
        round(a.y - b.y, 1)
        for rows in pages
        for a, b in zip(rows, rows[1:])
        if 0 < a.y - b.y and abs(a.size - b.size) < 0.5
    ]
    return statistics.median(gaps) if gaps else 0.0


def paragraphs(rows: list[Row], pitch: float, vocabulary: set[str]) -> list[str]:
    """One string per paragraph, heading, list item or table row."""
    blocks: list[list[Row]] = []
    column_right = max((row.end for row in rows), default=0.0)
    for previous, row in zip([None, *rows], rows):
        if previous is None or _breaks(previous, row, pitch, column_right):
            blocks.append([row])
        else:
            blocks[-1].append(row)
    return [_join_rows(block, vocabulary) for block in blocks]


def _breaks(previous: Row, row: Row, pitch: float, column_right: float) -> bool:
    gap = previous.y - row.y
    typical = pitch or 1.2 * row.size
    if gap <= 0:  # the next column: a new paragraph unless a sentence runs on into it
        return not _continues(previous.text, row.text)
    if len(previous.cells) > 1 and len(row.cells) > 1:
        return gap > 3 * typical  # table rows are padded: only a real gap ends the table
    return (
        gap > 1.3 * typical
        or (len(previous.cells) > 1) != (len(row.cells) > 1)  # a table starts or ends
        or abs(previous.size - row.size) >= 0.5
        or previous.bold != row.bold
        or (bool(_ITEM.match(row.text)) and (row.text[0] in _BULLETS or _indented_item(previous, row)))
        or (row.x > previous.x + 1.5 * row.size and not _ITEM.match(previous.text))
        or (
            previous.text.endswith(_SENTENCE_END)
            and previous.end < previous.x + 0.6 * (column_right - previous.x)
        )
    )


def _indented_item(previous: Row, row: Row) -> bool:
    """A numbered item ("3. ...") starts a line by its own indent or after another item; a number
    that merely wraps to the start of a line ("jf. kap. / 7.") sits where the text does."""
    return abs(row.x - previous.x) > 1.0 or bool(_ITEM.match(previous.text))


def _join_rows(rows: list[Row], vocabulary: set[str]) -> str:
    """A paragraph's lines joined; a table's rows one per line, so no row runs into the next
    and only the first can be read as a heading."""
    if len(rows[0].cells) > 1:
        return "\n".join(row.text for row in rows)
    text = rows[0].text
    for row in rows[1:]:
        text = join_broken(text, row.text, vocabulary)
    return text


def join_broken(left: str, right: str, vocabulary: set[str]) -> str:
    """Join two lines, rejoining a word the line break hyphenated."""
    match = re.search(r"(\w+)-$", left)
    if not match or not right:
        return f"{left} {right}".strip()
    head = match.group(1)
    tail = re.match(r"[^\W_]*", right).group(0)  # type: ignore[union-attr]  # ``*`` always matches
    if tail.casefold() in HYPHEN_KEEPING_WORDS:
        return f"{left} {right}"  # "social- og sundhedsområdet"
    if not tail or not head[-1].isalpha() or head[-1].isupper() or not tail[0].islower():
        return f"{left}{right}"  # "KKR-sekretariatet", "2023-24", "Nord-Jylland": the hyphen is real
    own = f"{head}-{tail}".casefold()
    if own in vocabulary and f"{head}{tail}".casefold() not in vocabulary:
        return f"{left}{right}"
    return f"{left[:-1]}{right}"


def join_pages(pages: list[list[str]], vocabulary: set[str]) -> list[str]:
    """Page texts, each starting with a new paragraph: a paragraph running on over a page break is
    finished on the page where it starts (rejoining a word hyphenated across the break), so the
    splitter may take every page break for a paragraph break."""
    pages = [list(blocks) for blocks in pages]
    last: list[str] | None = None
    for blocks in pages:
        if last and blocks and _continues(last[-1], blocks[0]):
            last[-1] = join_broken(last[-1], blocks.pop(0), vocabulary)
        if blocks:
            last = blocks
    return ["\n\n".join(block for block in blocks if block) for blocks in pages]


def _continues(last: str, first: str) -> bool:
    return not last.endswith(_SENTENCE_END) and first[:1].islower()


def paragraphs_from_plain(text: str, vocabulary: set[str] | None = None) -> str:
    """OCR output (lines, blank lines between paragraphs) in the same shape as a laid-out page."""
    words = vocabulary if vocabulary is not None else {w.casefold() for w in _WORD.findall(text)}
    blocks = []
    for chunk in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        joined = lines[0]
        for line in lines[1:]:
            joined = join_broken(joined, line, words) if not _ITEM.match(line) else joined + "\n\n" + line
        blocks.append(joined)
    return "\n\n".join(blocks)
