"""The results against the bare floor app (bench.browser_floor): each page in Chromium on a quiet
server, the Chromium session's p95 and the server's CPU per page open during the tour; rows and
the quiet pages' table, for bench.report."""

from __future__ import annotations

BROWSER_OVER_FLOOR = 1.5
FRAME_CPU_OVER_FLOOR = 1.5


def quiet_rows(browser_pages: dict, row, verdict) -> list:
    """One row per page: its median in Chromium on a quiet server ÷ the floor page's."""
    rows = []
    for page in browser_pages["pages"]:
        ratio = page["over_floor"]
        rows.append(
            row(
                f"page {page['title']} ({page['key']}) in Chromium, quiet: median ÷ browser floor",
                "—"
                if ratio is None
                else f"{ratio:.2f}× ({page['app_median_s']:.2f} s ÷ {page['floor_median_s']:.2f} s)",
                f"≤ {BROWSER_OVER_FLOOR:g}×",
                verdict(ratio is not None and ratio <= BROWSER_OVER_FLOOR and not page["errors"]),
                float("nan") if ratio is None else ratio,
            )
        )
    return rows + [quiet_cpu_row(browser_pages, row)]


def quiet_cpu_row(browser_pages: dict, row):
    """The servers' CPU per page open in the quiet rounds, for information: a page's whole work
    (frame and page) on warm caches, one session, no cold query or contention in it."""
    cpu = browser_pages["server_cpu_ms_per_open"]
    app, bare = cpu.get("app"), cpu.get("floor")
    ratio = app / bare if app is not None and bare else None
    return row(
        "server CPU per page open in Chromium, quiet: app ÷ bare floor",
        "—" if ratio is None else f"{ratio:.2f}× ({app:.1f} ms ÷ {bare:.1f} ms CPU per page open)",
        "no target: the tour's row below is the target",
        "info",
        float("nan") if ratio is None else ratio,
    )


def floor_browser_row(floor: dict, row):
    """The floor's Chromium p95 during its tour, printed beside the app's row, for information."""
    browser = floor["by_client"]["browser"]
    return row(
        f"{floor['sessions']} concurrent sessions on the bare floor app: p95 page time in the Chromium session",
        f"{browser['p95_s']:.2f} s (p50 {browser['p50_s']:.2f} s, {browser['page_opens']} page opens, "
        f"errors {floor['errors']})",
        "no target: the browser floor of the row above",
        "info",
        browser["p95_s"],
    )


def frame_cpu_row(target: dict, floor: dict, row, verdict):
    """The server's CPU per page open during the app's tour ÷ during the bare floor's."""
    app, bare = target.get("server_cpu_ms_per_open"), floor.get("server_cpu_ms_per_open")
    ratio = app / bare if app is not None and bare else None
    return row(
        f"{target['sessions']} concurrent sessions: server CPU per page open ÷ bare floor's",
        "—" if ratio is None else f"{ratio:.2f}× ({app:.1f} ms ÷ {bare:.1f} ms CPU per page open)",
        f"≤ {FRAME_CPU_OVER_FLOOR:g}× with 20 sessions",
        verdict(ratio is not None and ratio <= FRAME_CPU_OVER_FLOOR, target["sessions"] >= 20),
        float("nan") if ratio is None else ratio,
    )


def quiet_section(browser_pages: dict, table) -> list[str]:
    out = [
        f"## Pages in Chromium on a quiet server, against the browser floor (demo data, "
        f"{browser_pages['rounds']} round(s))",
        "",
        "Click in the navigation → page settled, one tab on the app (logged in as admin) and one on "
        "the bare floor app (the same titles and navigation, as many charts and tables, no login, no "
        "filters), opened in turn; the first round untimed. Where the time went, medians in ms: the "
        "script run as the browser saw it (first “running” to last “notRunning”: the server's run and "
        "the browser's handling of what it sent meanwhile; — when too short to be seen), then "
        "Chromium's main-thread script and its style and layout, from the click to 100 ms after the "
        "page settled (drawing that runs on after it is in them, not in the page time). The matched "
        "floor, for information, is the floor with as many plain texts, headings, alerts, buttons, "
        "inputs and expanders as the page draws besides its charts and tables: what is left of "
        "app ÷ matched is how the app draws, not how much it shows.",
        "",
        *table(
            [
                "page",
                "charts",
                "tables",
                "app (median)",
                "floor (median)",
                "app ÷ floor",
                "matched floor (median)",
                "app ÷ matched",
                "app: run · script · layout",
                "floor: run · script · layout",
                "app times",
                "errors",
            ],
            [
                [
                    p["title"],
                    p["charts"],
                    p["tables"],
                    "—" if p["app_median_s"] is None else f"{p['app_median_s']:.2f} s",
                    "—" if p["floor_median_s"] is None else f"{p['floor_median_s']:.2f} s",
                    "—" if p["over_floor"] is None else f"{p['over_floor']:.2f}×",
                    "—" if p["matched_median_s"] is None else f"{p['matched_median_s']:.2f} s",
                    "—" if p["over_matched"] is None else f"{p['over_matched']:.2f}×",
                    _where(p, "app"),
                    _where(p, "floor"),
                    ", ".join(f"{t:.2f}" for t in p["app_s"]),
                    "; ".join(p["errors"][:3]) or "0",
                ]
                for p in browser_pages["pages"]
            ],
        ),
    ]
    cpu = browser_pages["server_cpu_ms_per_open"]
    if cpu.get("app") is not None and cpu.get("floor") is not None:
        out += [
            "",
            f"Server CPU per page open in the timed rounds: app {cpu['app']:.1f} ms, bare floor "
            f"{cpu['floor']:.1f} ms (each server is its own process).",
        ]
    return out


def _where(page: dict, side: str) -> str:
    """ "45 · 120 · 15": the script run, the browser's script, its style and layout (ms), in the
    order bench.browser_pages measured them."""
    return " · ".join("—" if seconds is None else f"{seconds * 1000:.0f}" for seconds in page["where"][side].values())
