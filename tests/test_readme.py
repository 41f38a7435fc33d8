"""The README's two commands are the contract with newcomers and CI; keep them, CI and the layout in sync."""

import re
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CI = ROOT / ".ci" / "run"


def _readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def _readme_commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", _readme(), flags=re.S)


def _ci_commands() -> list[str]:
    """The commands .ci/run runs, in order (comments and blank lines left out)."""
    lines = CI.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


def test_readme_opens_with_run_and_test_commands():
    commands = _readme_commands()
    assert "streamlit run app.py" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_last_with_the_browser_tests_forced_on():
    commands = _ci_commands()
    test_command = _readme_commands()[1]
    assert commands[-1] == test_command
    # Forced on explicitly, before the tests and not undone in between.
    forced = commands.index("export KAM_E2E=1")
    assert forced < len(commands) - 1
    assert not any("KAM_E2E" in line for line in commands[forced + 1 : -1])


def test_ci_checks_lint_format_and_types_before_the_tests():
    commands = _ci_commands()
    checks = [".venv/bin/ruff check .", ".venv/bin/ruff format --check .", ".venv/bin/mypy"]
    positions = [commands.index(check) for check in checks]
    assert positions == sorted(positions)
    assert positions[-1] < len(commands) - 1
    # They run in the virtualenv the README's command sets up, after it is set up.
    setup = commands.index("python3 -m venv .venv && .venv/bin/pip install -q -r requirements-dev.txt")
    assert setup < positions[0]


def test_ci_installs_the_browser_and_stops_at_the_first_failure():
    text = CI.read_text(encoding="utf-8")
    assert "set -euo pipefail" in text
    assert re.search(r"^packages=\(chromium\b", text, flags=re.M)
    assert 'apt-get install -y -q "${packages[@]}"' in text


def test_dev_requirements_pin_the_checkers_ci_runs():
    pins = dict(
        line.split("==")
        for line in (ROOT / "requirements-dev.txt").read_text(encoding="utf-8").splitlines()
        if "==" in line
    )
    # The README's test command installs these pins first, so the virtualenv has exactly them.
    for package in ("ruff", "mypy", "pytest", "playwright"):
        assert pins[package] == version(package), package


def test_every_path_in_the_readme_layout_exists():
    block = re.search(r"```\n(app\.py .+?)\n```", _readme(), flags=re.S)
    assert block, "README layout block (starting with app.py) not found"
    paths = [line.split()[0] for line in block.group(1).splitlines() if line and not line.startswith(" ")]
    assert len(paths) >= 15
    missing = [path for path in paths if not (ROOT / path).exists()]
    assert missing == []
