"""The loads against their two floors (bench.loads), and where a load's time goes: rows and
tables for bench.report."""

from __future__ import annotations

from bench.loads import SEQUENTIAL
from warehouse.load import phases

LOAD_OVER_FLOOR = 3.0
LOAD_RSS_MB = 2048.0


def rows(loads: list, row, verdict, target_scale: int) -> list:
    """Per scale: load ÷ the CSV floor (the target), load ÷ the formats floor (for information);
    then the largest scale's peak RSS."""
    out = []
    for x in loads:
        out += [
            row(
                f"load ({x.scale}×) ÷ DuckDB CSV floor",
                f"{x.ratio:.2f}× ({x.load_median:.2f} s ÷ {x.floor_median:.2f} s, {x.total_rows:,} rows)",
                f"≤ {LOAD_OVER_FLOOR:g}×",
                verdict(x.ratio <= LOAD_OVER_FLOOR),
                x.ratio,
            ),
            row(
                f"load ({x.scale}×) ÷ formats floor",
                f"{x.formats_ratio:.2f}× ({x.load_median:.2f} s ÷ {x.formats_median:.2f} s)",
                "no target: what the checks cost beyond reading the files as they are",
                "info",
                x.formats_ratio,
            ),
        ]
    big = loads[-1]  # loads are sorted by scale
    out.append(
        row(
            f"{big.scale}× load peak RSS",
            f"{big.load_peak_rss_mb:,.0f} MB",
            f"≤ {LOAD_RSS_MB:,.0f} MB at {target_scale}×",
            verdict(big.load_peak_rss_mb <= LOAD_RSS_MB, big.scale == target_scale),
            big.load_peak_rss_mb,
        )
    )
    return out


def load_table(loads: list, table) -> list[str]:
    return table(
        [
            "scale",
            "rows",
            "demo export",
            "load (median)",
            "runs",
            "load peak RSS",
            "CSV floor (median)",
            "CSV floor peak RSS",
            "load ÷ CSV floor",
            "formats floor (median)",
            "formats floor peak RSS",
            "load ÷ formats floor",
        ],
        [
            [
                f"{x.scale}×",
                f"{x.total_rows:,}",
                "reused" if x.demo_seconds is None else f"{x.demo_seconds:.0f} s",
                f"{x.load_median:.2f} s",
                len(x.load_seconds),
                f"{x.load_peak_rss_mb:,.0f} MB",
                f"{x.floor_median:.2f} s",
                f"{x.floor_peak_rss_mb:,.0f} MB",
                f"{x.ratio:.2f}×",
                f"{x.formats_median:.2f} s",
                f"{x.formats_peak_rss_mb:,.0f} MB",
                f"{x.formats_ratio:.2f}×",
            ]
            for x in loads
        ],
    )


def phase_lines(loads: list, table) -> list[str]:
    """Seconds per phase of each scale's median load run, one column per scale."""
    per_scale = [x.phases for x in loads]
    seen = dict.fromkeys(name for s in per_scale for name in s)
    names = [p for p in phases.ORDER if p in seen] + [n for n in seen if n not in phases.ORDER]

    def label(name: str) -> str:
        return f"{name} (summed over threads)" if name in phases.ORDER and name not in SEQUENTIAL else name

    return [
        "Seconds per phase of each scale's median load (`python -m warehouse load --report-json`). Reading "
        "files and staging them overlap on two threads: the phases marked summed over threads lie within "
        "the stretch's wall time (读取与暂存（墙钟）) and may add up to more; from it on, phases follow "
        "one another.",
        "",
        *table(
            ["phase", *(f"{x.scale}×" for x in loads)],
            [[label(n), *("—" if n not in s else f"{s[n]:.2f} s" for s in per_scale)] for n in names],
        ),
    ]
