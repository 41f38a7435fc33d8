"""Scale-out: two Streamlit processes behind the shipped nginx site (kamdata.deploy.NginxProxy).

A Streamlit session lives in one process, so every request of one browser (page, static files,
websocket) must reach one replica, while different browsers spread over all replicas.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections import defaultdict
from contextlib import ExitStack

import pytest

from kamdata.deploy import NginxProxy
from tests.e2e.conftest import free_port, streamlit_server, wait_until_idle

ROUTES = 40  # distinct browsers by route cookie: all on one of two replicas has odds 2**-39


@pytest.fixture(scope="module")
def proxy(app_db, tmp_path_factory):
    """nginx on a free port in front of two `streamlit run app.py` processes on the app fixture."""
    with ExitStack() as stack:
        ports = [free_port(), free_port()]
        for port in ports:
            stack.enter_context(streamlit_server(app_db, tmp_path_factory.mktemp("replica"), port=port))
        yield stack.enter_context(NginxProxy(tmp_path_factory.mktemp("nginx"), free_port(), ports))


def _get(url: str, cookie: str | None = None) -> tuple[int, str]:
    """Status and the route cookie nginx set for one GET."""
    request = urllib.request.Request(url, headers={"Cookie": f"kam_route={cookie}"} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get("Set-Cookie", "")
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_each_route_sticks_to_one_replica_and_routes_spread(proxy):
    base = f"http://127.0.0.1:{proxy.port}"
    for n in range(ROUTES):
        for path in ("/", "/_stcore/health", "/_stcore/host-config"):
            status, _ = _get(base + path, cookie=f"browser-{n}")
            assert status == 200, path
    by_route = defaultdict(set)
    for route, upstream in proxy.upstreams():
        if route.startswith("browser-"):  # not the proxy's own health polls
            by_route[route].add(upstream)
    assert len(by_route) == ROUTES
    assert all(len(upstreams) == 1 for upstreams in by_route.values()), by_route
    assert {upstream for (upstream,) in by_route.values()} == {f"127.0.0.1:{port}" for port in proxy.replicas}


def test_first_request_gets_a_route_cookie_and_metrics_stay_inside(proxy):
    base = f"http://127.0.0.1:{proxy.port}"
    status, cookie = _get(base + "/")
    assert status == 200 and cookie.startswith("kam_route=") and "HttpOnly" in cookie
    assert _get(base + "/_stcore/metrics")[0] == 403


def test_a_browser_session_runs_on_one_replica_through_the_proxy(proxy, browser):
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{proxy.port}/")
    wait_until_idle(page)
    assert page.get_by_text("Portfolio").first.is_visible()
    route = next(c["value"] for c in context.cookies() if c["name"] == "kam_route")
    context.close()
    upstreams = {upstream for logged_route, upstream in proxy.upstreams() if logged_route == route}
    assert len(upstreams) == 1, upstreams
