"""Idle CPU of the running app: ``python benchmarks/idle_cpu.py [--seconds 60] [--data DIR]``.

Starts the app exactly as ``make run`` does (``rammeaftale app``: index sync, then Streamlit with
the project's config), opens one page over HTTP once it answers, then sums the CPU time of the
whole process tree over the window. Issue 15: Streamlit's file watcher walked .venv and .data and
kept a core busy while nobody used the app; the target is under 2 % of one core. Linux only (/proc).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_PCT = 2.0
START_TIMEOUT_S = 600  # a first start builds the index (about a minute on 2 cores)
TICKS = os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and every live descendant."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        total += (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
        todo += children.get(current, [])
    return total


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, app: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if app.poll() is not None:
            raise RuntimeError(f"the app stopped with exit code {app.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"no answer from {url} within {START_TIMEOUT_S} s")


def measure_idle_cpu(
    data_dir: Path, corpus_dir: Path | None = None, seconds: float = 60.0, settle_s: float = 5.0
) -> dict:
    """CPU share of one core the idle app used over ``seconds`` (after ``settle_s`` of calm)."""
    port = free_port()
    env = {**os.environ, "RAMME_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    if corpus_dir is not None:
        env["RAMME_CORPUS_DIR"] = str(corpus_dir)
    command = [sys.executable, "-m", "rammeaftale", "app", "--headless", "--port", str(port)]
    app = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url, app)
        urllib.request.urlopen(url, timeout=10).read()  # a visitor's page load
        time.sleep(settle_s)
        before, started = tree_cpu_seconds(app.pid), time.monotonic()
        time.sleep(seconds)
        used, elapsed = tree_cpu_seconds(app.pid) - before, time.monotonic() - started
    finally:
        os.killpg(app.pid, signal.SIGTERM)
        app.wait(timeout=30)
    pct = 100 * used / elapsed
    return {
        "seconds": elapsed,
        "cpu_seconds": used,
        "pct_of_core": pct,
        "target_pct": TARGET_PCT,
        "met": pct < TARGET_PCT,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--data", type=Path, help="data dir with (or for) the index; default a temp dir")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    data = args.data or Path(tempfile.mkdtemp(prefix="ramme-idle-"))
    result = measure_idle_cpu(data, seconds=args.seconds)
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"idle CPU over {result['seconds']:.0f} s: {result['pct_of_core']:.2f} % of one core "
            f"({result['cpu_seconds']:.2f} CPU s; target < {TARGET_PCT:g} %: {'met' if result['met'] else 'MISSED'})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
