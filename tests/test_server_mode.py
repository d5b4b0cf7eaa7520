"""Server mode end to end: one real `chroma run` on loopback, several processes sharing it.

Ingest happens in one process, questions are asked from two others, and a long-lived Retriever
in this process must see a document another process ingested, without a restart. That is the
multi-replica deployment of docs/deployment.md in miniature."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT, load_settings
from core.vectorstore import VectorStoreError, open_client
from tests.processes import stop

SERVER_START_TIMEOUT_S = 30
CLI_TIMEOUT_S = 90

FIRST_DOC = (
    "Rammeaftale for zebrafinkeområdet 2023-24\n\n"
    "1. Zebrafinkeordningen\n"
    "Zebrafinkeordningen betyder, at kommunerne i fællesskab driver et særligt tilbud om fuglepleje. "
    "Tilbuddet har 12 pladser og finansieres efter takstprincippet.\n"
)
SECOND_DOC = (
    "Rammeaftale for kolibriområdet 2023-24\n\n"
    "1. Kolibriprogrammet\n"
    "Kolibriprogrammet betyder, at kommunerne deler udgifterne til et regionalt kolibrihus. "
    "Kolibrihuset har 7 pladser og et opsigelsesvarsel på tre måneder.\n"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_heartbeat(port: int, server: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"chroma run stopped with exit code {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"no Chroma heartbeat on port {port} within {timeout} s")


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[int]:
    """A real Chroma server on a free loopback port; always stopped afterwards."""
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    assert chroma is not None, "the chroma CLI comes with the chromadb dependency; the install is broken"
    port = free_port()
    log = (tmp_path / "chroma.log").open("wb")
    command = [chroma, "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_heartbeat(port, server, SERVER_START_TIMEOUT_S)
        yield port
    finally:
        stop(server)
        log.close()


@pytest.fixture
def server_env(chroma_server: int, tmp_path: Path) -> dict[str, str]:
    """Environment for CLI processes that are replicas of one deployment."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(PROJECT_ROOT / "corpus" / "rules.yaml", corpus / "rules.yaml")
    return {
        **os.environ,
        "RAMME_CHROMA_MODE": "server",
        "CHROMA_HOST": "127.0.0.1",
        "CHROMA_PORT": str(chroma_server),
        "RAMME_CORPUS_DIR": str(corpus),
        "RAMME_DATA_DIR": str(tmp_path / "replica-data"),
    }


def cli(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "rammeaftale", *args],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen) -> str:
    out, err = process.communicate(timeout=CLI_TIMEOUT_S)
    assert process.returncode == 0, err
    return out


def write_doc(env: dict[str, str], name: str, text: str) -> Path:
    path = Path(env["RAMME_CORPUS_DIR"]) / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.integration
def test_replicas_share_one_chroma_server(server_env: dict[str, str]) -> None:
    first = write_doc(server_env, "zebrafinker-2023-24.txt", FIRST_DOC)
    finish(cli(server_env, "ingest", str(first)))

    # Two replicas ask at the same time; both must find what the ingesting process wrote.
    askers = [cli(server_env, "ask", "--json", "Hvad betyder zebrafinkeordningen?") for _ in range(2)]
    for asker in askers:
        answer = json.loads(finish(asker).strip().splitlines()[-1])
        assert not answer["abstained"], answer
        assert answer["citations"][0]["document"] == first.name

    # A long-lived retriever in this process picks up a document another process ingests.
    from assistant.retrieval.retriever import Retriever

    settings = load_settings(
        chroma_mode="server", chroma_port=int(server_env["CHROMA_PORT"]), chroma_host="127.0.0.1"
    )
    retriever = Retriever(settings)
    before = retriever.snapshot()
    assert retriever.snapshot().lexical is before.lexical, "no rebuild when nothing changed"
    assert all(hit.chunk.document == first.name for hit in retriever.search("kolibriprogrammet"))

    second = write_doc(server_env, "kolibrier-2023-24.txt", SECOND_DOC)
    finish(cli(server_env, "ingest", str(second)))

    hits = retriever.search("Hvad er kolibriprogrammet?")
    assert hits and hits[0].chunk.document == second.name
    after = retriever.snapshot()
    assert after is not before and len(after.lexical.chunks) > len(before.lexical.chunks)
    assert retriever.snapshot().lexical is after.lexical


def test_unreachable_server_gives_a_danish_error() -> None:
    settings = load_settings(chroma_mode="server", chroma_host="127.0.0.1", chroma_port=free_port())
    with pytest.raises(VectorStoreError, match="svarer ikke"):
        open_client(settings)


def test_malformed_auth_header_is_refused() -> None:
    settings = load_settings(chroma_mode="server", chroma_auth_header="no-colon-here")
    with pytest.raises(VectorStoreError, match="Navn: værdi"):
        open_client(settings)
