"""KAM Cockpit: page config, database bootstrap, language, global filters, navigation.

Every page runs inside this frame (st.navigation; page modules live in
app_pages/, not pages/, so no deep link bypasses it). Before a page runs the
frame has: readable settings, a database (configured, or the generated demo)
that kamdata.dbcheck found usable, the language (`?lang=`), a user granted
access by the login (kamdata.app.login: role and account scope), the URL-bound
global filters in `st.session_state["filters"]` (kamdata.Filters) and the "data
as of" badge with its banners. An operator's mistake (database, settings) or a
query over its time limit ends in a page saying so, never in a traceback.

`streamlit run app.py` finds the `st.App` below (kamdata.app.health adds
/api/health to Streamlit's server; its startup runs kamdata.app.warmup, so the
first page after a start finds imports, texts and the checked database in
place) and runs this file as the page script (`__main__`); imported as a
module, it only defines the server.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st

from kamdata.app import bootstrap, db, frame, health, login, pages, warmup
from kamdata.app.filters import global_filters, language_switch
from kamdata.app.i18n import t
from kamdata.app.settings import app_settings
from kamdata.query import QueryTimeout
from kamdata.settings import SettingsError


@st.cache_resource(show_spinner=False, ttl=3600)
def _demo_database(demo_path: str) -> str:
    """Ensure the demo database at most hourly per process (a day-old demo is rebuilt;
    the file lock guards other processes)."""
    return str(bootstrap.ensure_demo_database())


def _ensure_database(settings: dict) -> bool:
    """True when a usable database can be read; otherwise explains why and returns False."""
    if bootstrap.is_demo(settings):
        try:
            with st.spinner(t("common.demo_building")):
                _demo_database(str(bootstrap.database_path(settings)))
        except Exception as exc:  # the demo build's own error message is the most helpful text
            st.error(t("common.demo_failed", error=str(exc)))
            return False
    try:
        version = db.pin_version()  # one build per script run, even when a new one is published meanwhile
    except db.NoDatabase:
        st.session_state.pop(db.PINNED_KEY, None)
        frame.no_database(bootstrap.database_path(settings))
        return False
    return frame.database_usable(version)


def main() -> None:
    st.set_page_config(page_title="KAM Cockpit", page_icon=":material/domain:", layout="wide")
    try:
        settings = app_settings()
    except SettingsError as exc:
        frame.settings_error(exc)
        return
    with st.sidebar:
        language_switch()
    if not _ensure_database(settings):
        return
    if not login.gate(settings):  # no page, no query for a user without access (docs/ACCESS.md)
        return
    page = st.navigation(pages.navigation_pages())
    top = st.container()  # a query over its time limit is reported above the page
    try:
        global_filters()
        frame.data_header(settings, bootstrap.is_demo(settings))
        page.run()
    except QueryTimeout:
        with top:
            frame.query_timeout()


@asynccontextmanager
async def _warm_start(_app) -> AsyncIterator[None]:
    """The server's startup: the first page's one-off work, off the event loop, then a watch that warms
    each newly published database before its first user (kamdata.app.warmup)."""
    await asyncio.to_thread(warmup.warm)
    warmup.freeze_startup_objects()
    watch = asyncio.create_task(warmup.watch_publishes())
    try:
        yield
    finally:
        watch.cancel()


if __name__ == "__main__":
    main()
else:
    app = st.App(__file__, routes=health.routes(), lifespan=_warm_start)
