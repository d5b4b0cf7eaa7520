"""Synthetic corpora at N x the real one: the real files plus N-1 perturbed copies of each.

A copy keeps every heading-like line (so the product's splitter still finds sections), replaces
each run of body lines with sentences drawn from the whole corpus (recombined across sections and
documents, re-wrapped to similar line lengths), swaps every number except years (so periods are
still detected) and renames the region and municipalities. Deterministic per seed."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

from ingest.indexing import expand_paths

BODY_MIN_CHARS = 40
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_NUMBER = re.compile(r"\d+")
_YEAR = re.compile(r"(19|20)\d\d")
_REGIONS = ["Vestjylland", "Nordfyn", "Sydsjælland", "Østlolland", "Himmerland", "Thyholm", "Kronjylland"]
_TOWNS = ["Egebjerg", "Bøgely", "Lindholm", "Askov", "Pilegård", "Rønnebæk", "Hasselø", "Tjørnbjerg"]
SIDE_FILES = ("rules.yaml", "manifest.yaml", "glossary.yaml")


def make_corpus(source: Path, target: Path, scale: int, seed: int = 7) -> list[Path]:
    """Write the real files and (scale-1) perturbed copies of each into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for name in SIDE_FILES:
        if (source / name).exists():
            shutil.copy(source / name, target / name)
    originals = [p for p in expand_paths([source]) if p.suffix in (".txt", ".md")]
    texts = {path: path.read_text(encoding="utf-8") for path in originals}
    pool = _sentence_pool(texts.values())
    written = []
    for path, text in texts.items():
        shutil.copy(path, target / path.name)
        written.append(target / path.name)
        for copy in range(1, scale):
            rng = random.Random(f"{seed}-{path.name}-{copy}")
            out = target / f"syn{copy:03d}-{path.name}"
            out.write_text(perturb(text, pool, rng, copy), encoding="utf-8")
            written.append(out)
    return written


def perturb(text: str, pool: list[str], rng: random.Random, copy: int) -> str:
    lines, out, body = text.split("\n"), [], []
    for line in lines + [""]:
        if _is_body(line):
            body.append(line)
            continue
        if body:
            out.extend(_recombine(body, pool, rng))
            body = []
        out.append(line)
    result = "\n".join(out[:-1])
    result = _NUMBER.sub(lambda m: _swap_number(m.group(), rng), result)
    region, town = _REGIONS[copy % len(_REGIONS)], _TOWNS[copy % len(_TOWNS)]
    return result.replace("Midtjylland", f"{region} {copy}").replace("Norddjurs", town)


def _is_body(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) >= BODY_MIN_CHARS and not stripped.startswith(("#", "|"))


def _recombine(body: list[str], pool: list[str], rng: random.Random) -> list[str]:
    """As many characters of randomly drawn sentences, as one line: re-wrapping would let the
    splitter take wrapped lines after a sentence end for headings, inflating the chunk count."""
    budget = sum(len(line) for line in body)
    words: list[str] = []
    used = 0
    while used < budget:
        for word in rng.choice(pool).split():
            if used >= budget:
                break
            words.append(word)
            used += len(word) + 1
    return [" ".join(words)]


def _swap_number(number: str, rng: random.Random) -> str:
    if _YEAR.fullmatch(number):
        return number
    first = str(rng.randint(1, 9)) if len(number) > 1 else str(rng.randint(0, 9))
    return first + "".join(str(rng.randint(0, 9)) for _ in number[1:])


def _sentence_pool(texts) -> list[str]:
    pool = []
    for text in texts:
        body = " ".join(line.strip() for line in text.split("\n") if _is_body(line))
        pool.extend(sentence for sentence in _SENTENCE_END.split(body) if len(sentence) > 20)
    return pool
