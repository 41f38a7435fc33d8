"""Account review (PRODUCT.md page 5): one account from `?account=<id>` (the portfolio table, its alerts and
links open it so), its review model (kamdata.review, the same the PDF and the workbook render) drawn by
kamdata.app.review_view, and the pack's downloads.

The sidebar's global filters do not apply here: the review shows the whole account, like the pack. The
filters stay in the sidebar (hiding their widgets would drop their state, so the portfolio would lose its
filters on the way back) and the page says once that they do not apply."""

from __future__ import annotations

import streamlit as st

from kamdata.app import db, login, pages, review_view, widgets
from kamdata.app import formats as fmt
from kamdata.app.filters import MULTI_KEYS, PERIOD_KEY, unique_account_labels, user_scope
from kamdata.app.i18n import current_language, t
from kamdata.review.model import Review

lang = current_language()
scope = user_scope()


def _filters_note() -> None:
    """Once, near the top: the sidebar's filters do not narrow this page (louder when some are set)."""
    active = any(st.query_params.get_all(key) for key in (*MULTI_KEYS, PERIOD_KEY))
    if active:
        st.info(t("account_review.filters_active"), icon=":material/filter_alt_off:")
    else:
        st.caption(f":material/filter_alt_off: {t('account_review.filters')}")


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _downloads(review: Review) -> None:
    """The review pack as PDF and as workbook. `data` is a callable: the file is made when the button is
    clicked (on a worker thread, from the review already on screen), not on every run of the page."""
    left, right, _ = st.columns([1, 1, 1])  # a third each: "Review pack (PDF)" is not cut at 1024 px
    for column, extension, label, mime, icon in (
        (left, "pdf", "account_review.download_pdf", "application/pdf", ":material/picture_as_pdf:"),
        (right, "xlsx", "account_review.download_xlsx", XLSX_MIME, ":material/table_view:"),
    ):
        name = review_view.pack_file_name(review, extension)
        with column:
            st.download_button(
                t(label),
                data=login.audited(
                    "pack", lambda ext=extension: review_view.pack(review, ext), account_id=review.account_id, file=name
                ),
                file_name=name,
                mime=mime,
                icon=icon,
                help=t("account_review.download_help", file=fmt.md_escape(name)),
                on_click="ignore",
                key=f"download_{extension}",
                width="stretch",
            )


pages.home_link()
accounts = db.query("filters_accounts", {}, scope)
names = unique_account_labels(accounts)
account_id = st.query_params.get("account")
review = db.review(account_id, lang, scope) if account_id in names else None

title = st.empty()
chosen = st.selectbox(
    t("account_review.pick_label"),
    list(names),
    format_func=names.get,
    index=list(names).index(account_id) if review is not None else None,
    placeholder=t("account_review.search"),
)
if chosen and chosen != account_id:
    st.query_params["account"] = chosen
    st.rerun()

if review is None:
    title.title(t("common.pages.review"))
    if account_id:
        st.warning(t("account_review.unknown", account=fmt.md_escape(account_id)), icon=":material/link_off:")
    else:
        widgets.empty_state(t("account_review.pick"))
    st.stop()

if st.session_state.get("_audited_review") != (review.account_id, review.as_of):  # once per account opened
    login.record("review", account_id=review.account_id)
    st.session_state["_audited_review"] = (review.account_id, review.as_of)
title.title(fmt.md_escape(review.account_name))
review_view.header(review)
_filters_note()
_downloads(review)
review_view.body(review)
