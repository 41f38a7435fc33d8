"""requirements.lock (pip-compile --generate-hashes, docs/OPERATIONS.md) locks what requirements.txt pins."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)", re.MULTILINE)


def pins(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text(encoding="utf-8")
    return {re.sub(r"[-_.]+", "-", n).lower(): v for n, v in PIN.findall(text)}


def test_every_pin_is_in_the_lock_with_the_same_version_and_hashes():
    direct, locked = pins("requirements.txt"), pins("requirements.lock")
    assert direct and {n: locked.get(n) for n in direct} == direct
    blocks = re.split(r"\n(?=\S)", (ROOT / "requirements.lock").read_text(encoding="utf-8"))
    assert all("--hash=sha256:" in b for b in blocks if PIN.match(b))  # every locked package has its hashes
