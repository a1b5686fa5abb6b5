"""The results of bench.replicas: the same sessions on one replica and on two behind nginx; rows
and a section for bench.report (results.md), the figures themselves under sessions.replicas in
results.json."""

from __future__ import annotations

FULL_SESSIONS = 40
GOAL = f"> 1× with {FULL_SESSIONS} sessions (two replicas serve more), errors 0"


def _measured(run: dict) -> str:
    return f"p95 {run['p95_s']:.2f} s · {run['opens_per_s']:.1f} page opens/s · errors {run['errors']}"


def rows(result: dict | None, row, verdict) -> list:
    """Each run's row (info), then two replicas ÷ one (PASS/MISS); one N/A or MISS row saying why
    when the phase did not run or broke."""
    if result is None:
        return []
    n = result["sessions"]
    if "skipped" in result or "failed" in result:
        return [
            row(
                f"{n} sessions on one replica and on two through nginx",
                result.get("skipped") or f"failed: {result['failed']}",
                GOAL,
                "N/A" if "skipped" in result else "MISS",
                0.0,  # nothing measured: the verdict says so
            )
        ]
    one, two = result["one"], result["two"]
    ratio = two["opens_per_s"] / one["opens_per_s"] if one["opens_per_s"] else float("nan")
    return [
        row(f"{n} sessions on one replica: p95, throughput, errors", _measured(one), "no target", "info", one["p95_s"]),
        row(
            f"{n} sessions on two replicas through nginx: p95, throughput, errors",
            _measured(two),
            "no target",
            "info",
            two["p95_s"],
        ),
        row(
            "two replicas ÷ one: throughput",
            f"{ratio:.2f}× ({two['opens_per_s']:.1f} ÷ {one['opens_per_s']:.1f} page opens/s; "
            f"errors {one['errors']} and {two['errors']})",
            GOAL,
            verdict(ratio > 1 and one["errors"] == two["errors"] == 0, n >= FULL_SESSIONS),
            ratio,
        ),
    ]


def _cpu(run: dict) -> str:
    cpu = run.get("cpu_seconds_during_tour")
    if not cpu:
        return "—"
    other = max(0.0, cpu["machine"] - sum(cpu["replicas"]) - cpu["harness"])
    return f"{' + '.join(f'{s:.1f}' for s in cpu['replicas'])} s (clients {cpu['harness']:.1f} s, other {other:.1f} s)"


def section(result: dict | None, table) -> list[str]:
    """The two runs side by side, for results.md; nothing when the phase was not run."""
    if not result or "one" not in result:
        return []
    one, two = result["one"], result["two"]
    n, pages = result["sessions"], len(result["pages"])
    sockets = ", ".join(f"{count} to {replica}" for replica, count in two.get("sockets_per_replica", {}).items())
    out = [
        "",
        f"## {n} sessions on one replica, then on two replicas through nginx (demo data)",
        "",
        f"PostgreSQL for the accounts, two `streamlit run app.py` on the same warehouse, nginx on "
        f"deploy/nginx/zhengshou.conf. {n} protocol sessions log in as admin (untimed) and open all "
        f"{pages} pages back to back, once on one replica directly (the other idle), once through nginx "
        f"(websockets: {sockets}). Each replica served one untimed tour first. Throughput: page opens "
        "without an error per second of the tour. CPU seconds during the tour: each replica, the "
        "sessions' own client, and everything else on the machine (other work on a shared machine "
        f"shows there). Phase took {result['phase_seconds']:.0f} s (PostgreSQL, replicas and nginx "
        "started and stopped, logins and warm-up tours included).",
        "",
    ]
    out += table(
        ["run", "page opens", "tour", "page opens/s", "p50", "p95", "max", "errors", "replica CPU during the tour"],
        [
            [
                label,
                run["page_opens"],
                f"{run['tour_seconds']:.1f} s",
                f"{run['opens_per_s']:.1f}",
                f"{run['p50_s']:.2f} s",
                f"{run['p95_s']:.2f} s",
                f"{run['max_s']:.2f} s",
                run["errors"],
                _cpu(run),
            ]
            for label, run in (("one replica, direct", one), ("two replicas through nginx", two))
        ],
    )
    samples = one["error_samples"] + two["error_samples"]
    return out + (["", "Errors:", ""] + [f"- {e}" for e in samples] if samples else [])
