"""Helpers for tests that run real servers as subprocesses."""

from __future__ import annotations

import subprocess


def stop(process: subprocess.Popen, timeout_s: float = 10) -> None:
    """Terminate, and kill if it does not exit in time; always reap it."""
    process.terminate()
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
