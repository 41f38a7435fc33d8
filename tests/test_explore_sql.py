"""Explorer results on the app fixture against direct SQL and hand-worked values.

Fixture tickets (tests/app_fixture.py, mart_ticket_sla): T1 A1 S1 Hamburg technical P2 20.11.
breached (28 h); T2 A1 S2 Hamburg cleaning P3 24.11. pending; T4 A2 S3 München technical P1 10.11.
no SLA (4 h); T5 A1 S1 technical P1 01.10. met (2 h); T6 A1 S2 cleaning P1 02.11. breached (7 h).
stg_tickets adds T3 (planned, P4, 01.11.).
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

from kamdata.explore import run, sql
from kamdata.explore.state import Filter, State

NO_FILTERS = {"accounts": None, "service_lines": None, "date_from": None, "date_to": None}


@pytest.fixture(scope="module")
def con(app_db):
    connection = duckdb.connect(str(app_db), read_only=True)
    yield connection
    connection.close()


def _ids(frame: pd.DataFrame) -> list[str]:
    return sorted(frame["ticket_id"])


def _result(app_version, state, global_params=NO_FILTERS, scope=None, page_size=None):
    return run.result(app_version, state, global_params, scope, page_size)


def test_filters_of_each_type(app_version, con):
    cases = [
        (Filter("priority", "in", ("P1",)), "priority = 'P1'"),
        (Filter("resolution_h", "between", (3, 30)), "resolution_h between 3 and 30"),
        (Filter("resolution_h", "between", (None, 4.5)), "resolution_h <= 4.5"),
        (
            Filter("created_date", "between", (date(2026, 11, 1), date(2026, 11, 20))),
            "created_date between '2026-11-01' and '2026-11-20'",
        ),
        (Filter("city", "contains", ("münch",)), "lower(city) like '%münch%'"),
        (Filter("ticket_id", "in", ("T1", "T6")), "ticket_id in ('T1', 'T6')"),
        (Filter("resolution_status", "in", ("met", "breached")), "resolution_status in ('met', 'breached')"),
        (Filter("escalated", "in", ("false",)), "not escalated"),
    ]
    for flt, where in cases:
        got = _result(app_version, State("ticket_sla", filters=(flt,)))
        expected = con.execute(
            "select t.ticket_id from mart_ticket_sla t left join stg_sites s using (site_id) where " + where
        ).df()
        assert _ids(got.frame) == _ids(expected), flt
        assert got.total_rows == len(expected)


def test_munich_p1_per_month(app_version):
    """The issue's question: P1 tickets of account A2 at sites in München, per month (all tickets)."""
    state = State(
        "tickets",
        filters=(Filter("city", "in", ("München",)), Filter("priority", "in", ("P1",))),
        group_by=("created_date",),
        grain="month",
    )
    got = _result(app_version, state, {**NO_FILTERS, "accounts": ["A2"]})
    assert got.frame.to_dict("records") == [{"created_date": pd.Timestamp("2026-11-01"), "count": 1}]
    assert got.chart == "line" and [c.kind for c in got.columns] == ["month", "integer"]


@pytest.mark.parametrize(
    ("grain", "expr"),
    [
        ("day", "created_date"),
        ("week", "date_trunc('week', created_date)::date"),
        ("month", "date_trunc('month', created_date)::date"),
        ("quarter", "strftime(created_date, '%Y') || '-Q' || quarter(created_date)"),
        ("year", "year(created_date)::varchar"),
    ],
)
def test_group_by_each_grain(app_version, con, grain, expr):
    state = State(
        "ticket_sla", group_by=("created_date", "priority"), grain=grain, measures=("count", "sum:resolution_h")
    )
    got = _result(app_version, state).frame
    expected = con.execute(
        f'select {expr} as created_date, priority, count(*) as count, sum(resolution_h) as "sum:resolution_h" '
        "from mart_ticket_sla group by all order by 1, 2"
    ).df()
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected, check_dtype=False)


def test_ratio_per_group_hand_worked(app_version):
    """Resolution compliance per service line: technical T1 breached + T5 met = 1 / 2 = 50 %, T4 has no
    SLA; cleaning T6 breached, T2 pending (not counted) = 0 / 1 = 0 %. Per month: October T5 = 100 %,
    November T1, T6 breached = 0 %."""
    by_line = _result(app_version, State("ticket_sla", group_by=("service_line",), measures=("resolution_compliance",)))
    assert dict(zip(by_line.frame["service_line"], by_line.frame["resolution_compliance"])) == {
        "cleaning": 0.0,
        "technical": 50.0,
    }
    by_month = _result(
        app_version,
        State("sla_monthly", group_by=("month",), measures=("resolution_compliance", "response_compliance")),
    ).frame
    assert list(by_month["resolution_compliance"]) == [100.0, 0.0]
    # response: October T5 met; November T1 met, T2 breached, T6 breached -> 1 / 3
    assert list(by_month["response_compliance"]) == pytest.approx([100.0, 100 / 3])


def test_eui_is_a_ratio_of_sums(app_version):
    """EUI 2026 over both accounts: (12 345.6 + 4 500) kWh / (12 500.5 + 40 000) m2 = 0.32087 kWh/m2,
    not the mean of A1's 0.988 and A2's 0.1125."""
    got = _result(app_version, State("sustainability_yearly", group_by=("year",), measures=("eui", "mean:eui_kwh_m2")))
    assert got.frame["year"].tolist() == ["2026"]
    assert got.frame["eui"].iloc[0] == pytest.approx(16845.6 / 52500.5)
    assert got.frame["eui"].iloc[0] == pytest.approx(0.32087, abs=1e-5)
    assert got.frame["mean:eui_kwh_m2"].iloc[0] == pytest.approx((12345.6 / 12500.5 + 4500 / 40000) / 2)


def test_top_n_and_sort(app_version, con):
    top = _result(app_version, State("ticket_sla", group_by=("priority",), top=1))
    assert top.frame.to_dict("records") == [{"priority": "P1", "count": 3}]
    assert top.total_rows == 1
    ascending = _result(app_version, State("ticket_sla", group_by=("priority",), sort="count", descending=False))
    expected = con.execute("select priority, count(*) as count from mart_ticket_sla group by 1 order by 2, 1").df()
    assert ascending.frame.to_dict("records") == expected.to_dict("records")
    rows = _result(app_version, State("ticket_sla", sort="resolution_h", descending=True))
    assert list(rows.frame["ticket_id"]) == ["T1", "T6", "T4", "T5", "T2"]  # NULL (T2) last


def test_paging_and_total_count(app_version, con):
    seen = []
    for page in (1, 2, 3, 4):
        result = _result(app_version, State("tickets", page=page), page_size=2)
        assert result.total_rows == 6 and result.row_level and result.chart == "none"
        seen += list(result.frame["ticket_id"])
    expected = con.execute("select ticket_id from stg_tickets order by created_at desc").df()
    assert seen == list(expected["ticket_id"])  # default order: newest first, every row once


def test_global_filters(app_version, con):
    period = {**NO_FILTERS, "date_from": date(2026, 11, 1), "date_to": date(2026, 11, 30)}
    got = _result(app_version, State("ticket_sla"), period)
    assert _ids(got.frame) == ["T1", "T2", "T4", "T6"]
    assert got.applied == ("accounts", "service_lines", "period")
    got = _result(app_version, State("ticket_sla"), {**NO_FILTERS, "service_lines": ["cleaning"]})
    assert _ids(got.frame) == ["T2", "T6"]
    got = _result(app_version, State("ticket_sla"), {**NO_FILTERS, "accounts": []})
    assert got.total_rows == 0  # an empty account filter selects nothing, as on every page
    got = _result(app_version, State("revenue_monthly", group_by=("account_id",), measures=("margin",)))
    # A1: (40 000 - 31 000) / 40 000 = 22.5 %; A2 gives no cost -> no margin
    margins = dict(zip(got.frame["account_id"], got.frame["margin"]))
    assert margins["A1"] == pytest.approx(22.5) and pd.isna(margins["A2"])
    contracts = _result(app_version, State("contracts"), period)
    assert "period" not in contracts.applied
    assert contracts.total_rows == con.execute("select count(*) from mart_contracts").fetchone()[0]


def test_scope(app_version):
    got = _result(app_version, State("ticket_sla"), scope=("A2",))
    assert _ids(got.frame) == ["T4"]
    grouped = _result(app_version, State("ticket_sla", group_by=("account_id",)), scope=("A2",))
    assert grouped.frame.to_dict("records") == [{"account_id": "A2", "count": 1}]
    readings = _result(app_version, State("meter_readings", group_by=("account_id",)), scope=("A2",))
    assert set(readings.frame["account_id"]) <= {"A2"}


def test_works_council_suppression(app_version, monkeypatch, tmp_path):
    """Two employees booked in November 2026 (E1 and E2, one per department): every group has fewer
    than 3 people, so nothing is shown and the groups are counted as suppressed."""
    state = State("workload_monthly", group_by=("department",), measures=("utilisation",))
    got = _result(app_version, state)
    assert got.frame.empty and got.suppressed_groups == 2 and not got.row_level
    total = _result(app_version, State("workload_monthly", measures=("sum:booked_h",)))
    assert total.frame.empty and total.suppressed_groups == 1
    path = tmp_path / "settings.toml"
    path.write_text("[app]\nmin_group_size = 2\n", encoding="utf-8")
    monkeypatch.setenv("KAM_SETTINGS", str(path))
    total = _result(app_version, State("workload_monthly", measures=("sum:booked_h", "utilisation")))
    assert total.frame["sum:booked_h"].tolist() == [3.5]
    assert total.frame["utilisation"].iloc[0] == pytest.approx(100 * 3.5 / (152.0 + 146.3))


def test_values_with_counts(app_version):
    state = State("ticket_sla", filters=(Filter("priority", "in", ("P1",)), Filter("city", "in", ("Hamburg",))))
    values = run.values(app_version, state, "priority", NO_FILTERS)
    # the field's own filter is left out, the others apply: Hamburg has T1 P2, T2 P3, T5 P1, T6 P1
    assert values.to_dict("records") == [
        {"value": "P1", "rows": 2},
        {"value": "P2", "rows": 1},
        {"value": "P3", "rows": 1},
    ]


def test_chunks_stream_the_whole_result(app_version):
    frames = list(run.chunks(app_version, State("tickets"), NO_FILTERS, chunk_rows=4))
    assert [len(f) for f in frames] == [4, 2]
    assert list(run.chunks(app_version, State("tickets"), NO_FILTERS, limit=3, chunk_rows=2))[-1].shape[0] == 1


def test_labels_of_result_columns():
    built = sql.build(State("ticket_sla", group_by=("city",), measures=("count", "mean:resolution_h", "mttr")), {})
    assert [c.label("de") for c in built.columns] == [
        "Stadt",
        "Anzahl Zeilen",
        "Mittelwert Lösungszeit (h)",
        "MTTR (h, Median)",
    ]
    assert [c.label("en") for c in built.columns] == [
        "City",
        "Row count",
        "Mean of Resolution time (h)",
        "MTTR (h, median)",
    ]
