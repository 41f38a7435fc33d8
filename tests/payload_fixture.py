"""A fixture database whose every name-like text is an attack payload (markdown, HTML, formulas).

`build_payload_db(root)` is the app fixture (tests/app_fixture.py: its tickets and SLA policies)
with every free-text field of the export set replaced by `payload(tag)`: a formula start
(= + - @, cycling), the field's tag, then markdown and HTML that must never render: bold,
a javascript: link, bare www./https:// links, LaTeX, coloured text, a material icon shortcode,
strike-through, inline code, a <b> tag, a <script> and an <img onerror>. A site name starts
with "# " (a heading) and a city with "1. " (a list). No underscore anywhere: codes with one
are shown with spaces (kamdata.app.formats.label) and would no longer read literally.

Used by the download safety tests (formulas stay inert text in every file) and by the browser
test tests/e2e/test_browser_payloads.py (the text shows literally, nothing renders).
"""

from __future__ import annotations

from itertools import cycle
from pathlib import Path

from tests.app_fixture import EXTRA_TICKETS
from tests.exportset import BASE_ROWS, build_fixture_db

MARKUP = (
    "**fett** [klick](javascript:alert(1)) www.evil.de https://evil.example $x^2$ :red[rot] "
    ":material/home: ~~weg~~ `code` <b>b</b> <script>alert(1)</script> <img src=x onerror=alert(1)>"
)
LEADS = cycle(("=", "+", "-", "@"))
# table -> the free-text columns that get a payload (the contract's "text" columns shown anywhere)
FIELDS = {
    "employees": ("name", "department", "role"),
    "accounts": ("account_name", "industry", "region"),
    "sites": ("site_name", "city", "building_type"),
    "emission_factors": ("source",),
    "surveys": ("comment",),
    "interactions": ("subject",),
    "commitments": ("description",),
}
LINE_STARTS = {("sites", "site_name"): "# ", ("sites", "city"): "1. "}


def payload(tag: str, lead: str = "=") -> str:
    """`<lead><tag> <markup>`: the tag tells the fields apart on screen."""
    return f"{lead}{tag} {MARKUP}"


def _rows() -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {}
    for table, columns in FIELDS.items():
        changed = []
        for index, row in enumerate(BASE_ROWS[table], start=1):
            new = dict(row)
            for column in columns:
                lead = LINE_STARTS.get((table, column), next(LEADS))
                new[column] = payload(f"{table}.{column}.{index}".replace("_", ""), lead)
            changed.append(new)
        rows[table] = changed
    rows["sla_policies"] = [row for row in BASE_ROWS["sla_policies"] if row["account_id"] == "A1"]
    return rows


PAYLOAD_ROWS = _rows()
ACCOUNT_NAMES = {row["account_id"]: row["account_name"] for row in PAYLOAD_ROWS["accounts"]}


def build_payload_db(root: Path) -> Path:
    """Build and publish the payload database under `root`; returns the published path."""
    return build_fixture_db(root, rows=PAYLOAD_ROWS, add={"tickets": EXTRA_TICKETS})
