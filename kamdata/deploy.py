"""Scale-out: N Streamlit processes behind nginx with sticky sessions (deploy/nginx/kam-cockpit.conf).

The shipped nginx file is the one source: `render_site` fills in the listen port, the replicas and the
log path, and `NginxProxy` runs it unprivileged (its own prefix, pid and temp paths) in front of
processes on loopback, for the tests and the benchmark's `--processes`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "deploy" / "nginx" / "kam-cockpit.conf"
TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")  # nginx's own, kept in the work dir


def render_site(listen_port: int, replica_ports: list[int], log_path: Path) -> str:
    """The shipped site file with this listen port, these replicas (127.0.0.1:<port>) and this log."""
    text = SITE.read_text(encoding="utf-8")
    servers = "".join(f"    server 127.0.0.1:{port};\n" for port in replica_ports)
    text, n = re.subn(r"(    server 127\.0\.0\.1:\d+;\n)+", servers, text)
    text, m = re.subn(r"listen \d+;", f"listen 127.0.0.1:{listen_port};", text)
    text, k = re.subn(r"access_log \S+ kam_cockpit;", f"access_log {log_path} kam_cockpit;", text)
    if (n, m, k) != (1, 1, 1):
        raise ValueError(f"{SITE} no longer has one replica list, one listen line and one access log")
    return text


def wait_for_health(url: str, proc: subprocess.Popen, limit_s: float, name: str) -> None:
    """Poll `<url>/_stcore/health` until it answers; fail when `proc` exits first or `limit_s` passes."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            detail = proc.stderr.read().decode() if proc.stderr else ""
            raise RuntimeError(f"{name} exited with {proc.returncode} before it served {detail}".strip())
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{name} did not answer {url}/_stcore/health within {limit_s:.0f} s")


class NginxProxy:
    """nginx with the shipped site in front of `replica_ports`, listening on `port`, as a context."""

    def __init__(self, workdir: Path, port: int, replica_ports: list[int]):
        self.workdir, self.port, self.replicas = Path(workdir), port, replica_ports
        self.log = self.workdir / "access.log"
        self.proc: subprocess.Popen | None = None

    def _config(self) -> Path:
        (self.workdir / "temp").mkdir(parents=True, exist_ok=True)
        site = render_site(self.port, self.replicas, self.log)
        temp = self.workdir / "temp"
        conf = self.workdir / "nginx.conf"
        conf.write_text(
            f"pid {self.workdir / 'nginx.pid'};\nerror_log {self.workdir / 'error.log'};\n"
            "events { worker_connections 1024; }\nhttp {\n"
            + "".join(f"    {name}_temp_path {temp / name};\n" for name in TEMP_PATHS)
            + site
            + "\n}\n",
            encoding="utf-8",
        )
        return conf

    def __enter__(self) -> NginxProxy:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            raise RuntimeError("nginx is not installed (apt-get install nginx)")
        conf = self._config()
        self.proc = subprocess.Popen(
            [nginx, "-p", str(self.workdir), "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        wait_for_health(f"http://127.0.0.1:{self.port}", self.proc, 20, "nginx")
        return self

    def __exit__(self, *exc) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def upstreams(self) -> list[tuple[str, str]]:
        """(route cookie, replica) of every logged request, in order."""
        lines = self.log.read_text(encoding="utf-8").splitlines() if self.log.exists() else []
        found = (re.search(r"upstream=(\S+) route=(\S+)", line) for line in lines)
        return [(m.group(2), m.group(1)) for m in found if m]
