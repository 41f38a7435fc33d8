"""Session fixtures: the fixture databases are built once per test session, here, not in module caches."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kamdata import query
from tests.app_fixture import app, build_alerts_db, build_app_db
from tests.payload_fixture import build_payload_db


@pytest.fixture(scope="session")
def app_db(tmp_path_factory) -> Path:
    """The app fixture database (tests/app_fixture.py): the published (symlink) path. Read it, never write it."""
    return build_app_db(tmp_path_factory.mktemp("app-fixture"))


@pytest.fixture(scope="session")
def alerts_db(tmp_path_factory) -> Path:
    """The app fixture with A1 in trouble (tests/app_fixture.py build_alerts_db), for the portfolio's
    money view and the review's alerts. Read it, never write it."""
    return build_alerts_db(tmp_path_factory.mktemp("alerts-fixture"))


@pytest.fixture(scope="session")
def payload_db(tmp_path_factory) -> Path:
    """Every name-like text a markdown/HTML/formula payload (tests/payload_fixture.py). Read it, never write it."""
    return build_payload_db(tmp_path_factory.mktemp("payload-fixture"))


@pytest.fixture(scope="session")
def app_version(app_db) -> query.DbVersion:
    """The app fixture database as a version for kamdata.query.run."""
    return query.current_version(app_db)


@pytest.fixture
def run_app(monkeypatch, app_db) -> Callable[..., AppTest]:
    """`run_app(page=None, db_path=app_db, settings=None, user=None, **query)`: app.py in AppTest
    (tests.app_fixture.app) on the app fixture database unless `db_path` names another one ("" = none
    configured); `user` is the mock st.user."""

    def run(
        page: str | None = None,
        db_path: Path | str | None = None,
        settings: str | None = None,
        user: dict | None = None,
        **params,
    ):
        path = app_db if db_path is None else db_path
        return app(monkeypatch, page, db_path=path, settings=settings, user=user, **params)

    return run
