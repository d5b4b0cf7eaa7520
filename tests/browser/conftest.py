"""The Streamlit app in a real browser: one app server on loopback for the whole session (its index
built beforehand with the CLI, so the page never waits for a first-start build), Debian's chromium
driven headless by Playwright in a narrow 1024 × 768 window, and a screenshot of every failing test
in tests/artifacts/screenshots/."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT
from tests.processes import stop

SCREENSHOTS = PROJECT_ROOT / "tests" / "artifacts" / "screenshots"
VIEWPORT = {"width": 1024, "height": 768}
INGEST_TIMEOUT_S = 300
SERVER_START_TIMEOUT_S = 60
# Without the background-networking flags chromium keeps dialling Google's hosts, which this
# machine's closed network refuses. Playwright adds --headless and a fresh temporary --user-data-dir.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Keep each phase's report on the item, so the page fixture knows whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


def find_chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        reason = "Debian's chromium is not installed (scripts/setup.sh --test installs it)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{reason}; CI must run the browser tests", pytrace=False)
        pytest.skip(reason)
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_health(url: str, server: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(
                f"streamlit stopped with exit code {server.returncode}:\n{log.read_text()[-3000:]}"
            )
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"no answer from {url}/_stcore/health within {timeout} s:\n{log.read_text()[-3000:]}")


def app_env(data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "RAMME_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1"}
    env.pop("RAMME_LLM__MODEL", None)  # the extractive answerer: deterministic text to assert on
    return env


@pytest.fixture(scope="session")
def app_data_dir(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Path:
    """A data dir with the corpus indexed, built by the CLI exactly as a user would."""
    data_dir = tmp_path_factory.mktemp("app-data")
    subprocess.run(
        [sys.executable, "-m", "rammeaftale", "ingest"],
        cwd=PROJECT_ROOT,
        env=app_env(data_dir),
        check=True,
        timeout=INGEST_TIMEOUT_S,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    return data_dir


@pytest.fixture(scope="session")
def app_url(app_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("app-log") / "streamlit.log"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    with log.open("w") as out:
        server = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=app_env(app_data_dir), stdout=out, stderr=subprocess.STDOUT
        )
    try:
        wait_for_health(url, server, log, SERVER_START_TIMEOUT_S)
        yield url
    finally:
        stop(server)


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, app_url: str, request: pytest.FixtureRequest):
    """A fresh browser context (so a fresh Streamlit session) per test; a screenshot if it failed."""
    context = browser.new_context(viewport=VIEWPORT, locale="da-DK")
    context.set_default_timeout(30_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"screenshot of the failure: {path}")
    context.close()
