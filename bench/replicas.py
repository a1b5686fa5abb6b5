"""Past one process: the same protocol sessions on one replica, then through nginx on two.

Started here, as README「多实例部署」 describes and tests/test_replicas.py proves: a throw-away
PostgreSQL for the accounts and login sessions (bench.postgres), two `streamlit run app.py` on
the demo warehouse with the same APP_DB_URL, cookie key and cookie secret, and nginx on the
repo's deploy/nginx/zhengshou.conf (bench.cluster). One Streamlit process runs every session's
script in threads of one interpreter, so it uses about one core at most; a second replica can
use the second core.

Each replica first serves one session's tour, untimed (its caches warm, as in use). Then the
timed runs, each as bench.sessions' protocol sessions (no browser: the clients' CPU stays
small): `sessions` sessions log in as admin (untimed) and open every page the 20-session tour
opens, back to back, each from a different page — once on replica 0 directly (replica 1 idle),
once through nginx, which spreads the sessions over both by its route hash. Throughput: page
opens without an error per second of the tour. CPU seconds each replica, this harness (the
clients) and the whole machine spent during each tour are measured too: the machine may be
shared with other work.
"""

from __future__ import annotations

import os
import secrets
import shutil
import time
from pathlib import Path

from access.demo import ensure_demo_accounts
from bench.cluster import NGINX, Cluster
from bench.postgres import TempPostgres, pg_bin, schema_url
from bench.sessions import protocol_sessions


def missing() -> str | None:
    """Why the phase cannot run here, or None."""
    absent = [
        name for name, there in (("nginx", Path(NGINX).exists()), ("PostgreSQL", pg_bin() is not None)) if not there
    ]
    if not absent:
        return None
    return f"not run: {'/'.join(absent)} not installed (apt-get install -y nginx-light postgresql; make system-deps)"


class _CpuMeter:
    """CPU seconds spent between construction and result() by each replica, by this process (the
    protocol clients) and by the whole machine (everything, other people's work included)."""

    def __init__(self, psutil, pids: list[int]):
        self.psutil = psutil
        self.processes = [psutil.Process(pid) for pid in pids]
        self.before = self._sample()

    def _sample(self) -> list[float]:
        def spent(process) -> float:
            times = process.cpu_times()
            return times.user + times.system

        machine = self.psutil.cpu_times()
        busy = sum(machine) - machine.idle - getattr(machine, "iowait", 0) - getattr(machine, "steal", 0)
        return [spent(p) for p in self.processes] + [spent(self.psutil.Process()), busy]

    def result(self) -> dict:
        spent = [round(b - a, 3) for a, b in zip(self.before, self._sample(), strict=True)]
        return {"replicas": spent[:-2], "harness": spent[-2], "machine": spent[-1]}


def _demo_accounts(db_url: str) -> None:
    """The demo accounts, hashed at bcrypt's lowest cost: the logins are untimed, and 2 × `sessions`
    of them at the default cost would add a quarter of a second of CPU each to the phase."""
    previous = os.environ.get("APP_BCRYPT_ROUNDS")
    os.environ["APP_BCRYPT_ROUNDS"] = "4"
    try:
        ensure_demo_accounts(db=db_url)
    finally:
        if previous is None:
            del os.environ["APP_BCRYPT_ROUNDS"]
        else:
            os.environ["APP_BCRYPT_ROUNDS"] = previous


def _meter(pids: list[int]):
    try:
        import psutil  # requirements-dev.txt: without it there is no CPU split
    except ImportError:
        return None
    return lambda: _CpuMeter(psutil, pids)


def _run(cluster: Cluster, url: str, sessions: int, timeout_s: float) -> dict:
    meter = _meter([p.pid for p in cluster.processes])
    result = protocol_sessions(url, sessions, None, timeout_s, meter=meter)
    good = result["page_opens"] - result["errors"]
    result["opens_per_s"] = good / result["tour_seconds"] if result["tour_seconds"] else 0.0
    return result


def _sockets_per_replica(cluster: Cluster, since: int) -> dict[str, int]:
    """The websockets nginx sent to each replica since access-log line `since`."""
    streams = [s for s in cluster.access_log()[since:] if s.startswith("GET /_stcore/stream ")]
    return {f"127.0.0.1:{p}": sum(f"upstream=127.0.0.1:{p} " in s for s in streams) for p in cluster.ports}


def bench_replicas(warehouse: Path, work: Path, sessions: int, timeout_s: float = 60, log=print) -> dict:
    """`sessions` protocol sessions on one replica, then through nginx on two; or why not."""
    if sessions <= 0:
        return {"sessions": sessions, "skipped": "not run: --replica-sessions 0"}
    if reason := missing():
        log(f"      {reason}")
        return {"sessions": sessions, "skipped": reason}
    started = time.perf_counter()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    postgres, cluster = TempPostgres(database="bench", prefix="bench-pg-"), None
    try:
        db_url, admin, _ = schema_url(postgres.start())
        admin.dispose()
        _demo_accounts(db_url)
        env = {
            "APP_DB_URL": db_url,
            "WAREHOUSE_PATH": str(warehouse.resolve()),
            "APP_COOKIE_KEY": secrets.token_urlsafe(48),
            "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_urlsafe(32),  # the same on every replica
            "APP_DEMO": "1",
            "APP_BCRYPT_ROUNDS": "4",
        }
        cluster = Cluster(work, env, replicas=2)
        cluster.start()
        for index in range(len(cluster.ports)):  # warm each replica's caches, untimed
            protocol_sessions(cluster.replica_url(index), 1, None, timeout_s)
        one = _run(cluster, cluster.replica_url(0), sessions, timeout_s)
        log(f"      one replica: {_line(one)}")
        mark = len(cluster.access_log())
        two = _run(cluster, cluster.url, sessions, timeout_s)
        log(f"      two replicas through nginx: {_line(two)}")
        two["sockets_per_replica"] = _sockets_per_replica(cluster, mark)
    except Exception as exc:  # a phase that breaks is a MISS row, not a lost run
        log(f"      failed: {type(exc).__name__}: {exc}")
        return {"sessions": sessions, "failed": f"{type(exc).__name__}: {str(exc)[:300]} (logs: {work})"}
    finally:
        if cluster is not None:
            cluster.stop()
        postgres.stop()
    return {
        "sessions": sessions,
        "pages": list(one["by_page"]),
        "one": one,
        "two": two,
        "replica_ports": cluster.ports,
        "phase_seconds": time.perf_counter() - started,
    }


def _line(run: dict) -> str:
    return (
        f"{run['page_opens']} page opens in {run['tour_seconds']:.1f} s ({run['opens_per_s']:.1f}/s) · "
        f"p95 {run['p95_s']:.2f} s · errors {run['errors']}"
    )
