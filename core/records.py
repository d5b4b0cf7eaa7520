"""Frozen records passed between layers. Plain data; no behaviour beyond small conveniences."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

SIKKER, USIKKER, DAEKKER_IKKE = "sikker", "usikker", "dækker ikke"  # an answer's confidence


@dataclass(frozen=True)
class Chunk:
    """One retrievable passage with everything needed to cite it."""

    id: str
    text: str
    document: str  # file name under corpus/
    title: str  # title of the document (or manifest part) the chunk belongs to
    period: str | None
    doc_type: str
    section: str  # e.g. "13.4 Opsigelsesvarsel"; "" when the source has no heading there
    page: int | None
    ordinal: int  # position within the document, for neighbour lookups
    doc_hash: str  # content hash of the whole document version
    ocr: bool = False  # read by Tesseract from a scanned PDF page

    def metadata(self) -> dict[str, str | int | bool]:
        """Chroma metadata (no None values allowed there); "ocr" only on OCR'd chunks."""
        flags: dict[str, str | int | bool] = {"ocr": True} if self.ocr else {}
        return flags | {
            "document": self.document,
            "title": self.title,
            "period": self.period or "",
            "doc_type": self.doc_type,
            "section": self.section,
            "page": self.page if self.page is not None else -1,
            "ordinal": self.ordinal,
            "doc_hash": self.doc_hash,
        }

    @classmethod
    def from_metadata(cls, chunk_id: str, text: str, meta: dict) -> Chunk:
        page = int(meta.get("page", -1))
        return cls(
            id=chunk_id,
            text=text,
            document=str(meta["document"]),
            title=str(meta.get("title", "")),
            period=str(meta.get("period") or "") or None,
            doc_type=str(meta.get("doc_type", "")),
            section=str(meta.get("section", "")),
            page=page if page >= 0 else None,
            ordinal=int(meta.get("ordinal", 0)),
            doc_hash=str(meta.get("doc_hash", "")),
            ocr=bool(meta.get("ocr", False)),
        )


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score and the ranks each retriever gave it."""

    chunk: Chunk
    score: float
    lexical_rank: int | None = None
    dense_rank: int | None = None
    dense_score: float | None = None  # cosine similarity to the question, when dense found it


@dataclass(frozen=True)
class Citation:
    """A numbered source shown under an answer: where it is and the quoted passage."""

    n: int
    document: str
    title: str
    period: str | None
    section: str
    page: int | None
    quote: str
    ocr: bool = False  # the passage was read by OCR from a scanned page: check it against the PDF

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    """What the assistant says, plus everything the UI, CLI and evals need to check it."""

    question: str
    answer: str
    abstained: bool
    period: str | None
    citations: tuple[Citation, ...] = ()
    tool: str | None = None
    mode: str = "extraktiv"
    notes: tuple[str, ...] = ()
    tool_result: dict | None = field(default=None, compare=False)
    # "sikker" | "usikker" (the nearest passage, shown with a hedge) | "dækker ikke" (abstained);
    # empty = derived from ``abstained`` (calculators and older callers)
    confidence: str = ""

    def __post_init__(self) -> None:
        if not self.confidence:
            object.__setattr__(self, "confidence", DAEKKER_IKKE if self.abstained else SIKKER)

    def to_dict(self) -> dict:
        """The stable JSON contract of ``rammeaftale ask --json`` (fields may be added)."""
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "period": self.period,
            "tool": self.tool,
            "citations": [c.to_dict() for c in self.citations],
            "mode": self.mode,
            "notes": list(self.notes),
            "tool_result": self.tool_result,
            "confidence": self.confidence,
        }
