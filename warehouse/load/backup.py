"""`python -m warehouse backup DIR` and `restore DIR`: everything a fresh machine needs.

A backup folder holds `warehouse/` (the live file, `published/`, `snapshots/`, the load history
and `load_reports/`, laid out as beside the live file), the app database (`app.db` or
`app.dump`, see appdb.py) and `manifest.json` (each file's size and sha256), written last, so a
folder without it is an interrupted backup.

Consistency while the app runs: warehouse files are never written in place (a load or rollback
swaps a new file in by rename, a snapshot is a hard link), so a file opened once reads the same
bytes to the end. All of them are opened, and the load history's length taken, under the
loader's lock, so they are of one moment between two loads; the lock is held only for that.
Files that are hard links of one another are stored once and linked again on restore.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from warehouse import snapshots
from warehouse.clock import beijing_now
from warehouse.load import appdb, archive, history
from warehouse.load.loader import LoadLock
from warehouse.runner import Warehouse

MANIFEST = "manifest.json"
FILES = "warehouse"
REPORTS = "load_reports"
FORMAT = 1
_CHUNK = 1 << 20


class BackupRefused(Exception):
    """Chinese message: why nothing was (or will be) written."""


@dataclass
class Done:
    folder: Path
    manifest: dict
    seconds: float
    bytes: int


@contextmanager
def _loader_lock(warehouse: Path):
    """The loader's own lock, waited for (a running load finishes first)."""
    path = LoadLock(warehouse).path
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _sources(warehouse: Path) -> list[tuple[str, Path]]:
    """(path in the backup, path now) of every warehouse-side file; snapshots only when their
    figures are written (a snapshot being frozen is left for the next backup)."""
    folder = warehouse.parent
    found = [(warehouse.name, warehouse)] if warehouse.exists() else []
    found += [(f"published/{p.name}", p) for p in reversed(archive.published(warehouse))]
    for snapshot_id in snapshots.version(warehouse):
        for suffix in (".duckdb", ".json"):
            path = snapshots.folder(warehouse) / f"{snapshot_id}{suffix}"
            found.append((f"snapshots/{path.name}", path))
    reports = folder / REPORTS
    if reports.is_dir():
        found += [(f"{REPORTS}/{p.name}", p) for p in sorted(reports.iterdir()) if p.is_file()]
    return found


def _copy(source: BinaryIO, target: Path, limit: int | None = None) -> tuple[int, str]:
    """Copy (at most `limit` bytes), returning the size and sha256 of what was written."""
    digest, size = hashlib.sha256(), 0
    with open(target, "xb") as out:
        while limit is None or size < limit:
            chunk = source.read(_CHUNK if limit is None else min(_CHUNK, limit - size))
            if not chunk:
                break
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
        out.flush()
        os.fsync(out.fileno())
    return size, digest.hexdigest()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _code_version() -> str | None:
    try:
        done = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def _generation(path: Path) -> tuple[str | None, str | None]:
    if not path.exists():
        return None, None
    with Warehouse(path) as wh:
        g = wh.snapshot()
        return g.as_of.isoformat(), g.load_id


def backup(folder: Path, warehouse: Path, db_url: str) -> Done:
    """Copy the warehouse side and the app database into `folder` (new or empty)."""
    started = time.perf_counter()
    if folder.exists() and any(folder.iterdir()):
        raise BackupRefused(f"备份目录 {folder} 不是空的：请指定一个新的或空的目录")
    if not warehouse.exists() and not archive.published(warehouse):
        raise BackupRefused(f"数据仓库文件不存在：{warehouse}")
    try:
        return _backup(folder, warehouse, db_url, started)
    except BaseException:  # no half backup is left to be mistaken for one (the folder was empty)
        for item in folder.iterdir() if folder.is_dir() else ():
            shutil.rmtree(item) if item.is_dir() else item.unlink()
        raise


def _backup(folder: Path, warehouse: Path, db_url: str, started: float) -> Done:
    files_dir = folder / FILES
    files_dir.mkdir(parents=True, exist_ok=True)
    entries: list[dict] = []
    with ExitStack() as stack:
        with _loader_lock(warehouse):
            opened = [(name, stack.enter_context(open(path, "rb"))) for name, path in _sources(warehouse)]
            log = history.history_path(warehouse)
            log_file = stack.enter_context(open(log, "rb")) if log.exists() else None
            log_size = os.fstat(log_file.fileno()).st_size if log_file else 0
        first_of: dict[tuple[int, int], str] = {}
        for name, source in opened:
            target = files_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            stat = os.fstat(source.fileno())
            same = first_of.get((stat.st_dev, stat.st_ino))
            if same is not None:
                os.link(files_dir / same, target)
                entries.append({"path": f"{FILES}/{name}", "link_of": f"{FILES}/{same}"})
                continue
            first_of[(stat.st_dev, stat.st_ino)] = name
            size, digest = _copy(source, target)
            entries.append({"path": f"{FILES}/{name}", "bytes": size, "sha256": digest})
        if log_file is not None:
            size, digest = _copy(log_file, files_dir / log.name, log_size)  # only what the lock saw
            entries.append({"path": f"{FILES}/{log.name}", "bytes": size, "sha256": digest})
    db_file = folder / appdb.file_name(db_url)
    appdb.dump(db_url, db_file)
    entries.append({"path": db_file.name, "bytes": db_file.stat().st_size, "sha256": sha256_of(db_file)})
    as_of, load_id = _generation(files_dir / warehouse.name)
    manifest = {
        "format": FORMAT,
        "created_at": beijing_now().isoformat(timespec="seconds"),
        "code_version": _code_version(),
        "warehouse": warehouse.name,
        "history": log.name,
        "as_of": as_of,
        "load_id": load_id,
        "app_db": {"kind": appdb.kind(db_url), "file": db_file.name},
        "files": entries,
    }
    seconds = time.perf_counter() - started
    manifest["seconds"] = round(seconds, 2)
    partial = folder / (MANIFEST + ".part")
    partial.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(partial, folder / MANIFEST)
    return Done(folder, manifest, seconds, sum(e.get("bytes", 0) for e in entries))


def verify(folder: Path) -> dict:
    """The manifest, once every file it lists is there with its size and sha256."""
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupRefused(f"{folder} 不是完整的备份：缺少 {MANIFEST}（备份可能被中断）")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BackupRefused(f"{path} 无法读取：{exc}") from None
    if manifest.get("format") != FORMAT:
        raise BackupRefused(f"{path}：不认识的备份格式 {manifest.get('format')}")
    for entry in manifest["files"]:
        file = folder / entry["path"]
        if not file.is_file():
            raise BackupRefused(f"备份不完整：缺少文件 {entry['path']}")
        if "link_of" in entry:
            continue
        if file.stat().st_size != entry["bytes"] or sha256_of(file) != entry["sha256"]:
            raise BackupRefused(f"备份文件已损坏或被改动：{entry['path']}（大小或校验值与 {MANIFEST} 不符）")
    for entry in manifest["files"]:  # a link stands for its first file: both must read the same
        if "link_of" in entry and sha256_of(folder / entry["path"]) != _digest(manifest, entry["link_of"]):
            raise BackupRefused(f"备份文件已损坏或被改动：{entry['path']}（与 {entry['link_of']} 不符）")
    return manifest


def _digest(manifest: dict, path: str) -> str:
    return next(e["sha256"] for e in manifest["files"] if e["path"] == path)


def _occupied(target: Path, manifest: dict) -> list[str]:
    """What a restore would overwrite in the target folder."""
    taken = []
    for name in (manifest["warehouse"], manifest["history"]):
        if (target / name).exists():
            taken.append(str(target / name))
    for sub in ("published", "snapshots"):
        if (target / sub).is_dir() and any((target / sub).iterdir()):
            taken.append(str(target / sub))
    return taken


def restore(folder: Path, target: Path, db_url: str, *, force: bool = False) -> dict:
    """Check the backup, refuse to overwrite a live warehouse or a used app database unless
    `force`, then put the files back (the live file last, by rename) and the app database."""
    manifest = verify(folder)
    taken = _occupied(target, manifest)
    if taken and not force:
        raise BackupRefused(f"目标已有数据仓库，未作任何改动：{'、'.join(taken)}。确认要覆盖时请加 --force")
    if manifest["app_db"]["kind"] != appdb.kind(db_url):
        raise BackupRefused(
            f"备份中的应用数据库是 {manifest['app_db']['kind']}，目标是 {appdb.kind(db_url)}：请用同类数据库恢复"
        )
    used = appdb.tables(db_url)
    if used and not force:
        raise BackupRefused(
            f"目标应用数据库已有数据表（{'、'.join(used[:5])}），未作任何改动。确认要覆盖时请加 --force"
        )
    target.mkdir(parents=True, exist_ok=True)
    _put_files(folder, target, manifest)
    appdb.restore(folder / manifest["app_db"]["file"], db_url, force=force)
    return manifest


def _put_files(folder: Path, target: Path, manifest: dict) -> None:
    """Write each file beside its final name, then rename, the live file last: a reader never
    opens a half-restored file. A file that was a hard link is linked again (a snapshot shares its
    bytes with the live file)."""
    partials: dict[str, Path] = {}
    for entry in manifest["files"]:
        if not entry["path"].startswith(FILES + "/"):
            continue
        final = target / entry["path"][len(FILES) + 1 :]
        final.parent.mkdir(parents=True, exist_ok=True)
        partial = final.with_name(f".restoring-{final.name}")
        partial.unlink(missing_ok=True)
        try:
            os.link(partials[entry["link_of"]], partial)
        except (KeyError, OSError):  # no link to make, or no hard links on this filesystem
            shutil.copyfile(folder / entry["path"], partial)
        partials[entry["path"]] = partial
    live = f"{FILES}/{manifest['warehouse']}"
    for path in sorted(partials, key=lambda p: p == live):
        os.replace(partials[path], target / path[len(FILES) + 1 :])
