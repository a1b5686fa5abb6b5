"""Readers during swaps (issue 7): the app's model under load.

One `Warehouse` per app process, shared by every session thread; a page render takes one
snapshot and runs its queries on it (ui/data.py). Here 50 threads of one process, plus two
separate reader processes, render continuously while 10 loads (separate processes, as the data
page runs them) swap the warehouse. Load k adds k parcels of 1 亩 and dates the data 2025-06-01 + k
days, so every generation has a fingerprint that four different queries must agree on.

Readers query back to back but at the lowest CPU priority (nice 19): on a 2-core machine they
would otherwise starve the loads the test waits for; they still take every core the loads leave.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

from tests.conftest import ROOT
from tests.exports_fixture import GOOD_ROWS, table, write_csv
from warehouse.runner import Warehouse
from warehouse.scope import Scope

LOADS = 10
READER_THREADS = 50
PROCESS_THREADS = 4
BASE_LAND = Decimal("30.6234")  # 征地面积(亩) of the good set in 2025
BASE_AS_OF = dt.date(2025, 6, 1)


def write_generation(folder: Path, k: int) -> None:
    extra = [dict(GOOD_ROWS["parcels"][1], parcel_id=f"K{k}-{i}", area_mu="1") for i in range(k)]
    write_csv(folder / "地块台账导出.csv", table("parcels", GOOD_ROWS["parcels"] + extra))


def render(wh: Warehouse) -> dict:
    """What a page does: one snapshot, then several named queries on that generation only."""
    generation = wh.snapshot()
    params = Scope.for_year(2025, generation.as_of).params()
    as_of, load_id = generation.as_of, generation.load_id
    tasks = generation.run("annual_tasks", params).set_index("metric")
    parcels = generation.run("parcels_in_period", params | {"date_kind": "acquired"})
    rows = generation.run("ledger_row_counts", {}).set_index("ledger")
    land = Decimal(str(tasks.at["征地面积(亩)", "actual"])) - BASE_LAND
    fingerprints = (
        (as_of - BASE_AS_OF).days,  # the as-of date
        int(land) if land == int(land) else str(land),  # annual_tasks: land acquired
        len(parcels) - 2,  # parcels_in_period: detail rows
        int(rows.at["parcels", "rows"]) - 2,
    )  # ledger_row_counts: rows loaded
    return {
        "k": fingerprints[0],
        "fingerprints": fingerprints,
        "load_id": load_id,
        "generation_load_id": generation.load_id,
        "identity": generation.identity,
    }


class Reader(threading.Thread):
    def __init__(self, wh: Warehouse, stop: threading.Event):
        super().__init__(daemon=True)
        self.wh, self.stop = wh, stop
        self.renders, self.errors, self.mixed, self.backwards = 0, [], [], []
        self.seen: Counter = Counter()
        self.identities: set = set()
        self.last: int | None = None

    def run(self) -> None:
        low_priority()
        while not self.stop.is_set():
            self.once()

    def once(self) -> None:
        try:
            r = render(self.wh)
        except Exception as exc:  # noqa: BLE001 — every failure is a finding
            self.errors.append(f"{type(exc).__name__}: {exc}")
            time.sleep(0.01)
            return
        self.renders += 1
        if len(set(r["fingerprints"])) != 1 or r["load_id"] != r["generation_load_id"]:
            self.mixed.append(r)
        if self.last is not None and r["k"] < self.last:
            self.backwards.append((self.last, r["k"]))
        self.last = r["k"]
        self.seen[r["k"]] += 1
        self.identities.add(r["identity"])

    def summary(self) -> dict:
        return {
            "renders": self.renders,
            "errors": self.errors[:5],
            "error_count": len(self.errors),
            "mixed": [str(m) for m in self.mixed[:5]],
            "backwards": self.backwards[:5],
            "seen": dict(self.seen),
            "last": self.last,
            "identities": len(self.identities),
        }


def low_priority() -> None:
    """nice 19 for the calling thread (on Linux the nice value is per thread; DuckDB's worker
    threads, started by the thread that opens a generation, inherit it)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
    except (AttributeError, OSError):
        pass


def reader_process(path: str, stop_file: str, threads: int) -> None:
    """A separate app process: its own Warehouse, a few session threads; a JSON summary at the end."""
    low_priority()
    wh, stop = Warehouse(path), threading.Event()
    readers = [Reader(wh, stop) for _ in range(threads)]
    readers[0].once()
    print("ready", flush=True)
    for r in readers:
        r.start()
    while not Path(stop_file).exists():
        time.sleep(0.02)
    stop.set()
    for r in readers:
        r.join()
        r.once()  # a render after the last load: it must see it
    print(json.dumps([r.summary() for r in readers]), flush=True)


def test_readers_never_mix_generations_and_see_the_last_load(tmp_path, good_dir, live):
    started = time.perf_counter()
    stop_file = tmp_path / "stop"
    code = (
        f"from tests.test_concurrency import reader_process; "
        f"reader_process({str(live)!r}, {str(stop_file)!r}, {PROCESS_THREADS})"
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT
        )
        for _ in range(2)
    ]
    wh, stop = Warehouse(live), threading.Event()
    readers = [Reader(wh, stop) for _ in range(READER_THREADS)]
    for r in readers:
        r.start()
    for p in processes:
        assert p.stdout.readline().strip() == "ready", p.stderr.read()
    load_seconds = []
    try:
        for k in range(1, LOADS + 1):
            write_generation(good_dir, k)
            t = time.perf_counter()
            run = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "warehouse",
                    "load",
                    str(good_dir),
                    "--warehouse",
                    str(live),
                    "--as-of",
                    str(BASE_AS_OF + dt.timedelta(days=k)),
                ],
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            load_seconds.append(round(time.perf_counter() - t, 1))
            assert run.returncode == 0, run.stdout + run.stderr
        # Every session thread moves to the last load by itself, within seconds.
        deadline = time.monotonic() + 20
        while any(r.last != LOADS for r in readers) and time.monotonic() < deadline:
            time.sleep(0.05)
        converged = time.monotonic() - (deadline - 20)
    finally:
        stop.set()
        stop_file.touch()
        for r in readers:
            r.join(timeout=30)
    outputs = [p.communicate(timeout=60) for p in processes]
    in_process = [r.summary() for r in readers]
    other = []
    for (out, err), p in zip(outputs, processes):
        assert p.returncode == 0, err
        other += json.loads(out.strip().splitlines()[-1])
    everyone = in_process + other
    seen = Counter()
    for s in everyone:
        seen.update({int(k): n for k, n in s["seen"].items()})
    renders = sum(s["renders"] for s in everyone)
    print(
        f"\n[并发] {READER_THREADS} 个线程（同一 Warehouse）+ 2 个进程×{PROCESS_THREADS} 线程，"
        f"{LOADS} 次加载（每次 {load_seconds} 秒），共 {time.perf_counter() - started:.1f}s"
    )
    print(
        f"[并发] 渲染 {renders} 次（本进程 {sum(s['renders'] for s in in_process)}，"
        f"其他进程 {sum(s['renders'] for s in other)}），每次 4 个查询；各代被渲染次数 {dict(sorted(seen.items()))}"
    )
    print(
        f"[并发] 出错 {sum(s['error_count'] for s in everyone)} 次，混代渲染 "
        f"{sum(len(s['mixed']) for s in everyone)} 次，倒退 {sum(len(s['backwards']) for s in everyone)} 次；"
        f"最后一次加载后 {converged:.2f}s 内所有线程都读到第 {LOADS} 代；"
        f"本进程共打开 {len(set().union(*(r.identities for r in readers)))} 个代（{LOADS + 1} 个文件版本），"
        f"单线程最多经历 {max(s['identities'] for s in everyone)} 个"
    )
    assert not [s["errors"] for s in everyone if s["error_count"]]
    assert not [s["mixed"] for s in everyone if s["mixed"]]
    assert not [s["backwards"] for s in everyone if s["backwards"]]
    assert all(s["last"] == LOADS for s in everyone)
    assert seen[0] and seen[LOADS] and len(seen) >= LOADS // 2 + 1  # readers lived through the swaps
    wh.close()
