"""Sustainability: energy, CO2e and intensity per account, site and year; reduction vs the target path.

Figures come from the sustainability marts through sustainability_*.sql; every
CO2 figure is shown with the emission-factor sources it was computed with.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from kamdata.app import chart_cache, db, page_state, pages, widgets
from kamdata.app import formats as fmt
from kamdata.app.charts import sustainability as charts_sustainability
from kamdata.app.filters import FILTERS_KEY, Filters, unique_account_labels, user_scope
from kamdata.app.i18n import current_language, t

lang = current_language()
filters: Filters = st.session_state[FILTERS_KEY]
scope = user_scope()
params = filters.params()
as_of = db.as_of()
as_of_year = as_of.year
TOP_SITES = 15
RANKINGS = ["kwh", "eui_kwh_m2"]


def _page_params() -> dict:
    """The global filters for the yearly queries. Only complete years are judged against the
    target path, so when the period lies within the running year (the default 12-month period
    in December, or any period of this year) the last complete year is offered too."""
    date_from = params["date_from"]
    if date_from is not None and date_from.year >= as_of_year:
        return {**params, "date_from": date(as_of_year - 1, 1, 1)}
    return params


def _labels(section: str, *keys: str) -> dict:
    return {key: t(f"sustainability.{section}.{key}") for key in keys}


def _site_labels() -> dict:
    return {
        **_labels("sites", "site", "city", "account"),
        "kwh": t("sustainability.accounts.kwh"),
        "eui": t("sustainability.accounts.eui"),
        "co2e": t("sustainability.accounts.co2e"),
        "source": t("sustainability.mix.source"),
    }


def _year_label(year: int) -> str:
    return t("sustainability.year_partial", year=year) if year >= as_of_year else str(year)


def _choose_year(years: list[int]) -> int:
    """The year for tiles, tables, top consumers and map (`?year=`): the last complete year (the
    year of D - 1) by default, else the newest complete one, else the running year."""
    offered = sorted(set(years), reverse=True)
    complete = [y for y in offered if y < as_of_year]
    default = as_of_year - 1 if as_of_year - 1 in complete else max(complete) if complete else offered[0]
    page_state.url_notice("year", page_state.seed("year", offered, default))
    year = st.selectbox(
        t("sustainability.year"),
        offered,
        format_func=_year_label,
        help=t("sustainability.year_help"),
        **page_state.widget("year"),
    )
    if params["date_from"] is not None and params["date_from"].year >= as_of_year and year < as_of_year:
        st.caption(t("sustainability.year_added", year=year, period_from=fmt.day(params["date_from"])))
    return year


def _year_params(year: int) -> dict:
    """The global filters with the period narrowed to the selected calendar year, for the
    month-based queries (carrier mix, gaps): they then show the same year as the tiles."""
    return {**params, "date_from": date(year, 1, 1), "date_to": date(year, 12, 31)}


def _tiles(row: pd.Series) -> None:
    sources = fmt.md_escape(row["factor_sources"]) if isinstance(row["factor_sources"], str) else fmt.na(lang)
    co2_help = t("sustainability.kpi.co2e_help", sources=sources)
    year = _year_label(int(row["year"]))  # every tile says its year: "Energie (MWh) 2025", "... 2026 (laufend)"
    tiles = [
        (t("sustainability.kpi.kwh", year=year), fmt.number(row["kwh"] / 1000, lang, 1), None),
        (t("sustainability.kpi.co2e", year=year), fmt.number(row["kg_co2e"] / 1000, lang, 1), co2_help),
        (
            t("sustainability.kpi.eui", year=year),
            fmt.number(row["eui_kwh_m2"], lang, 1),
            t("sustainability.kpi.eui_help"),
        ),
        (t("sustainability.kpi.intensity", year=year), fmt.number(row["co2e_kg_m2"], lang, 1), co2_help),
        (
            t("sustainability.kpi.coverage", year=year),
            fmt.pct(row["coverage_pct"], lang),
            t("sustainability.kpi.coverage_help"),
        ),
    ]
    for column, (label, value, help_text) in zip(st.columns(len(tiles)), tiles):
        with column:
            widgets.kpi_tile(label, value, help=help_text)
    if int(row["year"]) >= as_of_year:
        st.caption(t("sustainability.partial_tiles", start=fmt.day(date(as_of_year, 1, 1)), as_of=fmt.day(as_of)))
    st.caption(t("sustainability.factor_caption", sources=sources))


def _running_year() -> pd.DataFrame:
    """Like-for-like reduction of the running year per account (sustainability_running_year)."""
    return db.query("sustainability_running_year", {"accounts": params["accounts"]}, scope)


def _like_for_like(data: pd.DataFrame, running: pd.DataFrame) -> pd.DataFrame:
    """`data` (rows per account and year) with the running year's reduction replaced by the
    like-for-like one (January .. last complete month of both years): the yearly figure compares a
    partial year with a full baseline year. on_track stays NULL there (not judged)."""
    ytd = running.set_index("account_id")["reduction_ytd_pct"]
    is_running = data["year"] >= as_of_year
    return data.assign(
        reduction_pct=data["reduction_pct"].where(~is_running, data["account_id"].map(ytd)),
        on_track=data["on_track"].where(~is_running, None),
    )


def _months_label(running: pd.DataFrame) -> str | None:
    """ "Jan.–Nov." / "Jan–Nov" for the compared months, None when no month of the year is complete."""
    months = running["months_compared"].dropna()
    if months.empty:
        return None
    last = int(months.iloc[0])
    first_name = fmt.month(date(as_of_year, 1, 1), lang).split()[0]
    last_name = fmt.month(date(as_of_year, last, 1), lang).split()[0]
    return first_name if last == 1 else f"{first_name}–{last_name}"


def _path_rows(data: pd.DataFrame) -> pd.DataFrame:
    """Long rows for the path chart: one reduction and one path row per year."""
    status_key = data["on_track"].map({True: "on_track", False: "off_track"})
    status_key = status_key.where(data["year"] < as_of_year, "open").where(data["reduction_pct"].notna())
    reduction = pd.DataFrame(
        {
            "year": data["year"],
            "series": t("sustainability.path.reduction"),
            "pct": data["reduction_pct"],
            "path_pct": data["target_path_pct"],
            "status_key": status_key,
            "status": status_key.map(lambda k: t(f"sustainability.path.{k}") if isinstance(k, str) else None),
        }
    )
    path = pd.DataFrame(
        {
            "year": data["year"],
            "series": t("sustainability.path.path"),
            "pct": data["target_path_pct"],
            "path_pct": data["target_path_pct"],
            "status_key": None,
            "status": None,
        }
    )
    return pd.concat([reduction, path], ignore_index=True).dropna(subset=["pct"])


@st.fragment
def _target_path(accounts: pd.DataFrame, running: pd.DataFrame) -> None:
    st.subheader(t("sustainability.path.title"))
    with_target = accounts.dropna(subset=["baseline_year"]).drop_duplicates("account_id")
    if with_target.empty:
        widgets.empty_state(t("sustainability.path.no_target"))
        return
    names = unique_account_labels(with_target)
    page_state.url_notice("account", page_state.seed("account", list(names), next(iter(names))))
    account_id = st.selectbox(
        t("sustainability.path.account"), list(names), format_func=names.get, **page_state.widget("account")
    )
    data = db.query("sustainability_target_path", {"account_id": account_id}, scope)
    data = _like_for_like(data.assign(account_id=account_id), running)
    rows = _path_rows(data)
    if rows.empty:
        widgets.empty_state(t("sustainability.path.no_data"))
        return
    labels = {
        **_labels("path", "reduction", "path", "series", "status"),
        "year": t("sustainability.year"),
        "pct": t("sustainability.path.reduction"),
    }
    chart_cache.chart(charts_sustainability.path_chart, rows, labels, lang)
    target = data.iloc[0]
    if data["reduction_pct"].isna().all():
        st.warning(
            t("sustainability.path.no_reduction", baseline=int(target["baseline_year"])), icon=":material/warning:"
        )
    st.caption(
        t(
            "sustainability.path.caption",
            baseline=int(target["baseline_year"]),
            target=fmt.number(target["target_reduction_pct"], lang, 0),
            target_year=int(target["target_year"]),
        )
    )
    if (data["year"] >= as_of_year).any():
        _partial_note(running)


def _partial_note(running: pd.DataFrame) -> None:
    """What the running year's reduction compares, and that it is not judged."""
    months = _months_label(running)
    if months is None:
        st.caption(t("sustainability.partial_none", year=as_of_year))
    else:
        st.caption(t("sustainability.partial_note", year=as_of_year, months=months))


def number(key: str) -> st.column_config.NumberColumn:
    """m² as whole numbers."""
    return widgets.decimal_column(t(f"sustainability.accounts.{key}"), 0)


def in_tiles_units(data: pd.DataFrame) -> pd.DataFrame:
    """Energy in MWh and CO2e in t, like the tiles (exact: kWh / 1000, kg / 1000; shown with one decimal)."""
    return data.assign(mwh=data["kwh"] / 1000, t_co2e=data["kg_co2e"] / 1000)


def decimal(key: str, help_key: str | None = None) -> st.column_config.NumberColumn:
    """Intensities and percentages (rounded to one decimal): always shown with one."""
    return widgets.decimal_column(
        t(f"sustainability.accounts.{key}"), 1, help=t(f"sustainability.accounts.{help_key}") if help_key else None
    )


def _accounts_table(accounts: pd.DataFrame, year: int, running: pd.DataFrame) -> None:
    """The accounts' figures in the selected year (like the tiles above); the running year's
    reduction like for like (same months of the baseline year), not judged."""
    st.subheader(t("sustainability.accounts.title", year=_year_label(year)))
    in_year = _like_for_like(accounts[accounts["year"] == year], running)
    if in_year.empty:
        widgets.empty_state(t("sustainability.accounts.none"))
        return
    pct_columns = ["eui_kwh_m2", "co2e_kg_m2", "reduction_pct", "target_path_pct", "coverage_pct"]
    shown = in_tiles_units(in_year.assign(**{c: in_year[c].round(1) for c in pct_columns}))
    widgets.table(
        shown,
        hide_index=True,
        placeholder=fmt.na(lang),
        column_order=[
            "account_name",
            "mwh",
            "t_co2e",
            "floor_area_m2",
            "eui_kwh_m2",
            "co2e_kg_m2",
            "reduction_pct",
            "target_path_pct",
            "on_track",
            "coverage_pct",
            "factor_sources",
        ],
        column_config={
            "account_name": st.column_config.TextColumn(t("sustainability.accounts.account")),
            "mwh": decimal("mwh"),
            "t_co2e": decimal("t_co2e"),
            "floor_area_m2": number("floor_area"),
            "eui_kwh_m2": decimal("eui"),
            "co2e_kg_m2": decimal("intensity"),
            "reduction_pct": decimal("reduction", "reduction_help"),
            "target_path_pct": decimal("path", "path_help"),
            "on_track": st.column_config.CheckboxColumn(t("sustainability.accounts.on_track")),
            "coverage_pct": decimal("coverage"),
            "factor_sources": st.column_config.TextColumn(t("sustainability.accounts.sources"), width="large"),
        },
        download="sustainability_accounts",
    )
    if year >= as_of_year:
        _partial_note(running)


def _carrier_mix(year: int) -> None:
    st.subheader(t("sustainability.mix.title", year=_year_label(year)))
    data = db.query("sustainability_carrier_mix", _year_params(year), scope)
    total = data[data["month"].isna()].iloc[0]  # the query's total row (always there)
    energy = data.dropna(subset=["month", "kwh"])
    if energy.empty:
        widgets.empty_state(t("sustainability.empty"))
        return
    energy = energy.assign(carrier_label=energy["carrier"].map(lambda c: t(f"sustainability.carriers.{c}")))
    labels = _labels("mix", "month", "kwh", "carrier", "co2e", "source")
    chart_cache.chart(charts_sustainability.carrier_mix_chart, energy, labels, lang)
    water = total["m3"]
    if pd.notna(water):
        st.caption(t("sustainability.mix.water", year=_year_label(year), value=fmt.number(water, lang, 0)))


def _top_sites(sites: pd.DataFrame, year: int) -> None:
    st.subheader(t("sustainability.sites.title", year=_year_label(year)))
    if sites.empty:
        widgets.empty_state(t("sustainability.sites.none"))
        return
    page_state.url_notice("rank", page_state.seed("rank", RANKINGS, "kwh"))
    measure = (
        st.segmented_control(
            t("sustainability.sites.rank"),
            RANKINGS,
            format_func=lambda m: t(f"sustainability.sites.rank_{m}"),
            **page_state.widget("rank"),
        )
        or "kwh"
    )
    top = sites.sort_values(measure, ascending=False).head(TOP_SITES)
    top = top.assign(site_label=top["site_name"] + ", " + top["city"] + " (" + top["site_id"] + ")")
    chart_cache.chart(charts_sustainability.top_sites_chart, top, measure, _site_labels(), lang)
    st.caption(t("sustainability.sites.caption", top=TOP_SITES))


@st.fragment
def _site_table(sites: pd.DataFrame, year: int) -> None:
    """Every site of the year in a section that runs only while it is open; the largest ones unless
    "show all" (`?sites=all`, widgets.top_rows) is on (the download always holds every site)."""
    label = t("sustainability.sites.all", year=_year_label(year), count=fmt.integer(len(sites), lang))
    with widgets.lazy_expander(label, key="site_table") as section:
        if not section.open:
            return
        every = in_tiles_units(sites.round({"eui_kwh_m2": 1, "co2e_kg_m2": 1, "coverage_pct": 1}))
        widgets.table(
            widgets.top_rows(every, "sites", "sustainability.sites"),
            download_data=every,
            hide_index=True,
            placeholder=fmt.na(lang),
            column_order=[
                "site_name",
                "city",
                "account_name",
                "building_type",
                "floor_area_m2",
                "mwh",
                "t_co2e",
                "eui_kwh_m2",
                "co2e_kg_m2",
                "coverage_pct",
                "factor_sources",
            ],
            column_config={
                "site_name": st.column_config.TextColumn(t("sustainability.sites.site")),
                "city": st.column_config.TextColumn(t("sustainability.sites.city")),
                "account_name": st.column_config.TextColumn(t("sustainability.sites.account")),
                "building_type": st.column_config.TextColumn(t("sustainability.sites.building_type")),
                "floor_area_m2": number("floor_area"),
                "mwh": decimal("mwh"),
                "t_co2e": decimal("t_co2e"),
                "eui_kwh_m2": decimal("eui"),
                "co2e_kg_m2": decimal("intensity"),
                "coverage_pct": decimal("coverage"),
                "factor_sources": st.column_config.TextColumn(t("sustainability.accounts.sources"), width="large"),
            },
            download="sites_energy",
        )


def _map(sites: pd.DataFrame, year: int) -> None:
    """One circle per city (sustainability_city_map): a map of every site sent thousands of points."""
    st.subheader(t("sustainability.map.title", year=_year_label(year)))
    cities = db.query("sustainability_city_map", {**params, "year": year}, scope)
    if cities.empty:
        widgets.empty_state(t("sustainability.map.none"))
        return
    labels = {**_site_labels(), **_labels("map", "sites", "accounts")}
    chart_cache.chart(charts_sustainability.site_map, cities, labels, lang)
    missing = len(sites) - int(cities["sites"].sum())
    st.caption(t("sustainability.map.caption", missing=fmt.integer(missing, lang)))


def _gaps(year: int) -> None:
    """A compact list of sites with missing months in the year; the Data status page has the full table."""
    st.subheader(t("sustainability.gaps.title"))
    data = db.query("status_coverage_gaps", _year_params(year), scope)
    if data.empty:
        st.success(t("sustainability.gaps.none"), icon=":material/check_circle:")
        return
    st.caption(t("sustainability.gaps.caption", year=_year_label(year)))
    widgets.table(
        data,
        hide_index=True,
        placeholder=fmt.na(lang),
        column_order=["account_name", "site_name", "city", "months_missing", "never_reports"],
        column_config={
            "account_name": st.column_config.TextColumn(t("sustainability.sites.account")),
            "site_name": st.column_config.TextColumn(t("sustainability.sites.site")),
            "city": st.column_config.TextColumn(t("sustainability.sites.city")),
            "months_missing": st.column_config.NumberColumn(t("sustainability.gaps.months"), format="localized"),
            "never_reports": st.column_config.CheckboxColumn(t("sustainability.gaps.never")),
        },
        download="meter_gaps",
    )
    pages.page_link("data_status", label=t("sustainability.gaps.details"))


@st.fragment
def _factors() -> None:
    with widgets.lazy_expander(t("sustainability.factors.title"), key="factors") as section:
        if not section.open:
            return
        data = db.query("sustainability_emission_factors", {}, None)
        data = data.assign(
            carrier=data["carrier"].map(lambda c: t(f"sustainability.carriers.{c}")),
            origin=data["origin"].map(lambda o: t(f"sustainability.factors.{o}")),
            year=data["year"].astype("Int64"),
        )
        widgets.table(
            data,
            hide_index=True,
            placeholder=fmt.na(lang),
            column_config={
                "carrier": st.column_config.TextColumn(t("sustainability.factors.carrier")),
                # "%d": a year as its digits (no grouping "2.024", no float artefacts of "plain")
                "year": st.column_config.NumberColumn(t("sustainability.year"), format="%d"),
                "kg_co2e_per_kwh": st.column_config.NumberColumn(
                    t("sustainability.factors.factor"), format="localized"
                ),
                "source": st.column_config.TextColumn(t("sustainability.factors.source"), width="large"),
                "origin": st.column_config.TextColumn(t("sustainability.factors.origin")),
            },
            download="emission_factors",
        )


st.title(t("sustainability.title"))
st.caption(t("sustainability.intro"))
page_params = _page_params()
yearly = db.query("sustainability_yearly", page_params, scope)
if yearly.empty:
    widgets.empty_state(t("sustainability.empty"))
else:
    # Everything from the year picker to the gaps shows the selected year; the target path
    # (every year from the baseline on) and the factor list come after a divider.
    year = _choose_year(yearly["year"].astype(int).tolist())
    _tiles(yearly[yearly["year"] == year].iloc[0])
    accounts = db.query("sustainability_accounts", page_params, scope)
    running = _running_year()
    _accounts_table(accounts, year, running)
    _carrier_mix(year)
    sites = db.query("sustainability_sites", {**params, "year": year}, scope)
    _top_sites(sites, year)  # full width: site labels and bars both need room
    _map(sites, year)
    if not sites.empty:
        _site_table(sites, year)
    _gaps(year)
    st.divider()
    _target_path(accounts, running)
    _factors()
