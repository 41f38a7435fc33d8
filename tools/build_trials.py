"""Crash and disk-full trials of a build against a published database; prints the figures.

    python -m tools.build_trials --workdir /tmp/trials [--trials 10] [--scale small] [--seed 7]

1. Makes a demo export set and publishes a first database (the reference).
2. Kill trials: starts `python -m kamdata build` on the same path and sends SIGKILL after a random
   delay within the measured build time; after every kill the published database must be intact
   (same real file, same modification time, i.e. the version the app reads; same content digest;
   it opens read-only with the reference's build_info) and the next build must not be blocked.
   A final build must then publish normally (the orphans of the killed builds are pruned).
3. Disk full: a tmpfs (needs root to mount) holding the published database and little room beyond
   it; a build there must fail with exit code 1 and one paragraph on stderr, no traceback, and
   leave the published database intact.

Exit code 0 when every trial held, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from kamdata.build.readers import file_sha256

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def kamdata(*args: str) -> list[str]:
    return [sys.executable, "-m", "kamdata", *args]


def build_command(exports: Path, db: Path) -> list[str]:
    return kamdata("build", "--exports", str(exports), "--db", str(db), "--quiet")


def current_file(db: Path) -> Path:
    return Path(os.path.realpath(db))


def snapshot(db: Path) -> tuple:
    """What the app sees (kamdata.query.current_version: the real file and its modification time),
    the file's digest and its build id."""
    real = current_file(db)
    with duckdb.connect(str(db), read_only=True) as con:
        build_id = con.execute("select build_id from build_info").fetchone()[0]
    return str(real), real.stat().st_mtime_ns, file_sha256(real), build_id


def timed_build(exports: Path, db: Path) -> float:
    started = time.monotonic()
    subprocess.run(build_command(exports, db), check=True, env=ENV, cwd=ROOT)
    return time.monotonic() - started


def kill_trials(exports: Path, db: Path, trials: int, build_s: float, rng: random.Random) -> int:
    reference = snapshot(db)
    held = 0
    for trial in range(1, trials + 1):
        delay = rng.uniform(0.05, 0.95) * build_s
        process = subprocess.Popen(build_command(exports, db), env=ENV, cwd=ROOT, stderr=subprocess.DEVNULL)
        try:
            process.wait(timeout=delay)
            finished = True  # the build outran the kill (it published a new version)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            finished = False
        after = snapshot(db)
        ok = after == reference if not finished else after[3] != reference[3]
        held += ok
        reference = after
        verdict = "finished before the kill" if finished else "killed"
        print(f"  trial {trial:2d}: {verdict} after {delay:5.1f} s; published database intact: {ok}")
    return held


def disk_full_trial(exports: Path, workdir: Path) -> bool:
    """A build on a tmpfs with room for the published database and about a third of a second one."""
    mount = workdir / "full"
    mount.mkdir(exist_ok=True)
    size_mb = int(os.environ.get("KAM_TRIALS_TMPFS_MB", "40"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(mount)], check=False)
    if mounted.returncode != 0:
        print("  disk full: skipped (mounting a tmpfs needs root)")
        return True
    try:
        db = mount / "kam.duckdb"
        first = subprocess.run(build_command(exports, db), env=ENV, cwd=ROOT, capture_output=True, text=True)
        if first.returncode != 0:
            print(f"  disk full: the tmpfs of {size_mb} MB cannot hold one database; raise KAM_TRIALS_TMPFS_MB")
            return False
        before = snapshot(db)
        result = subprocess.run(build_command(exports, db), env=ENV, cwd=ROOT, capture_output=True, text=True)
        stderr = result.stderr.strip()
        intact = snapshot(db) == before
        one_paragraph = bool(stderr) and "\n\n" not in stderr and "Traceback" not in stderr
        free_mb = shutil.disk_usage(mount).free / 1e6
        print(f"  disk full: tmpfs {size_mb} MB, exit code {result.returncode}, published database intact: {intact}")
        print(f"  free after the failed build: {free_mb:.1f} MB (its partial version removed)")
        print(f"  stderr ({'one paragraph, no traceback' if one_paragraph else 'NOT one clean paragraph'}):")
        print("    " + stderr.replace("\n", "\n    "))
        return result.returncode == 1 and intact and one_paragraph
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, required=True, help="scratch directory (created)")
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--scale", default="small", choices=("small", "large"))
    parser.add_argument("--seed", type=int, default=7, help="seed of the kill delays")
    args = parser.parse_args(argv)
    workdir = args.workdir.resolve()
    exports, db = workdir / "exports", workdir / "db" / "kam.duckdb"
    workdir.mkdir(parents=True, exist_ok=True)
    if not exports.exists():
        demo = kamdata("demo", "--out", str(exports), "--scale", args.scale, "--as-of", "2026-11-26")
        subprocess.run(demo, check=True, env=ENV, cwd=ROOT, stdout=subprocess.DEVNULL)
    build_s = timed_build(exports, db)
    print(f"reference build: {build_s:.1f} s, {current_file(db).stat().st_size / 1e6:.1f} MB")
    print(f"kill -9 trials ({args.trials}):")
    held = kill_trials(exports, db, args.trials, build_s, random.Random(args.seed))
    final_s = timed_build(exports, db)
    left = sorted(p.name for p in db.parent.glob(db.name + ".v*"))
    print(f"  {held}/{args.trials} held; the next build published in {final_s:.1f} s; versions on disk: {len(left)}")
    disk_ok = disk_full_trial(exports, workdir)
    return 0 if held == args.trials and disk_ok else 1


if __name__ == "__main__":
    sys.exit(main())
