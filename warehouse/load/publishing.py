"""What the data page does, without Streamlit: store uploads, run the loader as its own process.

The loader never runs inside a page render: the page starts `python -m warehouse load` (or
rollback) as a separate process and reads the JSON report it writes.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from warehouse.clock import beijing_now
from warehouse.load import uploads

ROOT = Path(__file__).resolve().parents[2]


def save_uploads(files: list[tuple[str, bytes]], folder: Path) -> Path:
    """Check every file (UploadRefused on the first bad one) and store them in a new folder."""
    checked = [(uploads.check(name, data), data) for name, data in files]
    target = folder / beijing_now().strftime("%Y%m%d-%H%M%S-%f")
    target.mkdir(parents=True)
    for name, data in checked:
        (target / name).write_bytes(data)
    return target


def run_loader(source: Path, warehouse: Path, *, as_of: dt.date | None, dry_run: bool, actor: str) -> dict:
    """Run `python -m warehouse load` and return its JSON report."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        command = [
            sys.executable,
            "-m",
            "warehouse",
            "load",
            str(source),
            "--warehouse",
            str(warehouse),
            "--report-json",
            str(report),
            "--actor",
            actor,
        ]
        if as_of:
            command += ["--as-of", as_of.isoformat()]
        if dry_run:
            command.append("--dry-run")
        run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if report.exists():
            return json.loads(report.read_text(encoding="utf-8"))
        return {"ok": False, "refused": (run.stderr or run.stdout).strip()[-500:] or "加载进程异常退出"}


def run_rollback(warehouse: Path, load_id: str, *, actor: str) -> tuple[bool, str]:
    run = subprocess.run(
        [sys.executable, "-m", "warehouse", "rollback", load_id, "--warehouse", str(warehouse), "--actor", actor],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return run.returncode == 0, (run.stdout if run.returncode == 0 else run.stderr).strip()
