"""Browser-test harness: one Streamlit server on the fixture database, one headless chromium.

Opt-in (KAM_E2E=1, or CI=true) because it needs Debian's chromium and takes ~half a
minute; once they are switched on, a missing browser is a failure, never a silent skip.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_START_LIMIT_S = 60
IDLE_LIMIT_MS = 90_000  # a cold review run on a loaded 2-core machine took over 30 s
APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# Elements whose code loads lazily show a skeleton first; charts draw asynchronously.
RENDERED = """() =>
    document.querySelectorAll('[data-testid="stSkeleton"]').length === 0 &&
    [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')].every(
        chart => chart.querySelector('canvas, svg') !== null)"""

IN_CI = os.environ.get("CI", "").lower() == "true"
ENABLED = IN_CI or os.environ.get("KAM_E2E") == "1"


def pytest_collection_modifyitems(config, items):
    """Skip the browser tests unless asked for; never skip them in CI."""
    if ENABLED:
        return
    skip = pytest.mark.skip(reason="browser tests are opt-in: set KAM_E2E=1 (CI=true runs them)")
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(skip)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def streamlit_server(
    db_path, server_dir: Path, settings_toml: str | None = None, port: int | None = None, extra_args: tuple = ()
):
    """`streamlit run app.py` on `port` (default: a free one) with KAM_DB = `db_path` (and a settings
    overlay, and more `streamlit run` options); yields its URL once healthy, stops it afterwards."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = server_dir / "streamlit.log"
    env = {**os.environ, "KAM_DB": str(db_path), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    if settings_toml is not None:
        settings = server_dir / "settings.toml"
        settings.write_text(settings_toml, encoding="utf-8")
        env["KAM_SETTINGS"] = str(settings)
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
        "--server.fileWatcherType",
        "none",
        *extra_args,
    ]
    with open(log_path, "w", encoding="utf-8") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + SERVER_START_LIMIT_S
        while not _healthy(url):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not become healthy; log:\n{log_path.read_text(encoding='utf-8')}")
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="session")
def app_url(app_db, tmp_path_factory):
    """The app on the app fixture database (tests/conftest.py), for the whole session.

    The fixture's departments have one or two people each: with the works-council minimum group
    size (3) every workload figure would be "—", and the browser tests check number formats.
    """
    with streamlit_server(app_db, tmp_path_factory.mktemp("server"), "[app]\nmin_group_size = 1\n") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (never `playwright install`)."""
    if not CHROMIUM.exists():
        pytest.fail(f"browser tests are on but {CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


VIEWPORT = {"width": 1400, "height": 1000}


def _context(browser, color_scheme: str):
    return browser.new_context(locale="de-DE", color_scheme=color_scheme, viewport=VIEWPORT)


@pytest.fixture
def page(browser):
    """A fresh German light-theme browser tab."""
    context = _context(browser, "light")
    yield context.new_page()
    context.close()


@pytest.fixture
def dark_page(browser):
    """A fresh German tab whose system preference is dark (Streamlit follows it)."""
    context = _context(browser, "dark")
    yield context.new_page()
    context.close()


def wait_until_idle(page) -> None:
    """Wait until the script run has finished (the app's published state) and every element has drawn."""
    page.wait_for_selector(APP_IDLE, state="attached", timeout=IDLE_LIMIT_MS)
    page.wait_for_function(RENDERED, timeout=IDLE_LIMIT_MS)


def _screenshot(page, name: str) -> Path:
    """A full-page PNG: Streamlit scrolls inside its main area, so grow the viewport to fit it first."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": VIEWPORT["width"], "height": max(VIEWPORT["height"], height)})
    page.wait_for_function(RENDERED, timeout=IDLE_LIMIT_MS)
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def idle():
    """`idle(page)`: wait for the app's published idle state (never a sleep)."""
    return wait_until_idle


@pytest.fixture
def screenshot():
    """`screenshot(page, name)` -> test-artifacts/screenshots/<name>.png (full page)."""
    return _screenshot
