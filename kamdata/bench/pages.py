"""Page speed measured from outside: Streamlit servers driven over their own websocket protocol.

A real browser adds its own rendering to every figure; a websocket client speaking Streamlit's protocol
(BackMsg `rerun_script` in, ForwardMsgs out until `script_finished`) measures the server alone: the
script run, the queries, the charts and the serialisation of every element, as the first byte to the
last on loopback. Each client is one browser tab (one session); concurrent clients are threads.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import ClientConnection, connect

from kamdata.deploy import wait_for_health

ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT_S = 120.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (p95 of 10 runs is the 10th, never an interpolation below the worst)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


@dataclass(frozen=True)
class Endpoint:
    """Where tabs connect: one Streamlit process, or the proxy in front of several (kamdata.deploy)."""

    port: int


class AppServer:
    """`streamlit run app.py` on a free loopback port over `db_path`, started and stopped as a context."""

    def __init__(self, db_path: Path | str, extra_env: dict | None = None):
        self.db_path = str(db_path)
        self.port = free_port()
        self.env = {**os.environ, "KAM_DB": self.db_path, **(extra_env or {})}
        self.proc: subprocess.Popen | None = None
        self.started_s = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> AppServer:
        start = time.perf_counter()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true"]
            + [f"--server.port={self.port}", "--server.address=127.0.0.1", "--browser.gatherUsageStats=false"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_health(self.url, self.proc, 60, "streamlit")
        self.started_s = time.perf_counter() - start
        return self

    def __exit__(self, *exc) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def rss_mb(self) -> float:
        """The server process's resident memory (Linux /proc), in MB."""
        assert self.proc is not None
        with open(f"/proc/{self.proc.pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")


@dataclass
class Run:
    """One script run as the client saw it: seconds from the request to `script_finished`, bytes received,
    and the error (an exception shown on the page, a timeout, a dropped connection)."""

    seconds: float
    bytes: int
    error: str | None = None


class Session:
    """One browser tab: a websocket session that runs pages like the frontend asks for them."""

    def __init__(self, server: AppServer | Endpoint):
        connection = connect(
            f"ws://127.0.0.1:{server.port}/_stcore/stream",
            subprotocols=["streamlit"],  # type: ignore[list-item]
            max_size=None,
            open_timeout=RUN_TIMEOUT_S,
        )
        self.ws: ClientConnection = connection.__enter__()  # closed by close()

    def run(self, page: str = "", query_string: str = "") -> Run:
        """Run `page` (its url path, "" = home) with `query_string` ("accounts=A0001")."""
        msg = BackMsg()
        msg.rerun_script.page_name = page
        msg.rerun_script.query_string = query_string
        start = time.perf_counter()
        received, error = 0, None
        try:
            self.ws.send(msg.SerializeToString())
            while True:
                data = self.ws.recv(timeout=RUN_TIMEOUT_S)
                received += len(data)
                forward = ForwardMsg()
                forward.ParseFromString(data)
                kind = forward.WhichOneof("type")
                if kind == "delta" and forward.delta.new_element.WhichOneof("type") == "exception":
                    error = error or forward.delta.new_element.exception.message or "exception"
                if kind == "script_finished":
                    if forward.script_finished != 0:  # FINISHED_SUCCESSFULLY = 0
                        error = error or f"script finished with status {forward.script_finished}"
                    break
        except (TimeoutError, OSError, Exception) as exc:  # a dropped or stuck session is a failed run
            error = f"{type(exc).__name__}: {exc}"
        return Run(time.perf_counter() - start, received, error)

    def close(self) -> None:
        self.ws.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@dataclass
class PageTiming:
    """A page under one variant: its first run in a fresh session (cold: the process's caches may already
    hold other sessions' results, as on a busy server), then `repeat` reruns (warm)."""

    page: str
    variant: str
    cold_ms: float
    warm_p50_ms: float
    warm_p95_ms: float
    kb: float
    errors: int


def time_page(server: AppServer, page: str, variant: str, query_string: str, repeat: int) -> PageTiming:
    with Session(server) as session:
        cold = session.run(page, query_string)
        warm = [session.run(page, query_string) for _ in range(repeat)]
    runs = [cold, *warm]
    warm_ms = [r.seconds * 1000 for r in warm] or [cold.seconds * 1000]
    return PageTiming(
        page or "portfolio",
        variant,
        round(cold.seconds * 1000, 1),
        round(statistics.median(warm_ms), 1),
        round(percentile(warm_ms, 0.95), 1),
        round(warm[-1].bytes / 1024 if warm else cold.bytes / 1024, 1),
        sum(r.error is not None for r in runs),
    )


@dataclass
class LoadResult:
    """`sessions` tabs opening `page` at the same moment: their load times and the servers' memory after."""

    sessions: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    errors: int
    rss_mb: float = float("nan")


def concurrent_load(server: AppServer | Endpoint, sessions: int, page: str = "", query_string: str = "") -> LoadResult:
    """Every session connects, then all ask for the page at once (a barrier); bounded by RUN_TIMEOUT_S each."""
    barrier = threading.Barrier(sessions)
    results: list[Run] = []
    lock = threading.Lock()

    def tab() -> None:
        try:
            session = Session(server)
        except Exception as exc:  # a refused connection is an error of the load, not of the bench
            barrier.abort()
            with lock:
                results.append(Run(0.0, 0, f"connect: {exc}"))
            return
        try:
            barrier.wait(timeout=RUN_TIMEOUT_S)
            outcome = session.run(page, query_string)
        except threading.BrokenBarrierError as exc:
            outcome = Run(0.0, 0, f"barrier: {exc}")
        finally:
            session.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=tab, daemon=True) for _ in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=2 * RUN_TIMEOUT_S)
    times = [r.seconds * 1000 for r in results if r.error is None]
    errors = sum(r.error is not None for r in results) + (sessions - len(results))
    return LoadResult(
        sessions,
        round(statistics.median(times), 1) if times else float("nan"),
        round(percentile(times, 0.95), 1) if times else float("nan"),
        round(max(times), 1) if times else float("nan"),
        errors,
    )
