"""Render agreement text into PDFs that look like the ones municipalities publish, for the PDF tests.

A4, justified 10 pt text hyphenated with Danish rules (pyphen), a running header and footer with the
page number, one table and one two-column page. The text comes from the text ingest's own chunks,
so a PDF says exactly what its text original says and the parity test measures only what the PDF
route loses.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from core.records import Chunk

_NUMBERED = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})+|Kapitel\s+\d+)")
_ITEM = re.compile(r"^(?:•|\d{1,2}\.\s)")
# "Børn og Unge området 98 %": a label followed by a percentage, the rows of a small table.
_VALUE_ROW = re.compile(r"([A-ZÆØÅ][^%\n]{3,80}?) (\d+(?:,\d+)? %)")

BODY = ParagraphStyle(
    "body",
    fontName="Helvetica",
    fontSize=10,
    leading=13,
    alignment=TA_JUSTIFY,
    spaceAfter=6,
    hyphenationLang="da_DK",
    uriWasteReduce=0.3,
)
ITEM = ParagraphStyle("item", parent=BODY, leftIndent=14, firstLineIndent=-10)
HEADING = ParagraphStyle(
    "heading",
    fontName="Helvetica-Bold",
    fontSize=12,
    leading=15,
    spaceBefore=10,
    spaceAfter=4,
)


@dataclass(frozen=True)
class Block:
    """One thing on the page: a heading, a paragraph, a list item or a table."""

    kind: Literal["heading", "paragraph", "item", "table"]
    text: str = ""
    rows: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class PdfLook:
    """What the running header and footer say."""

    header_left: str
    header_right: str
    footer_left: str = "KKR Midtjylland · Sekretariatet for Rammeaftaler"


@dataclass
class RenderPlan:
    """Blocks to render plus the heading each manifest part after the first starts at."""

    blocks: list[Block] = field(default_factory=list)
    part_starts: list[str] = field(default_factory=list)


def plan_from_chunks(chunks: Sequence[Chunk], part_markers: Sequence[str | None] = ()) -> RenderPlan:
    """Headings, paragraphs and list items in reading order, rebuilt from a document's chunks.

    ``part_markers`` are the manifest's ``starts_at`` lines per part; a part whose first heading
    is not its marker gets the marker (without markdown '#') as a heading of its own."""
    plan = RenderPlan()
    parent, section, title = "", None, None
    markers = list(part_markers)[1:]
    for chunk in chunks:
        if title is not None and chunk.title != title and markers:
            marker = (markers.pop(0) or "").lstrip("#").strip()
            plan.part_starts.append(marker)
            if not chunk.section.startswith(marker):
                plan.blocks.append(Block("heading", marker))
        title = chunk.title
        if chunk.section != section and chunk.section != chunk.title:
            parts = chunk.section.split(" – ")
            if len(parts) > 1 and parts[0] == parent:
                parts = parts[1:]
            for heading in parts:
                plan.blocks.append(Block("heading", heading))
                if _NUMBERED.match(heading):
                    parent = heading
        section = chunk.section
        plan.blocks.extend(_text_blocks(chunk.text))
    return plan


def _text_blocks(text: str) -> list[Block]:
    """A chunk's sentences as one paragraph, with list items as items of their own."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    for line in text.split("\n"):
        if _ITEM.match(line):
            if paragraph:
                blocks.append(Block("paragraph", " ".join(paragraph)))
                paragraph = []
            blocks.append(Block("item", line))
        else:
            paragraph.append(line)
    if paragraph:
        blocks.append(Block("paragraph", " ".join(paragraph)))
    return blocks


def add_table(plan: RenderPlan, fallback_rows: Sequence[tuple[str, str]]) -> None:
    """Turn the first paragraph holding several "label NN %" pairs into a table; a document
    without one gets a front table of its facts (title, period, publisher) instead."""
    for index, block in enumerate(plan.blocks):
        rows = _VALUE_ROW.findall(block.text) if block.kind == "paragraph" else []
        if len(rows) >= 2:
            first, last = _VALUE_ROW.search(block.text), list(_VALUE_ROW.finditer(block.text))[-1]
            before, after = block.text[: first.start()].strip(), block.text[last.end() :].strip()
            replacement = [Block("paragraph", before)] if before else []
            replacement.append(Block("table", rows=tuple((label.strip(), value) for label, value in rows)))
            replacement += [Block("paragraph", after)] if after else []
            plan.blocks[index : index + 1] = replacement
            return
    plan.blocks.insert(0, Block("table", rows=tuple(fallback_rows)))


def render_pdf(plan: RenderPlan, look: PdfLook, two_column_at: float = 0.4) -> bytes:
    """The PDF: one column, except the page that starts at ``two_column_at`` of the blocks."""
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2.5 * cm,
        rightMargin=2.5 * cm,
        topMargin=2.8 * cm,
        bottomMargin=2.5 * cm,
        title=look.header_left,
    )
    width = doc.width
    one = Frame(doc.leftMargin, doc.bottomMargin, width, doc.height, id="one")
    gutter = 0.8 * cm
    half = (width - gutter) / 2
    left = Frame(doc.leftMargin, doc.bottomMargin, half, doc.height, id="left")
    right = Frame(doc.leftMargin + half + gutter, doc.bottomMargin, half, doc.height, id="right")

    def decorate(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        top = A4[1] - 1.5 * cm
        canvas.drawString(doc.leftMargin, top, look.header_left)
        canvas.drawRightString(doc.leftMargin + width, top, look.header_right)
        canvas.drawString(doc.leftMargin, 1.3 * cm, look.footer_left)
        canvas.drawRightString(doc.leftMargin + width, 1.3 * cm, str(document.page))
        canvas.restoreState()

    doc.addPageTemplates(
        [
            PageTemplate("one", [one], onPage=decorate),
            PageTemplate("two", [left, right], onPage=decorate),
        ]
    )
    split = max(1, int(len(plan.blocks) * two_column_at))
    story = []
    for index, block in enumerate(plan.blocks):
        if index == split:
            story += [NextPageTemplate("two"), PageBreak(), NextPageTemplate("one")]
        story.append(_flowable(block, width))
    doc.build(story)
    return buffer.getvalue()


def _flowable(block: Block, width: float):
    if block.kind == "table":
        table = Table([list(row) for row in block.rows], colWidths=[width * 0.7, width * 0.3])
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), "Helvetica", 10),
                    ("GRID", (0, 0), (-1, -1), 0.5, "#888888"),
                    ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ]
            )
        )
        return table
    style = {"heading": HEADING, "item": ITEM}.get(block.kind, BODY)
    return Paragraph(escape(block.text), style)


def render_scan(lines: Sequence[str], *, text_pages: Sequence[str] = ()) -> bytes:
    """A PDF whose last page is a scan: the lines drawn into a 200 dpi greyscale image and embedded
    as the page's only content, no text layer. ``text_pages`` come first, as ordinary text."""
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    dpi = 200
    image = Image.new("L", (int(8.27 * dpi), int(11.69 * dpi)), 255)
    draw = ImageDraw.Draw(image)
    font = _scan_font(ImageFont, 36)
    for index, line in enumerate(lines):
        draw.text((160, 200 + index * 60), line, fill=0, font=font)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for text in text_pages:
        y = A4[1] - 3 * cm
        for line in text.split("\n"):
            pdf.drawString(2.5 * cm, y, line)
            y -= 14
        pdf.showPage()
    pdf.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _scan_font(image_font, size: int):
    """A scalable font with Danish letters: DejaVu (Debian's fonts-dejavu-core) or Pillow's own."""
    for name in (
        "DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "LiberationSans-Regular.ttf",
    ):
        try:
            return image_font.truetype(name, size)
        except OSError:
            continue
    return image_font.load_default(size=size)
