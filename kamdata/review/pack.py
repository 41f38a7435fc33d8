"""`python -m kamdata review-pack`: the review pack (PDF and/or Excel) of one account or of all accounts,
without Streamlit, through kamdata.review.assemble (the same query core as the page, so page, PDF and
workbook show the same numbers).

    python -m kamdata review-pack --db data/kam.duckdb --account A0001 --lang de --out A0001.pdf
    python -m kamdata review-pack --db data/kam.duckdb --all --out-dir packs/ [--jobs 2]
    ... --as anna.schmidt@example.com      # only the accounts this user may see (login on: required,
    ... --all-accounts                     # or this, for a management job; docs/ACCESS.md)

--all writes `<account id>-<name>.pdf` and `.xlsx` per account, in a process pool (--jobs, default 2),
with a progress bar unless --quiet. Every pack of one run reads the same database version, even if a
nightly build publishes a new one meanwhile.
"""

from __future__ import annotations

import argparse
import getpass
import os
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from kamdata import audit, auth, query
from kamdata.app import formats as fmt
from kamdata.query import DbVersion, Scope
from kamdata.settings import load_settings

FORMATS = (".pdf", ".xlsx")


class PackError(Exception):
    """A reason the pack cannot be made, for the user (exit code 1)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", required=True, help="published database path (a symlink or file)")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--account", help="account id, e.g. A0001")
    which.add_argument("--all", action="store_true", help="every account: one PDF and one XLSX each")
    parser.add_argument("--lang", choices=["de", "en"], default="de", help="language of the pack (default: de)")
    parser.add_argument("--out", help="with --account: the file to write, .pdf or .xlsx")
    parser.add_argument("--out-dir", dest="out_dir", help="with --all: the directory to write into")
    parser.add_argument("--jobs", type=int, default=2, help="with --all: worker processes (default: 2)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    who = parser.add_mutually_exclusive_group()
    who.add_argument("--as", dest="as_user", metavar="USER", help="the packs a user (e-mail) may see, by their role")
    who.add_argument(
        "--all-accounts", dest="all_accounts", action="store_true", help="every account (a management job)"
    )


def scope_of(args: argparse.Namespace, version: DbVersion, settings: dict | None = None) -> Scope:
    """The accounts the packs may show (docs/ACCESS.md): `--as USER` gets the user's role from the
    settings' role mapping (by e-mail; groups are not known here) and that role's scope; with login on,
    the job must say `--as USER` or `--all-accounts`; with login off every account, as in the app."""
    config = auth.auth_settings(settings)
    if args.as_user:
        role = auth.role_of(args.as_user, (), config)
        scope = auth.account_scope(version, role, args.as_user)
        if scope == ():
            raise PackError(f"{args.as_user} may see no account (role: {role or 'none'})")
        return scope
    if config.enabled and not args.all_accounts:
        raise PackError("login is on ([auth] mode): say --as USER, or --all-accounts for a management job")
    return None


def _audit(args: argparse.Namespace, settings: dict | None, account_id: str, files: list[str]) -> None:
    """With login on, the pack is written to the audit log (user: --as USER, else the OS user)."""
    settings = settings if settings is not None else load_settings()
    if not auth.auth_settings(settings).enabled:
        return
    user = args.as_user or f"cli:{getpass.getuser()}"
    role = auth.role_of(args.as_user, (), auth.auth_settings(settings)) if args.as_user else auth.MANAGEMENT
    audit.record(settings, Path(args.db), "pack", user, role, account_id=account_id, file=", ".join(files))


def file_stem(account_id: str, account_name: str) -> str:
    """ "A0001-havelland-warenhaus-gmbh": the account id and its name as a safe file name part."""
    name = fmt.slug(account_name)[:60].strip("_").replace("_", "-")
    account = re.sub(r"[^A-Za-z0-9_-]+", "-", account_id).strip("-") or "account"
    return f"{account}-{name}" if name else account


def render(version: DbVersion, account_id: str, lang: str, scope: Scope, formats: tuple[str, ...]):
    """{".pdf": bytes, ".xlsx": bytes} for the account (the formats asked for), and its name; None when
    the account does not exist or is outside the scope."""
    from kamdata.review import assemble, pdf, xlsx

    review = assemble(version, account_id, lang, scope)
    if review is None:
        return None
    renderers = {".pdf": pdf.render, ".xlsx": xlsx.render}
    return review.account_name, {suffix: renderers[suffix](review) for suffix in formats}


@dataclass(frozen=True)
class Done:
    account_id: str
    files: tuple[str, ...]
    seconds: float


def write_pack(version: DbVersion, account_id: str, lang: str, scope: Scope, out_dir: str) -> Done:
    """One account's PDF and XLSX into out_dir (a worker's task in --all)."""
    started = time.perf_counter()
    made = render(version, account_id, lang, scope, FORMATS)
    if made is None:
        raise PackError(f"account {account_id} is not in the database")
    name, files = made
    written = []
    for suffix, content in files.items():
        path = Path(out_dir) / f"{file_stem(account_id, name)}{suffix}"
        _write(path, content)
        written.append(str(path))
    return Done(account_id, tuple(written), time.perf_counter() - started)


def _write(path: Path, content: bytes) -> None:
    """Write via a temporary file and rename, so a reader never sees half a pack."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(content)
    os.replace(tmp, path)


def _version(db: str) -> DbVersion:
    try:
        version = query.current_version(db)
    except query.NoDatabase as exc:
        raise PackError(f"no database at {db}") from exc
    if not os.path.isfile(version.path):
        raise PackError(f"no database at {db}")
    return version


def _accounts(version: DbVersion, scope: Scope) -> list[str]:
    try:
        frame = query.run(version, "filters_accounts", {}, scope)
    except Exception as exc:  # not a KAM Cockpit database, or a damaged file
        raise PackError(f"cannot read {version.path} as a KAM Cockpit database: {exc}") from exc
    return sorted(frame["account_id"].astype(str))


def _one(args: argparse.Namespace, version: DbVersion, scope: Scope) -> int:
    if not args.out or args.out_dir:
        raise PackError("--account needs --out FILE.pdf or FILE.xlsx (--out-dir is for --all)")
    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise PackError(f"--out must end in .pdf or .xlsx, not {out.name!r}")
    if not out.parent.is_dir():
        raise PackError(f"directory {out.parent} does not exist")
    _accounts(version, scope)  # a clear message for a file that is not a KAM Cockpit database
    started = time.perf_counter()
    made = render(version, args.account, args.lang, scope, (suffix,))
    if made is None:
        seen = f" visible to {args.as_user}" if args.as_user else ""
        raise PackError(f"unknown account {args.account!r}: not in {args.db}{seen}")
    _write(out, made[1][suffix])
    _audit(args, None, args.account, [str(out)])
    if not args.quiet:
        print(f"{out} ({made[0]}, {time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return 0


def _all(args: argparse.Namespace, version: DbVersion, scope: Scope) -> int:
    if not args.out_dir or args.out:
        raise PackError("--all needs --out-dir DIR (--out is for one --account)")
    if args.jobs < 1:
        raise PackError("--jobs must be at least 1")
    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    accounts = _accounts(version, scope)
    started = time.perf_counter()
    failed: list[str] = []
    done: list[Done] = []
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.text import Text

    console = Console(stderr=True, quiet=args.quiet)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with (
        Progress(*columns, console=console, disable=args.quiet) as progress,
        # spawn, not fork: a forked child of a process whose vl-convert (or rich) threads hold a lock hangs.
        ProcessPoolExecutor(min(args.jobs, max(len(accounts), 1)), mp_context=get_context("spawn")) as pool,
    ):
        task = progress.add_task("review packs", total=len(accounts))
        futures = {
            pool.submit(write_pack, version, account, args.lang, scope, str(out_dir)): account for account in accounts
        }
        for future in as_completed(futures):
            try:
                done.append(future.result())
                _audit(args, None, done[-1].account_id, list(done[-1].files))
            except Exception as exc:  # one broken account must not stop the others
                failed.append(futures[future])
                console.print(Text(f"{futures[future]}: {exc}", style="red"))
            progress.advance(task)
    elapsed = time.perf_counter() - started
    if not args.quiet:
        slowest = max(done, key=lambda d: d.seconds, default=None)
        console.print(
            Text(
                f"{len(done)} of {len(accounts)} accounts packed into {out_dir} in {elapsed:.1f} s"
                + (f" (slowest {slowest.account_id}: {slowest.seconds:.1f} s)" if slowest else "")
            )
        )
    if failed:
        print(f"review-pack: {len(failed)} account(s) failed: {', '.join(sorted(failed))}", file=sys.stderr)
        return 1
    return 0


def cli_review_pack(args: argparse.Namespace) -> int:
    try:
        version = _version(args.db)
        scope = scope_of(args, version)
        return _all(args, version, scope) if args.all else _one(args, version, scope)
    except PackError as exc:
        print(f"review-pack: {exc}", file=sys.stderr)
        return 1
