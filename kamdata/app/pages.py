"""The one page registry: id -> file, URL path, title key, icon; app.py builds st.navigation
from it and every link (page_url, page_link, switch_page) names a page by its id."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import streamlit as st

from kamdata.app.filters import link_params
from kamdata.app.i18n import t


@dataclass(frozen=True)
class PageSpec:
    """One page of the app. `url_path` is what the address bar shows (the home page is served at "/")."""

    id: str
    file: str
    url_path: str
    icon: str

    @property
    def title_key(self) -> str:
        return f"common.pages.{self.id}"


# Portfolio is the home page: Streamlit serves the default page at "/" only ("/portfolio" answers
# "page not found"), so links to it go through `page_url` or the page file, never "/portfolio".
PAGES = (
    PageSpec("portfolio", "app_pages/portfolio.py", "portfolio", ":material/dashboard:"),
    PageSpec("sla", "app_pages/sla.py", "sla", ":material/support_agent:"),
    PageSpec("sustainability", "app_pages/sustainability.py", "sustainability", ":material/eco:"),
    PageSpec("workload", "app_pages/workload.py", "workload", ":material/groups:"),
    PageSpec("review", "app_pages/account_review.py", "review", ":material/person_search:"),
    PageSpec("explorer", "app_pages/explorer.py", "explorer", ":material/query_stats:"),
    PageSpec("data_status", "app_pages/data_status.py", "data-status", ":material/database:"),
)
HOME = PAGES[0]
_BY_ID = {page.id: page for page in PAGES}


def page(page_id: str) -> PageSpec:
    """The registered page `page_id` (KeyError for an unknown id: a link never points nowhere)."""
    return _BY_ID[page_id]


def navigation_pages() -> list[st.Page]:
    """The st.Page objects for st.navigation, titles in the session language."""
    return [st.Page(p.file, title=t(p.title_key), icon=p.icon, url_path=p.url_path, default=p is HOME) for p in PAGES]


def page_url(page_id: str, **extra) -> str:
    """A relative link to a page with the URL's filters plus `extra`; the home page is "./"."""
    query = urlencode(link_params(**extra), doseq=True)
    target = "./" if page_id == HOME.id else page(page_id).url_path
    return f"{target}?{query}" if query else target


def page_link(page_id: str, label: str | None = None, icon: str | None = None, **extra) -> None:
    """st.page_link to a registered page keeping the filters (the page file, so home opens "/")."""
    spec = page(page_id)
    st.page_link(spec.file, label=label or t(spec.title_key), icon=icon or spec.icon, query_params=link_params(**extra))


def home_link() -> None:
    """The breadcrumb back to the portfolio, keeping the filters."""
    page_link(HOME.id, icon=":material/arrow_back:")


def switch_to(page_id: str, **query) -> None:
    """Open a registered page (the URL-bound filters follow by themselves)."""
    st.switch_page(page(page_id).file, query_params=query)
