"""Faults during a load (issue 7): a SIGKILL at any moment, a full disk, two loads at once.

After every fault the live warehouse is readable and is either byte-for-byte the old file or the
complete new build — never a half — and the next load succeeds and clears what the fault left.
Each test prints what it saw (`pytest -s`).
"""

from __future__ import annotations

import errno
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import ROOT, cli_rollback, sha256
from warehouse.load import archive, history
from warehouse.load.loader import load
from warehouse.runner import Warehouse

pytestmark = pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs Linux /proc/locks")

# Staging this small spills to `.build-spill` beside the warehouse, so a kill can leave one behind.
KILL_MEMORY = "32MB"
TASK_PARAMS = dict(
    year=2025,
    as_of=None,
    date_from="2025-01-01",
    date_to="2025-12-31",
    townships=None,
    sector=None,
    key_only=False,
    project=None,
)


@pytest.fixture(scope="module")
def demo_exports(tmp_path_factory) -> Path:
    """The demo export set (about 70,000 rows): a load of it lasts a couple of seconds."""
    folder = tmp_path_factory.mktemp("faults") / "demo"
    run = subprocess.run(
        [sys.executable, "-m", "warehouse", "demo", str(folder)], capture_output=True, text=True, cwd=ROOT
    )
    assert run.returncode == 0, run.stderr
    return folder


def load_cmd(source: Path, live: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "warehouse", "load", str(source), "--warehouse", str(live), *extra]


def cli_load(source: Path, live: Path, *extra: str, preexec_fn=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        load_cmd(source, live, *extra), capture_output=True, text=True, cwd=ROOT, preexec_fn=preexec_fn
    )


def lock_holders(live: Path) -> set[int]:
    """Pids holding the load lock, from the kernel's own table (a dead process holds nothing)."""
    try:
        inode = live.with_name(live.name + ".lock").stat().st_ino
    except FileNotFoundError:
        return set()
    holders = set()
    for line in Path("/proc/locks").read_text().splitlines():
        f = line.split()  # "1: FLOCK  ADVISORY  WRITE 4242 fe:00:2146820 0 EOF"; waiters carry a "->"
        if len(f) >= 6 and f[1] != "->" and f[1] == "FLOCK" and int(f[5].rsplit(":", 1)[1]) == inode:
            holders.add(int(f[4]))
    return holders


def leftovers(live: Path) -> list[str]:
    return sorted(p.name for p in live.parent.glob(".build-*"))


def archived_of(live: Path, pid: int) -> Path | None:
    return next(iter(archive.folder(live).glob(f"{live.stem}-*-{pid}.duckdb")), None)


def live_load_id(live: Path) -> str:
    with Warehouse(live) as wh:
        generation = wh.snapshot()
        frame = generation.run("annual_tasks", TASK_PARAMS)  # a named query runs on it
        assert not frame.empty
        return generation.load_id


@dataclass
class Seen:
    """One look at the warehouse folder while a load runs."""

    t: float
    locked: bool
    spill: bool
    build: bool
    wal: bool
    wal_done: bool  # the .wal came and went: the new file is written and closed (checking it)
    swapped: bool
    exited: bool

    @property
    def phase(self) -> str:
        if self.exited:
            return "进程已结束"
        if self.swapped:
            return "已换入（os.replace 之后）"
        if self.wal:
            return "写入新库（.wal 存在）"
        if self.build and self.wal_done:
            return "校验新库中（.wal 已并入）"
        if self.build:
            return "建库中（.build 文件已出现）"
        if self.spill:
            return "暂存中（溢写目录存在）"
        if self.locked:
            return "暂存中（已取得锁）"
        return "启动中（未取得锁）"


@dataclass
class Run:
    proc: subprocess.Popen
    last: Seen
    timeline: dict[str, float] = field(default_factory=dict)  # phase → first seen (s after start)
    build_inodes: set[int] = field(default_factory=set)  # the inodes of its `.build-*.duckdb`
    output: str = ""
    killed: bool = False


def watch(cmd: list[str], live: Path, trigger, env: dict, timeout: float = 60) -> Run:
    """Start a load and look at its folder every millisecond; SIGKILL it when `trigger(seen)` holds."""
    inode = live.stat().st_ino
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    run = Run(proc, None)
    while True:
        names = [p.name for p in live.parent.glob(".build-*")]
        for name in names:
            if name.endswith(".duckdb"):
                try:
                    run.build_inodes.add(live.with_name(name).stat().st_ino)
                except FileNotFoundError:
                    pass
        seen = Seen(
            t=time.perf_counter() - started,
            locked=proc.pid in lock_holders(live),
            spill=".build-spill" in names,
            build=any(n.endswith(".duckdb") for n in names),
            wal=any(n.endswith(".wal") for n in names),
            wal_done=run.last is not None and (run.last.wal or run.last.wal_done),
            swapped=live.stat().st_ino != inode,
            exited=proc.poll() is not None,
        )
        run.last = seen
        run.timeline.setdefault(seen.phase, round(seen.t, 3))
        if seen.exited:
            break
        if trigger(seen):
            os.kill(proc.pid, signal.SIGKILL)
            run.killed = True
            break
        assert seen.t < timeout, "load did not finish"
        time.sleep(0.001)
    out, err = proc.communicate()
    run.output = out + err
    return run


def test_sigkill_at_any_moment_leaves_old_or_complete_new_warehouse(tmp_path, good_dir, live, demo_exports):
    env = dict(os.environ, WAREHOUSE_LOAD_MEMORY=KILL_MEMORY)
    # The first load of a run is the slowest (cold caches), and a load's length varies by a fifth: the
    # moments to kill at are drawn below 80 % of the faster swap of two, so they land inside the work.
    profiles = [watch(load_cmd(demo_exports, live), live, lambda s: False, env) for _ in range(2)]
    for profile in profiles:
        assert profile.proc.returncode == 0, profile.output
        print(
            f"\n[SIGKILL] 未中断的一次加载（演示数据，内存上限 {KILL_MEMORY}）用时 {profile.last.t:.2f}s，"
            f"各阶段首次出现于：{profile.timeline}"
        )
    latest_kill = 0.8 * min(profile.timeline["已换入（os.replace 之后）"] for profile in profiles)
    assert cli_load(good_dir, live).returncode == 0  # back to the small warehouse as the live one

    rng = random.Random(20251123)
    plan = [
        ("取得锁即杀", lambda s: s.locked),
        ("溢写目录出现即杀", lambda s: s.spill),
        (".build 文件出现即杀", lambda s: s.build),
        (".wal 出现即杀", lambda s: s.wal),
        ("换入后即杀", lambda s: s.swapped),
    ]
    plan += [
        (f"{t:.2f}s 时杀", lambda s, t=t: s.t >= t)
        for t in sorted(round(rng.uniform(0.05, latest_kill), 2) for _ in range(4))
    ]
    observed = []
    for n, (label, trigger) in enumerate(plan, start=1):
        before_sha, before_id = sha256(live), live_load_id(live)
        run = watch(load_cmd(demo_exports, live), live, trigger, env)
        pid = run.proc.pid
        left = leftovers(live)
        assert not lock_holders(live), "a killed load's lock must die with it"
        # The live file: readable, and exactly the old one or the killed load's complete build.
        now_id = live_load_id(live)
        if sha256(live) == before_sha:
            assert now_id == before_id
            outcome = "旧库（字节未变）"
        else:
            # The very file the killed load built and verified, renamed whole (same inode), and it works.
            assert live.stat().st_ino in run.build_inodes, "live is neither the old file nor the new build"
            assert now_id.endswith(f"-{pid}")
            with Warehouse(live) as wh:
                wh.check_all_queries()
            new = archived_of(live, pid)
            assert new is None or sha256(new) == sha256(live)
            outcome = f"新库（即该次 .build 文件本身，完整；{'已' if new else '未'}归档）"
        # Archived only once live: a kill never leaves a version in the rollback list that was not.
        assert archived_of(live, pid) is None or now_id.endswith(f"-{pid}")
        logged = any(e["load_id"].endswith(f"-{pid}") for e in history.read(live))
        # The next load: succeeds and clears every leftover.
        started = time.perf_counter()
        nxt = cli_load(good_dir, live)
        took = time.perf_counter() - started
        assert nxt.returncode == 0 and "加载成功" in nxt.stdout, nxt.stdout + nxt.stderr
        assert "Traceback" not in nxt.stdout + nxt.stderr
        assert leftovers(live) == [] and not lock_holders(live)
        observed.append((label, run, left, outcome))
        print(
            f"[SIGKILL {n}] {label}: {'已杀' if run.killed else '未来得及杀，已正常结束'} "
            f"t={run.last.t:.3f}s 阶段={run.last.phase} 退出码={run.proc.returncode} "
            f"残留={left or '无'} 仓库={outcome}"
            f" 加载记录{'有' if logged else '无'}此次 "
            f"→ 下次加载成功（{took:.1f}s），残留已清，锁未卡住"
        )
    # The kills did land in the middle of the work, and the cleanup was exercised.
    assert sum(run.killed for _, run, _, _ in observed) >= len(plan) - 2
    assert any(any(name.endswith(".duckdb") for name in left) for _, _, left, _ in observed)
    if "暂存中（溢写目录存在）" in profile.timeline:
        assert any(".build-spill" in left for _, _, left, _ in observed)


# ---------------------------------------------------------------- a full disk


def file_size_limit(limit: int):
    """For preexec_fn: the process may write no file past `limit` bytes (EFBIG, as a full disk would)."""

    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def assert_refused_for_space(run, live: Path, before: str) -> None:
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert "Traceback" not in out
    assert "加载失败" in run.stdout and "数据仓库未改动" in run.stdout
    assert f"磁盘空间不足：无法在文件夹 {live.parent} 中写入文件" in run.stdout, out
    assert sha256(live) == before
    assert leftovers(live) == [] and not lock_holders(live)
    live_load_id(live)


@pytest.mark.parametrize("limit", [1 << 20, 0], ids=["build-outgrows-room", "disk-already-full"])
def test_full_disk_during_build_is_a_clear_message_and_changes_nothing(tmp_path, good_dir, live, limit):
    before = sha256(live)
    run = cli_load(good_dir, live, preexec_fn=file_size_limit(limit))
    print(f"\n[满盘 RLIMIT_FSIZE={limit}] 退出码={run.returncode} 输出：{run.stdout.strip()} {run.stderr.strip()}")
    assert_refused_for_space(run, live, before)
    if limit:  # room for the small files: the failed load is in the history, with its reason
        last = history.read(live)[-1]
        assert last["status"] == "失败" and "磁盘空间不足" in last["issues"][0]["reason"]
        assert list((live.parent / "load_reports").glob("*.csv"))
    else:  # not even the report fits: said so, and no empty report is left
        assert "完整报告未能写入：磁盘空间不足" in run.stderr
        assert all(p.stat().st_size for p in (live.parent / "load_reports").glob("*.csv"))  # no empty report
    assert cli_load(good_dir, live).returncode == 0


def test_rollback_on_a_full_disk_is_a_clear_message_and_changes_nothing(tmp_path, good_dir, live):
    first = live_load_id(live)
    assert cli_load(good_dir, live).returncode == 0  # a second version, so the first can come back
    before = sha256(live)
    run = cli_rollback(first, live, preexec_fn=file_size_limit(1 << 16))
    print(f"\n[满盘回滚] 退出码={run.returncode} 输出：{run.stderr.strip()}")
    assert run.returncode == 1 and "Traceback" not in run.stdout + run.stderr
    assert f"回滚失败，数据仓库未改动：磁盘空间不足：无法在文件夹 {live.parent} 中写入文件" in run.stderr
    assert sha256(live) == before and leftovers(live) == [] and not lock_holders(live)


def test_full_disk_on_a_real_small_filesystem(tmp_path, good_dir, live):
    """The real ENOSPC: the warehouse folder on a 6 MB tmpfs (root only; skipped where mount is refused)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mount = tmp_path / "small"
    mount.mkdir()
    if (
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount)], capture_output=True).returncode
        != 0
    ):
        pytest.skip("mount not permitted here")
    try:
        small = mount / "warehouse.duckdb"
        shutil.copyfile(live, small)  # 4.2 MB: a second one does not fit beside it
        before = sha256(small)
        run = cli_load(good_dir, small)
        print(f"\n[满盘 tmpfs 6MB] 退出码={run.returncode} 输出：{run.stdout.strip()} {run.stderr.strip()}")
        assert_refused_for_space(run, small, before)
        with (mount / "filler").open("wb") as f:  # now the disk is full to the last block
            try:
                while True:
                    f.write(b"\0" * 65536)
                    f.flush()
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
        run = cli_load(good_dir, small)
        print(f"[满盘 tmpfs 已写满] 退出码={run.returncode} 输出：{run.stdout.strip()} {run.stderr.strip()}")
        assert_refused_for_space(run, small, before)
        (mount / "filler").unlink()
        subprocess.run(["mount", "-o", "remount,size=16m", str(mount)], check=True)  # room made
        run = cli_load(good_dir, small)
        assert run.returncode == 0, run.stdout
        assert leftovers(small) == []
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_no_room_for_the_archive_copy_is_a_warning_and_leaves_no_half_copy(tmp_path, good_dir, live, monkeypatch):
    """A filesystem without hard links, full: the archive copy (after the swap) fails half-way."""
    archived = archive.published(live)

    def no_link(*_):
        raise OSError(errno.EPERM, "Operation not permitted")

    def half_copy(src, dst):
        Path(dst).write_bytes(Path(src).read_bytes()[:1000])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(archive.os, "link", no_link)
    monkeypatch.setattr(archive.shutil, "copyfile", half_copy)
    result = load(good_dir, live)
    print(f"\n[归档时满盘] ok={result.ok} 警告={[i.reason for i in result.warnings]}")
    assert result.ok and "未能留存以备回滚：磁盘空间不足" in result.warnings[-1].reason
    assert live_load_id(live) == result.load_id
    assert archive.published(live) == archived and leftovers(live) == []  # no half archive
    monkeypatch.undo()
    assert load(good_dir, live).ok


# ---------------------------------------------------------------- two loads at once


def test_two_load_processes_at_once_the_second_is_refused(tmp_path, good_dir, live, demo_exports):
    first = subprocess.Popen(
        load_cmd(demo_exports, live), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT
    )
    deadline = time.monotonic() + 30
    while first.pid not in lock_holders(live):
        assert first.poll() is None and time.monotonic() < deadline, "the first load never took the lock"
        time.sleep(0.002)
    seconds = time.perf_counter()
    second = subprocess.Popen(
        load_cmd(good_dir, live), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT
    )
    check = subprocess.Popen(
        load_cmd(good_dir, live, "--dry-run", "--report-json", str(tmp_path / "r.json")),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    out2, err2 = second.communicate()
    out3, err3 = check.communicate()
    refused_after = time.perf_counter() - seconds
    still_running = first.poll() is None
    out1, err1 = first.communicate()
    print(
        f"\n[同时两次加载] 第二次 {refused_after:.2f}s 内被拒（第一次仍在运行：{still_running}），"
        f"退出码={second.returncode}/{check.returncode}，信息：{err2.strip()}；第一次退出码={first.returncode}"
    )
    assert still_running, "the first load finished before the second tried: the test proved nothing"
    for code, out, err in ((second.returncode, out2, err2), (check.returncode, out3, err3)):
        assert code == 1 and "加载被拒绝：另一次数据加载正在进行中" in err and str(live.parent) in err
        assert "Traceback" not in out + err
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["refused"].startswith("另一次数据加载")
    assert first.returncode == 0 and "加载成功" in out1, out1 + err1
    assert live_load_id(live).endswith(f"-{first.pid}")
    assert leftovers(live) == []
