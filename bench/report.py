"""The results: environment, one row per target (value, target, PASS/MISS), details;
written as results.md and results.json."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from bench import report_browser, report_loads, report_replicas

ROOT = Path(__file__).resolve().parent.parent
TARGET_SCALE = 100
COLD_SECONDS = 3.0
SESSION_P95 = 2.0
PACKAGES = ("streamlit", "duckdb", "pandas", "pyarrow", "plotly", "streamlit-authenticator", "playwright")


@dataclass
class Row:
    target: str
    measured: str
    goal: str
    verdict: str  # PASS, MISS, N/A (what the target is about was not run), or info (no target)
    value: float  # the number behind `measured`, for the JSON and the tests

    def as_json(self) -> dict:
        return self.__dict__.copy()


@dataclass
class Measured:
    """What one run measured. With --loads-only only the loads: the rest is None."""

    loads: list
    big_scale: int  # the largest scale loaded (its pages' cold renders)
    pages_small: dict | None = None
    pages_big: dict | None = None
    browser_pages: dict | None = None
    sessions: dict | None = None


def _verdict(ok: bool, applies: bool = True) -> str:
    return "N/A" if not applies else ("PASS" if ok else "MISS")


def _run(command: list[str]) -> str:
    try:
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def _cpu_model() -> str:
    info = Path("/proc/cpuinfo")
    if info.exists():
        for line in info.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


def _ram_gb() -> float | None:
    info = Path("/proc/meminfo")
    if not info.exists():
        return None
    return round(int(info.read_text().split("MemTotal:")[1].split()[0]) / 1024 / 1024, 1)


def environment() -> dict:
    versions = {"python": platform.python_version()}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    versions["chromium"] = _run(["/usr/bin/chromium", "--version"]) or None
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "git_commit": _run(["git", "rev-parse", "HEAD"]) or None,
        "machine": {"cpu": _cpu_model(), "cores": os.cpu_count(), "ram_gb": _ram_gb(), "os": platform.platform()},
        "load_average": list(os.getloadavg()),
        "versions": versions,
    }


def _ms(seconds: float | None) -> str:
    """Tenths of a millisecond below 100 ms: a warm render is 8–20 ms, and its ratio to the floor
    is read to two decimals."""
    if seconds is None:
        return "—"
    return f"{seconds * 1000:.1f} ms" if seconds < 0.1 else f"{seconds * 1000:.0f} ms"


def target_rows(m: Measured) -> list[Row]:
    """One row per target; the 100× and 20-session targets are N/A when that was not run. With
    --loads-only the pages and sessions are None: only the loads' rows."""
    rows = report_loads.rows(m.loads, Row, _verdict, TARGET_SCALE)
    if m.pages_small is None:
        return rows
    for page in m.pages_small["pages"]:
        ratio = page["warm_over_floor"]
        rows.append(
            Row(
                f"page {page['title']} ({page['key']}) warm ÷ floor, demo data",
                f"{ratio:.2f}× ({_ms(page['warm_median_s'])} ÷ {_ms(page['floor_warm_median_s'])})",
                "no target: a server-side rerun no user perceives",
                "MISS" if page["errors"] else "info",
                ratio,
            )
        )
    for page in m.pages_big["pages"]:
        rows.append(
            Row(
                f"page {page['title']} ({page['key']}) cold at {m.big_scale}×",
                f"{page['cold_s']:.2f} s",
                f"≤ {COLD_SECONDS:g} s at {TARGET_SCALE}×",
                _verdict(page["cold_s"] <= COLD_SECONDS and not page["errors"], m.big_scale == TARGET_SCALE),
                page["cold_s"],
            )
        )
    rows += report_browser.quiet_rows(m.browser_pages, Row, _verdict)
    rows += _session_rows(m.sessions["target"], m.sessions.get("browsers_only"), m.sessions["floor"])
    rows += report_replicas.rows(m.sessions.get("replicas"), Row, _verdict)
    return rows


def _session_rows(target: dict, browsers_only: dict | None, floor: dict) -> list[Row]:
    n, full = target["sessions"], target["sessions"] >= 20
    mix = f"{target['protocol_sessions']} protocol + {target['browsers']} Chromium"
    rows = [
        Row(
            f"{n} concurrent sessions ({mix}): p95 page time",
            f"{target['p95_s']:.2f} s (p50 {target['p50_s']:.2f} s, {target['page_opens']} page opens)",
            f"≤ {SESSION_P95:g} s with 20 sessions",
            _verdict(target["p95_s"] <= SESSION_P95, full),
            target["p95_s"],
        )
    ]
    if browser := target["by_client"].get("browser"):
        rows.append(
            Row(
                f"{n} concurrent sessions: p95 page time in the Chromium session (drawn in the browser)",
                f"{browser['p95_s']:.2f} s (p50 {browser['p50_s']:.2f} s, {browser['page_opens']} page opens)",
                f"≤ {SESSION_P95:g} s with 20 sessions",
                _verdict(browser["p95_s"] <= SESSION_P95, full),
                browser["p95_s"],
            )
        )
        rows.append(report_browser.floor_browser_row(floor, Row))
    rows.append(report_browser.frame_cpu_row(target, floor, Row, _verdict))
    rows.append(
        Row(
            f"{n} concurrent sessions: errors",
            str(target["errors"]),
            "0 with 20 sessions",
            _verdict(target["errors"] == 0, full),
            float(target["errors"]),
        )
    )
    if browsers_only:
        b = browsers_only
        cpu = b.get("cpu_seconds_during_tour") or {}
        share = (
            f", Chromium {cpu['browser'] / max(sum(cpu.values()), 1e-9):.0%} of the CPU used"
            if cpu.get("browser") is not None
            else ""
        )
        rows.append(
            Row(
                f"{b['sessions']} Chromium sessions on the server's own cores: p95 page time",
                f"{b['p95_s']:.2f} s (p50 {b['p50_s']:.2f} s, errors {b['errors']}{share})",
                "no target: measures the browsers",
                "info",
                b["p95_s"],
            )
        )
    return rows


def _table(header: list[str], body: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in body]
    return lines


def _page_table(result: dict) -> list[str]:
    return _table(
        [
            "page",
            "charts",
            "tables",
            "cold",
            "warm (median)",
            "floor cold",
            "floor warm",
            "bare Streamlit floor warm",
            "warm ÷ floor",
            "slowest queries (cold)",
            "errors",
        ],
        [
            [
                p["title"],
                p["charts"],
                p["tables"],
                _ms(p["cold_s"]),
                _ms(p["warm_median_s"]),
                _ms(p["floor_cold_s"]),
                _ms(p["floor_warm_median_s"]),
                _ms(p.get("bare_floor_warm_median_s")),
                "—" if p["warm_over_floor"] is None else f"{p['warm_over_floor']:.2f}×",
                ", ".join(f"{q['name']} {q['ms']:.0f} ms" for q in p["queries"][:3]),
                "; ".join(p["errors"]) or "0",
            ]
            for p in result["pages"]
        ],
    )


def _session_lines(s: dict, cores: int) -> list[str]:
    think = f", {s['think_seconds']:g} s think time between pages" if s.get("think_seconds") else ""
    kinds = " · ".join(
        f"{kind}: {t['page_opens']} opens, p50 {t['p50_s']:.2f} s, p95 {t['p95_s']:.2f} s, "
        f"max {t['max_s']:.2f} s, errors {t['errors']}"
        for kind, t in s["by_client"].items()
    )
    data = "the bare floor app" if s.get("app") == "bare floor" else "demo data"
    out = [
        f"## {s['sessions']} concurrent sessions, {s['browsers']} in Chromium and {s['protocol_sessions']} "
        f"speaking the websocket protocol ({data}{think})",
        "",
        f"{s['page_opens']} page opens in {s['tour_seconds']:.1f} s (logins took {s['login_seconds']:.1f} s, "
        f"untimed) · p50 {s['p50_s']:.2f} s · p95 {s['p95_s']:.2f} s · max {s['max_s']:.2f} s · "
        f"errors {s['errors']}",
        "",
        f"By client — {kinds}",
        "",
    ]
    if s.get("script_p50_s") == s.get("script_p50_s"):  # not NaN: some browser page opens were timed
        out += [
            f"In Chromium, the script run as the browser saw it (first “running” to last “notRunning”): "
            f"p50 {s['script_p50_s']:.2f} s · p95 {s['script_p95_s']:.2f} s; the rest is the click reaching "
            "the server and the browser drawing the page.",
            "",
        ]
    if s.get("cpu_seconds_during_tour"):
        cpu = s["cpu_seconds_during_tour"]
        out += [
            f"CPU seconds spent during the tour ({cores} cores × {s['tour_seconds']:.0f} s = "
            f"{cores * s['tour_seconds']:.0f} available): "
            + ", ".join(f"{k} {v:.0f}" for k, v in cpu.items())
            + f" — server CPU per page open {s['server_cpu_ms_per_open']:.1f} ms"
            + "; the clients run on the same cores as the server"
            + (
                f"; server RSS after the tour {s['server_rss_mb_after']:,.0f} MB."
                if s.get("server_rss_mb_after")
                else "."
            ),
            "",
        ]
    out += _table(
        ["page", "p50", "p95", "opens", "errors"],
        [[k, f"{v['p50_s']:.2f} s", f"{v['p95_s']:.2f} s", v["n"], v["errors"]] for k, v in s["by_page"].items()],
    )
    if s["error_samples"]:
        out += ["", "Errors:", ""] + [f"- {e}" for e in s["error_samples"]]
    return out


def markdown(env: dict, rows: list[Row], measured: Measured, notes: list[str]) -> str:
    m = env["machine"]
    load = ", ".join(f"{x:.2f}" for x in env["load_average"])
    out = [
        "# Benchmark results",
        "",
        f"{env['date']} · HEAD `{(env['git_commit'] or '?')[:12]}` (plus any uncommitted changes) · {m['cpu']}, "
        f"{m['cores']} cores, {m['ram_gb']} GB RAM · load average at start {load}",
        "",
        " · ".join(f"{k} {val}" for k, val in env["versions"].items() if val),
        "",
    ]
    out += _table(
        ["target", "measured", "goal", "result"],
        [[r.target, r.measured, r.goal, f"**{r.verdict}**" if r.verdict == "MISS" else r.verdict] for r in rows],
    )
    out += ["", "## Loads", ""] + report_loads.load_table(measured.loads, _table)
    out += ["", "## Where a load's time goes", ""] + report_loads.phase_lines(measured.loads, _table)
    if measured.pages_small is not None:
        out += _rest(m["cores"], measured)
    out += ["", "## Notes", ""] + [f"- {n}" for n in notes]
    return "\n".join(out) + "\n"


_OTHER_TOURS = (
    (
        "floor",
        "The same tour against the bare floor app (no login, no filters; as many charts and tables per "
        "page), for its Chromium p95 and server CPU per page open above.",
    ),
    (
        "browsers_only",
        "The same tour with every session in Chromium, for information: the browsers share the "
        "server's cores (in use each leader's browser runs on their own PC).",
    ),
)


def _rest(cores: int, m: Measured) -> list:
    """Everything after the loads: pages, pages in Chromium, sessions."""
    out = ["", f"## Page renders (AppTest), demo data ({m.pages_small['scale']}×)", ""] + _page_table(m.pages_small)
    if m.pages_big is not m.pages_small:
        out += ["", f"## Page renders (AppTest), {m.big_scale}×", ""] + _page_table(m.pages_big)
    out += [""] + report_browser.quiet_section(m.browser_pages, _table)
    out += [""] + _session_lines(m.sessions["target"], cores)
    for run, what in _OTHER_TOURS:
        if m.sessions.get(run):
            out += ["", what, ""] + _session_lines(m.sessions[run], cores)
    out += report_replicas.section(m.sessions.get("replicas"), _table)
    return out


def write(out: Path, env: dict, rows: list[Row], m: Measured, notes: list[str], seconds: float) -> str:
    text = markdown(env, rows, m, notes)
    (out / "results.md").write_text(text, encoding="utf-8")
    data = {
        "environment": env,
        "run_seconds": seconds,
        "targets": [r.as_json() for r in rows],
        "loads": [x.as_json() for x in m.loads],
        "pages": {"demo": m.pages_small, "largest": m.pages_big, "largest_scale": m.big_scale},
        "browser_pages": m.browser_pages,
        "sessions": m.sessions,
        "notes": notes,
    }
    (out / "results.json").write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return text
