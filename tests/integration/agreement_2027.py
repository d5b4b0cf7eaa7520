"""A realistic "Rammeaftale 2027-28" as a municipal PDF: running header and footer with page
numbers, justified text hyphenated at line ends, a table of the new percentages and a notice rule
that differs from the earlier periods'. Its quotes are what the secretariat would copy."""

from __future__ import annotations

from tests.pdf.rendering import Block, PdfLook, RenderPlan, render_pdf

FILE_NAME = "rammeaftale-2027-28.pdf"
NOTICE_CLAUSE = "Opsigelsesvarslet er løbende måned plus to måneder, dette gælder også ved dødsfald."
CONTINUATION_CLAUSE = (
    "Styringsaftale 2027-28 er på alle væsentlige punkter en videreførelse af de gældende administrative "
    "aftaler om finansiering, takstberegning og afregning."
)
TABLE = (
    ("Administration (inkl. omkostninger til udvikling og dokumentation af kvalitet)", "5,5 %"),
    ("Opsparing til pensionsomkostning for tjenestemænd", "28,0 %"),
    ("Forrentning af grunde, bygninger og inventar", "2,5 %"),
)
FOCUS = (
    "I Rammeaftale 2027-28 er det fælles udviklingsområde borgere med erhvervet hjerneskade og samtidige "
    "psykiske vanskeligheder, hvor kommunerne og regionen sammen skal sikre specialiserede tilbud."
)
_FILLER = (
    "Kommunerne og Region Midtjylland følger løbende udviklingen i kapaciteten på de specialiserede "
    "tilbud, så borgerne får det rette tilbud tæt på deres nærmiljø, og så driftsherrerne kan planlægge "
    "med en forudsigelig belægning. Koordinationen sker i Styregruppen for Rammeaftaler, som rapporterer "
    "til Kommunaldirektørkredsen og KKR Midtjylland, og som inddrager brugerorganisationerne, hvor det er "
    "relevant for de konkrete indsatser på handicap-, psykiatri- og udsatteområdet."
)


def agreement_plan() -> RenderPlan:
    """Headings, paragraphs and one table, enough for several pages (the header/footer detection
    finds running lines by repetition across pages)."""
    blocks = [
        Block("heading", "Rammeaftale 2027-28"),
        Block(
            "paragraph",
            "De 19 kommuner i Midtjylland og Region Midtjylland indgår hermed Rammeaftale 2027-28 "
            "for det specialiserede socialområde og specialundervisningsområdet. " + _FILLER,
        ),
        Block("heading", "1. Udviklingsstrategi 2027-28"),
        Block("paragraph", FOCUS),
        *[Block("paragraph", _FILLER) for _ in range(6)],
        Block("heading", "2. Styringsaftale 2027-28"),
        Block(
            "paragraph",
            CONTINUATION_CLAUSE + " Dog er opsigelsesvarslet og takstberegningens procentsatser ændret.",
        ),
        Block("heading", "2.1 Opsigelsesvarsel"),
        Block(
            "paragraph",
            NOTICE_CLAUSE + " Betaling i opsigelsesperioden forudsætter, at leverandøren har "
            "sædvanlige omkostninger forbundet med pladsen.",
        ),
        *[Block("paragraph", _FILLER) for _ in range(4)],
        Block("heading", "2.2 Takstberegning"),
        Block("paragraph", "Taksterne beregnes med følgende procentsatser, som gælder fra 1. januar 2027:"),
        Block("table", rows=TABLE),
        *[Block("paragraph", _FILLER) for _ in range(6)],
        Block("heading", "2.3 Betaling og afregning"),
        Block("paragraph", "Driftsherren sender månedlige afregninger til betalingskommunerne. " + _FILLER),
    ]
    return RenderPlan(blocks=blocks)


def agreement_pdf() -> bytes:
    look = PdfLook("Rammeaftale 2027-28", "Det specialiserede socialområde")
    return render_pdf(agreement_plan(), look, two_column_at=0.9)
