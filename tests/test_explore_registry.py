"""The explorer registry: every dataset's SQL runs on the app fixture (rows, groups, every measure),
and every dataset, field, measure, aggregate and grain has a German and an English label."""

from __future__ import annotations

import pytest

from kamdata.app import i18n
from kamdata.explore import registry, run
from kamdata.explore.state import State, measure_field
from kamdata.review.model import KINDS

NO_FILTERS = {"accounts": None, "service_lines": None, "date_from": None, "date_to": None}


@pytest.fixture
def per_person(monkeypatch, tmp_path):
    """Settings with per-person workload figures allowed (every person field visible)."""
    path = tmp_path / "settings.toml"
    path.write_text("[app]\nshow_per_person_workload = true\n", encoding="utf-8")
    monkeypatch.setenv("KAM_SETTINGS", str(path))


def _all_measures(dataset: registry.Dataset) -> tuple[str, ...]:
    tokens = ["count", *(m.id for m in dataset.measures)]
    for field in registry.fields_of(dataset):
        for agg in registry.AGGREGATES:
            token = f"{agg}:{field.name}"
            if measure_field(dataset, token) is not None:
                tokens.append(token)
    return tuple(tokens)


@pytest.mark.parametrize("dataset_id", sorted(registry.DATASETS))
def test_every_dataset_runs(app_version, per_person, dataset_id):
    dataset = registry.get(dataset_id)
    rows = run.result(app_version, State(dataset_id), NO_FILTERS)
    assert [c.name for c in rows.columns] == [f.name for f in registry.fields_of(dataset)]
    assert list(rows.frame.columns) == [c.name for c in rows.columns]
    assert rows.total_rows == len(rows.frame) or rows.total_rows > len(rows.frame) == run.settings()["page_rows"]
    tokens = _all_measures(dataset)
    for start in range(0, len(tokens), 10):
        for group in [f.name for f in registry.fields_of(dataset) if f.role in ("category", "date")][:4]:
            state = State(dataset_id, group_by=(group,), measures=tokens[start : start + 10])
            grouped = run.result(app_version, state, NO_FILTERS)
            assert list(grouped.frame.columns) == [group, *tokens[start : start + 10]]


def test_registry_shape():
    for dataset in registry.DATASETS.values():
        names = [f.name for f in dataset.fields + dataset.person_fields]
        assert len(names) == len(set(names)), dataset.id
        for field in dataset.fields + dataset.person_fields:
            assert field.kind in KINDS and field.role in registry.ROLES, (dataset.id, field)
        for measure in dataset.measures:
            assert measure.kind in KINDS and measure.id != "count"
        for column in (dataset.account_column, dataset.date_field, dataset.service_line_column):
            assert column is None or column in names, dataset.id
        assert not {"employee_id", "technician_id", "owner_id"} & {f.name for f in dataset.fields}, dataset.id


def test_person_fields_only_when_allowed(per_person):
    assert registry.field(registry.get("time_bookings"), "employee_id") is not None
    assert not registry.suppresses_people(registry.get("time_bookings"))


def test_person_fields_hidden_by_default():
    assert registry.field(registry.get("time_bookings"), "employee_id") is None
    assert registry.field(registry.get("ticket_sla"), "technician_id") is None
    assert registry.suppresses_people(registry.get("workload_monthly"))


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_label_in_both_languages(lang):
    for dataset in registry.DATASETS.values():
        assert registry.label("dataset", dataset.id, lang)
        assert registry.label("dataset_description", dataset.id, lang)
        for field in dataset.fields + dataset.person_fields:
            assert registry.label("field", field.name, lang)
            for agg in registry.AGGREGATES:
                assert registry.label("field", field.name, lang) in registry.label(
                    "aggregate", f"{agg}:{field.name}", lang
                )
        for measure in dataset.measures:
            assert registry.label("measure", measure.id, lang)
    assert registry.label("aggregate", "count", lang)
    for grain in registry.GRAINS:
        assert registry.label("grain", grain, lang)


def test_texts_file_has_both_languages_everywhere():
    texts = i18n.texts("explorer")
    for key in i18n.all_keys("explorer"):
        node = texts
        for part in key.split(".")[1:]:
            node = node[part]
        assert set(node) == set(i18n.LANGUAGES), key
