"""python -m bench: the whole benchmark in one run (see README「基准测试」).

    python -m bench --scales 1,10,100 --sessions 20 --repeats 21 --load-repeats 5 --out artifacts/bench
    python -m bench --quick --out /tmp/bench      # scale 1, 3 sessions (+2 all-Chromium), 2 repeats, 1 browser
                                                  # round: the test's run
    python -m bench --loads-only --scales 100     # step 1 alone

1. loads: demo exports at each scale (reused when unchanged), `python -m warehouse load` timed
   with its peak RSS and seconds per phase, against two floors: DuckDB's own ingest of the same
   rows from plain CSVs, and the export files read as they are with no check;
2. page renders (AppTest, a fresh process per warehouse): cold and warm on the smallest scale
   (the demo data), cold on the largest, each against a floor page drawing as many charts and tables;
3. pages in Chromium on a quiet server (bench.browser_pages), each against the same page of a bare
   Streamlit app with as many charts and tables (bench.browser_floor), served alongside;
4. concurrent sessions against a live server on the demo warehouse (1 in Chromium, the rest speaking
   Streamlit's websocket protocol), the same tour against the bare floor app (its Chromium p95 and
   server CPU per page open beside the app's), then as many all in Chromium for information;
   then --replica-sessions protocol sessions on one replica and on two through nginx (bench.replicas);
5. results.md (also printed) and results.json in --out.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench import loads as load_bench
from bench import report
from bench.browser_pages import MAX_ROUNDS, bench_browser_pages
from bench.replicas import bench_replicas
from bench.sessions import bench_sessions

ROOT = Path(__file__).resolve().parent.parent


def _scales(text: str) -> list[int]:
    values = sorted({int(x) for x in text.split(",") if x.strip()})
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("scales are positive integers, e.g. 1,10,100")
    return values


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=_scales, default=[1, 10, 100], help="demo scales to load (default 1,10,100)")
    parser.add_argument("--sessions", type=int, default=20, help="concurrent sessions (default 20)")
    parser.add_argument(
        "--browsers",
        type=int,
        default=1,
        help="of those, sessions in Chromium; the rest speak the websocket protocol (default 1)",
    )
    parser.add_argument(
        "--browser-sessions",
        type=int,
        help="then the same tour with this many sessions all in Chromium, for information "
        "(default: --sessions; 0 skips it)",
    )
    parser.add_argument("--repeats", type=int, default=5, help="warm reruns per page (default 5)")
    parser.add_argument(
        "--browser-rounds",
        type=int,
        help=f"rounds of every page in Chromium, quiet, against the browser floor (default: --repeats, "
        f"at most {MAX_ROUNDS}), after one untimed round",
    )
    parser.add_argument(
        "--load-repeats",
        type=int,
        help="loads (and floors) at scale 1 (default: --repeats); at most 3 up to scale 10, 1 above",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "artifacts" / "bench",
        help="work folder and results (default artifacts/bench)",
    )
    parser.add_argument(
        "--page-timeout",
        type=float,
        default=60,
        help="seconds before a browser page open counts as an error (default 60)",
    )
    parser.add_argument(
        "--think-time", type=float, default=0, help="seconds each session waits between pages (default 0: back to back)"
    )
    parser.add_argument(
        "--loads-only", action="store_true", help="only the loads and their floors (step 1), no pages or sessions"
    )
    parser.add_argument(
        "--replica-sessions",
        type=int,
        default=40,
        help="protocol sessions on one replica, then on two through nginx (default 40; 0 skips)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="scale 1, 3 sessions, 2 repeats, 1 load, 1 browser round, 4 replica sessions (overrides those options)",
    )
    return parser


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def page_renders(warehouse: Path, work: Path, repeats: int, scale: int) -> dict:
    """AppTest renders in a fresh process (its own caches, imports and memory)."""
    out = work / f"pages-scale-{scale}.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.pages",
            "--warehouse",
            str(warehouse),
            "--work",
            str(work / "apptest"),
            "--repeats",
            str(repeats),
            "--json",
            str(out),
        ],
        cwd=ROOT,
        check=True,
    )
    result = json.loads(out.read_text(encoding="utf-8"))
    result["scale"] = scale
    return result


def _notes(args, load_repeats: int, env: dict) -> list[str]:
    return [
        f"Run with: python -m bench --scales {','.join(map(str, args.scales))} --sessions {args.sessions} "
        f"--browsers {args.browsers} --browser-sessions "
        f"{args.sessions if args.browser_sessions is None else args.browser_sessions} "
        f"--repeats {args.repeats} --browser-rounds {args.browser_rounds} --load-repeats {load_repeats} --think-time {args.think_time:g} --replica-sessions {args.replica_sessions} --out {args.out}"
        + (" --loads-only" if args.loads_only else ""),
        f"Load average at start {env['load_average'][0]:.2f} on {env['machine']['cores']} cores: the machine may "
        "be shared with other work, so timings can be noisy; compare ratios to their floors, measured in the "
        "same run.",
    ]


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.quick:
        args.scales, args.sessions, args.repeats, args.load_repeats, args.browser_sessions = [1], 3, 2, 1, 2
        args.browser_rounds = 1
        args.replica_sessions = 4
    if args.browser_rounds is None:
        args.browser_rounds = min(args.repeats, MAX_ROUNDS)
    load_repeats = args.repeats if args.load_repeats is None else args.load_repeats
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    env = report.environment()
    notes = _notes(args, load_repeats, env)
    phases: dict[str, float] = {}

    def phase_done(name: str) -> None:
        phases[name] = time.perf_counter() - started - sum(phases.values())

    log(f"[1/4] loads at scales {args.scales}")
    loads = load_bench.bench_loads(out, args.scales, load_repeats, log)
    phase_done("loads")
    if reused := [x.scale for x in loads if x.demo_seconds is None]:
        notes.append(f"Demo exports reused at scale(s) {reused} (same scale, seed and generator code as their stamp).")

    small, big = loads[0], loads[-1]
    measured = report.Measured(loads, big.scale)
    if not args.loads_only:
        measured.pages_small, measured.pages_big, measured.browser_pages, measured.sessions = _pages_and_sessions(
            args, small, big, out, phase_done
        )

    env["load_average_end"] = list(os.getloadavg())
    rows = report.target_rows(measured)
    seconds = time.perf_counter() - started
    notes.append(
        f"Whole run took {seconds:.0f} s ("
        + ", ".join(f"{k} {v:.0f} s" for k, v in phases.items())
        + f"); load average at the end {env['load_average_end'][0]:.2f}."
    )
    print(report.write(out, env, rows, measured, notes, seconds))
    log(f"results: {out / 'results.md'} and {out / 'results.json'}")
    return 0


def _pages_and_sessions(args, small, big, out: Path, phase_done) -> tuple[dict, dict, dict, dict]:
    """Steps 2–4: AppTest renders, pages in Chromium, concurrent sessions."""
    log(f"[2/4] page renders (AppTest) at scale {small.scale}" + (f" and {big.scale}" if big is not small else ""))
    pages_small = page_renders(Path(small.warehouse), out, args.repeats, small.scale)
    pages_big = pages_small if big is small else page_renders(Path(big.warehouse), out, 1, big.scale)
    phase_done("pages")

    shapes = {p["key"]: (p["charts"], p["tables"]) for p in pages_small["pages"]}
    log(f"[3/4] pages in Chromium on a quiet server, {args.browser_rounds} round(s), against the browser floor")
    others = {p["key"]: p["others"] for p in pages_small["pages"]}
    browser_pages = bench_browser_pages(
        Path(small.warehouse), out / "browser-pages", shapes, args.browser_rounds, args.page_timeout, log, others
    )
    phase_done("browser pages")

    log(f"[4/4] {args.sessions} concurrent sessions ({args.browsers} in Chromium) on the {small.scale}× warehouse")
    sessions = {
        "target": bench_sessions(
            Path(small.warehouse),
            out / "server",
            args.sessions,
            args.page_timeout,
            args.think_time,
            log,
            browsers=args.browsers,
        )
    }
    phase_done("sessions")
    log("      the same tour against the bare floor app")
    sessions["floor"] = bench_sessions(
        Path(small.warehouse),
        out / "server-floor",
        args.sessions,
        args.page_timeout,
        args.think_time,
        log,
        browsers=args.browsers,
        floor=shapes,
    )
    phase_done("floor tour")
    all_browsers = args.sessions if args.browser_sessions is None else args.browser_sessions
    if all_browsers:
        log(f"      and {all_browsers} sessions all in Chromium, for information")
        # A folder of its own: the accounts DB of the first run stays open in this process's engine cache.
        sessions["browsers_only"] = bench_sessions(
            Path(small.warehouse),
            out / "server-browsers",
            all_browsers,
            args.page_timeout,
            args.think_time,
            log,
            browsers=all_browsers,
        )
        phase_done("all-Chromium sessions")

    log(f"      then {args.replica_sessions} protocol sessions on one replica and on two through nginx")
    # Under sessions in results.json; its rows and section: bench.report_replicas.
    sessions["replicas"] = bench_replicas(
        Path(small.warehouse), out / "replicas", args.replica_sessions, args.page_timeout, log
    )
    phase_done("replicas")
    return pages_small, pages_big, browser_pages, sessions


if __name__ == "__main__":
    sys.exit(main())
