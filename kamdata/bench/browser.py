"""The portfolio in headless chromium: navigation until the script run is over (the app idle, its elements
on the page) and until every chart has drawn.

What a user waits for, browser included; Debian's chromium driven by Playwright (never
`playwright install`), the same wait as the browser tests (the app's published state, never a sleep).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
RENDERED = """() =>
    document.querySelectorAll('[data-testid="stSkeleton"]').length === 0 &&
    [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')].every(
        chart => chart.querySelector('canvas, svg') !== null)"""


def portfolio_in_chromium(url: str, repeat: int = 5) -> dict:
    """Median and worst seconds from navigation to a drawn portfolio, and the median until the app was idle
    (every element on the page, the charts still drawing), each in a fresh tab (the first load of a tab:
    assets from the browser cache after the first, as for a returning user)."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        return {"error": f"{CHROMIUM} missing (apt-get install chromium)"}
    times, idle = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(locale="de-DE", viewport={"width": 1440, "height": 900})
        try:
            for _ in range(repeat + 1):  # the first only warms the browser's cache of the app's assets
                page = context.new_page()
                start = time.perf_counter()
                page.goto(url)
                page.wait_for_selector(APP_IDLE, state="attached", timeout=60_000)
                idle.append(time.perf_counter() - start)
                page.wait_for_function(RENDERED, timeout=60_000)
                times.append(time.perf_counter() - start)
                page.close()
        finally:
            browser.close()
    measured = times[1:]
    return {
        "median_s": round(statistics.median(measured), 3),
        "max_s": round(max(measured), 3),
        "idle_median_s": round(statistics.median(idle[1:]), 3),
        "runs": repeat,
    }
