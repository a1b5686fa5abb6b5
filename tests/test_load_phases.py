"""Where a load's time goes: `python -m warehouse load --verbose` prints every phase, and the
JSON report (the bench reads it) carries the same seconds."""

import json

from tests.exports_fixture import table, write_csv
from warehouse.cli import main
from warehouse.load import phases


def test_a_verbose_load_prints_and_reports_every_phase(tmp_path, good_dir, capsys):
    # One ledger in GBK, as the center's case system writes some: its transcoding is a phase.
    write_csv(good_dir / "地块台账导出.csv", table("parcels"), encoding="gbk")
    report = tmp_path / "report.json"
    argv = ["load", str(good_dir), "--warehouse", str(tmp_path / "wh" / "w.duckdb"), "--verbose"]
    assert main([*argv, "--report-json", str(report)]) == 0

    printed = capsys.readouterr().out.split("各阶段用时", 1)[1].splitlines()[1:]
    assert [line.split()[0].strip("　") for line in printed] == list(phases.ORDER)
    body = json.loads(report.read_text(encoding="utf-8"))
    assert list(body["phases"]) == list(phases.ORDER)
    seconds = body["phases"]
    assert all(s >= 0 for s in seconds.values())
    # The overlapped stretch, and every phase after it, fit in the load's own wall time.
    after = [phases.VALIDATE, phases.WRITE, phases.FINAL_CHECK, phases.SWAP]
    assert seconds[phases.READ_AND_STAGE_WALL] + sum(seconds[p] for p in after) <= body["seconds"] + 0.01


def test_a_refused_load_reports_the_phases_it_ran(tmp_path, good_dir):
    write_csv(good_dir / "地块台账导出.csv", [["not", "a", "ledger"]])
    report = tmp_path / "report.json"
    argv = ["load", str(good_dir), "--warehouse", str(tmp_path / "wh" / "w.duckdb"), "--report-json", str(report)]
    assert main(argv) == 1
    ran = list(json.loads(report.read_text(encoding="utf-8"))["phases"])
    # Nothing to transcode (every file UTF-8), nothing written, checked or published.
    assert ran == [phases.READ, phases.STAGE, phases.READ_AND_STAGE_WALL, phases.VALIDATE]
