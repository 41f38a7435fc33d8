"""Explorer page (app_pages/explorer.py) on the app fixture (tests/app_fixture.py, D = 2026-11-26).

Default period 01.12.2025 - 26.11.2026. mart_ticket_sla holds T1 (A1, P2, resolution breached), T2 (A1,
P3, pending), T4 (A2, P1, no SLA), T5 (A1, P1, met), T6 (A1, P1, breached); sites S1/S2 in Hamburg, S3
in München. Hand-worked resolution compliance = met / (met + breached) per priority: P1 1 / (1 + 1) =
50.0 % (T4 has no SLA: not counted), P2 0 / 1 = 0.0 %, P3 nothing judged -> n/a (never 0).
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from kamdata import query
from kamdata.explore import run
from kamdata.explore.state import FILTER_PREFIX, KEYS, MAX_VALUE_LEN
from tests.app_fixture import APP, unmarked

PAGE = "app_pages/explorer.py"
DS = "ticket_sla"
PERIOD = ("2025-12-01", "2026-11-26")


def key(part: str) -> str:
    return f"xp.{DS}.{part}"


def explorer_url(at) -> dict[str, list[str]]:
    """The explorer's keys of the app's URL, every value as a list."""
    params = {k: v if isinstance(v, list) else [v] for k, v in at.query_params.items()}
    return {k: v for k, v in params.items() if k in KEYS or k.startswith(FILTER_PREFIX)}


def open_page(monkeypatch, app_db, params: dict, settings: str | None = None) -> AppTest:
    """The explorer with URL `params` (a dict: `page` is also run_app's own argument name)."""
    monkeypatch.setenv("KAM_DB", str(app_db))
    if settings:
        monkeypatch.setenv("KAM_SETTINGS", settings)
    at = AppTest.from_file(APP, default_timeout=30)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    at.switch_page(PAGE)
    return at.run()


def direct(app_db, sql: str, params: dict | None = None) -> pd.DataFrame:
    with duckdb.connect(str(app_db), read_only=True) as con:
        return con.execute(sql, params or {}).df()


def result_frame(at) -> pd.DataFrame:
    return at.dataframe[0].value.reset_index(drop=True)


def test_grouped_url_state_gives_the_direct_sql_result_and_the_hand_worked_ratio(run_app, app_db):
    at = run_app(PAGE, ds=DS, by="priority", m=["count", "resolution_compliance"])
    assert not at.exception
    assert at.title[0].value == "Explorer"
    assert not at.warning
    shown = result_frame(at)
    expected = direct(
        app_db,
        "select priority, count(*) as count, "
        "100.0 * count(*) filter (where resolution_status = 'met') "
        "/ nullif(count(*) filter (where resolution_status in ('met', 'breached')), 0) as resolution_compliance "
        "from mart_ticket_sla where created_date between $a and $b group by 1 order by 1",
        {"a": PERIOD[0], "b": PERIOD[1]},
    )
    pd.testing.assert_frame_equal(shown, expected, check_dtype=False)
    compliance = dict(zip(shown["priority"], shown["resolution_compliance"]))
    assert compliance["P1"] == pytest.approx(50.0) and compliance["P2"] == 0.0 and pd.isna(compliance["P3"])
    # one category -> bars; the sidebar's period is named with the field it applies to
    assert len(at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")) == 1
    assert any("Zeitraum 01.12.2025 – 26.11.2026 (auf Erstellt am)" in c.value for c in at.caption)
    assert any(m.value == "3 Gruppen" for m in at.markdown)


def test_row_level_results_are_paged_on_the_server(monkeypatch, app_db, tmp_path):
    settings = tmp_path / "rows.toml"
    settings.write_text("[explorer]\npage_rows = 2\n", encoding="utf-8")
    at = open_page(monkeypatch, app_db, {"ds": DS, "page": "2"}, str(settings))
    assert not at.exception
    # newest first: T2 (24.11.), T1 (20.11.), T4 (10.11.), T6 (02.11.), T5 (01.10.) -> page 2 = T4, T6
    assert list(result_frame(at)["ticket_id"]) == ["T4", "T6"]
    total = direct(
        app_db,
        "select count(*) as n from mart_ticket_sla where created_date between $a and $b",
        {
            "a": PERIOD[0],
            "b": PERIOD[1],
        },
    )["n"][0]
    assert total == 5
    assert any(m.value == "Zeilen 3–4 von 5" for m in at.markdown)
    pager = at.number_input(key=key("page"))
    assert pager.value == 2 and pager.max == 3
    pager.set_value(3).run()
    assert list(result_frame(at)["ticket_id"]) == ["T5"]
    assert explorer_url(at)["page"] == ["3"]
    # a page past the end shows the last one, and says so
    at = open_page(monkeypatch, app_db, {"ds": DS, "page": "99"}, str(settings))
    assert list(result_frame(at)["ticket_id"]) == ["T5"]
    assert at.info[0].value == "Seite 99 gibt es nicht (das Ergebnis hat 3 Seiten); gezeigt wird die letzte Seite."


def test_every_control_round_trips_through_the_url(run_app):
    at = run_app(PAGE)
    assert not at.exception
    at.selectbox(key="xp.ds").select(DS).run()
    assert explorer_url(at) == {"ds": [DS]}
    at.multiselect(key=key("filters")).set_value(["priority", "resolution_h", "created_date", "ticket_id"]).run()
    at.multiselect(key=key("in.priority")).set_value(["P1", "P2"]).run()
    at.number_input(key=key("lo.resolution_h")).set_value(1.5).run()
    at.date_input(key=key("lo.created_date")).set_value(date(2026, 10, 1)).run()
    at.date_input(key=key("hi.created_date")).set_value(date(2026, 11, 15)).run()
    at.text_input(key=key("text.ticket_id")).input("t").run()
    at.multiselect(key=key("by")).set_value(["created_date", "priority"]).run()
    at.selectbox(key=key("grain")).select("week").run()
    at.multiselect(key=key("m")).set_value(["count", "mean:resolution_h", "resolution_compliance"]).run()
    at.selectbox(key=key("sort")).select("mean:resolution_h").run()
    at.toggle(key=key("desc")).set_value(False).run()
    at.number_input(key=key("top")).set_value(2).run()
    at.selectbox(key=key("chart")).select("line").run()
    assert not at.exception
    params = explorer_url(at)
    assert params == {
        "ds": [DS],
        "f.priority": ["P1", "P2"],
        "f.resolution_h": ["1.5.."],
        "f.created_date": ["2026-10-01..2026-11-15"],
        "f.ticket_id": ["~t"],
        "by": ["created_date", "priority"],
        "grain": ["week"],
        "m": ["count", "mean:resolution_h", "resolution_compliance"],
        "sort": ["mean:resolution_h"],
        "desc": ["0"],
        "top": ["2"],
        "chart": ["line"],
    }
    # P1/P2 tickets resolved in >= 1.5 h created 01.10.-15.11.: T5 (2 h), T4 (4 h), T6 (7 h); T1 is after
    # the range. Ascending by mean hours, top 2: T5's and T4's weeks.
    shown = result_frame(at)
    assert list(shown["mean:resolution_h"]) == [2.0, 4.0]
    assert list(shown["created_date"]) == [pd.Timestamp("2026-09-28"), pd.Timestamp("2026-11-09")]
    # the link opens the same result with every control set
    again = run_app(PAGE, **params)  # no `page` key: the result fits one page
    assert not again.exception and not again.warning
    pd.testing.assert_frame_equal(result_frame(again), shown)
    assert again.multiselect(key=key("in.priority")).value == ["P1", "P2"]
    assert again.number_input(key=key("lo.resolution_h")).value == 1.5
    assert again.date_input(key=key("hi.created_date")).value == date(2026, 11, 15)
    assert again.text_input(key=key("text.ticket_id")).value == "t"
    assert again.selectbox(key=key("grain")).value == "week"
    assert again.selectbox(key=key("sort")).value == "mean:resolution_h"
    assert again.toggle(key=key("desc")).value is False
    assert again.number_input(key=key("top")).value == 2
    assert again.selectbox(key=key("chart")).value == "line"
    assert explorer_url(again) == params


def test_an_invalid_url_part_is_named_and_the_rest_applies(run_app):
    at = run_app(PAGE, ds=DS, by=["nonsense", "priority"], m="sum:priority", **{"f.priority": "P1"}, top="-5")
    assert not at.exception
    warning = at.warning[0].value
    for part in ("nonsense", "sum:priority", "-5"):
        assert part in unmarked(warning)
    # the rest: grouped by priority, only P1
    assert list(result_frame(at)["priority"]) == ["P1"]
    assert explorer_url(at) == {"ds": [DS], "by": ["priority"], "f.priority": ["P1"]}
    # an unknown dataset: named, the page asks for one
    at = run_app(PAGE, ds="mart_accounts; drop table x")
    assert "mart\\_accounts; drop table x" in at.warning[0].value
    assert not at.dataframe


INJECTIONS = (
    "' or 1=1 --",
    "x'); drop table mart_ticket_sla; --",
    "1; attach '/tmp/evil.duckdb' as evil",
    "read_csv('/etc/passwd')",
    "*/ select * from read_text('/etc/passwd') /*",
    "copy mart_ticket_sla to '/tmp/out.csv'",
    "install httpfs; load httpfs",
    "pragma database_list",
    "ｓｅｌｅｃｔ＊",  # full-width look-alikes
    "<script>alert(1)</script>**bold**",
    "A" * 5000,
)


@pytest.mark.parametrize("payload", INJECTIONS)
def test_injection_strings_in_every_url_parameter_are_inert(monkeypatch, app_db, payload, tmp_path):
    params = {
        key: payload
        for key in ("by", "grain", "m", "sort", "desc", "top", "page", "chart", "f.priority", "f.created_date")
    }
    params["f.ticket_id"] = "~" + payload
    params[f"f.{payload[:40]}"] = "x"
    at = open_page(monkeypatch, app_db, {"ds": DS, **params})
    assert not at.exception
    assert not at.error
    warning = at.warning[0].value  # every part that is no valid value is named as ignored
    if len(payload) > MAX_VALUE_LEN:
        # too long for any value: the text filters are ignored too (and named)
        assert "Parameter f.priority" in unmarked(warning) and "Parameter f.ticket_id" in unmarked(warning)
    else:
        # the filters that take text hold it as a value: nothing matches, no other effect
        assert not at.dataframe or result_frame(at).empty
    rows = direct(app_db, "select count(*) as n from mart_ticket_sla")["n"][0]
    assert rows == 5
    assert not (tmp_path / "out.csv").exists()
    # the same payload as a dataset id
    at = open_page(monkeypatch, app_db, {"ds": payload})
    assert not at.exception and at.warning and not at.dataframe


def test_sidebar_filters_apply_and_are_named_in_english(run_app):
    at = run_app(PAGE, lang="en", accounts="A2", lines="technical_fm", ds=DS, by="account_name")
    assert not at.exception
    assert list(result_frame(at)["account_name"]) == ["Logistik Süd GmbH"]
    sidebar = next(c.value for c in at.caption if c.value.startswith(":material/filter_alt:"))
    assert "Accounts: Logistik Süd GmbH" in sidebar and "period 2025-12-01 – 2026-11-26 (on Created on)" in sidebar
    # a dataset without a date field: the period is said not to apply
    at = run_app(PAGE, lang="en", ds="contracts")
    assert any(c.value.startswith("Not applicable to this dataset") and "Period" in c.value for c in at.caption)


def test_a_query_timeout_is_a_message_and_the_page_keeps_working(run_app, monkeypatch):
    def too_slow(*args, **kwargs):
        raise query.QueryTimeout("interrupted")

    with monkeypatch.context() as patch:
        patch.setattr(run, "result", too_slow)
        at = run_app(PAGE, ds=DS, top="4242")
        assert not at.exception
        assert "abgebrochen" in at.error[0].value
        assert at.selectbox(key="xp.ds").value == DS  # the controls are all there
    at.number_input(key=key("top")).set_value(4243).run()
    assert not at.exception and not at.error
    assert len(result_frame(at)) == 5


def chart_values(at) -> list[dict]:
    """The rows the page's one chart draws (its Arrow dataset)."""
    chart = (at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart"))[0]
    return pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_pandas().to_dict("records")


def test_the_running_period_is_labelled_in_chart_and_caption(run_app):
    """D = 26.11.2026: November and the year 2026 are running; a day is complete. Tickets by created
    month: Oct 2026 = T5, Nov 2026 = T1, T2, T4, T6."""
    at = run_app(PAGE, ds=DS, by="created_date", grain="month")
    assert not at.exception
    points = {row["x_text"]: (row["value"], row["running"]) for row in chart_values(at)}
    assert points == {"Okt 2026": (1, False), "Nov 2026 (laufend)": (4, True)}
    note = "Nov 2026 ist der laufende Zeitraum (Daten bis 26.11.2026): unvollständig"
    assert any(c.value.startswith(note) for c in at.caption)
    at = run_app(PAGE, ds=DS, by="created_date", grain="year", lang="en")
    assert [(r["x_text"], r["running"]) for r in chart_values(at)] == [("2026 (running)", True)]
    assert any(c.value.startswith("2026 is the running period (data up to 2026-11-26)") for c in at.caption)
    at = run_app(PAGE, ds=DS, by="created_date", grain="day")
    assert not any(r["running"] for r in chart_values(at))
    assert not any("laufende Zeitraum" in c.value for c in at.caption)
