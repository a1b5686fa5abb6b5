"""Where a load's time goes: seconds per phase (`python -m warehouse load --verbose`, the bench).

Reading a file and staging the one before it overlap on two cores, and pieces are staged two
at a time, so the phases of that stretch are summed over threads and their sum can exceed the
wall time; the stretch's own wall time is kept as a phase of its own.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

READ = "读取与识别"  # opening files, checking their bytes and encoding, finding the header
DECODE = "转码"  # GBK/GB18030 text rewritten as UTF-8 for DuckDB's reader
STAGE = "暂存与类型转换"  # cells trimmed, typed and appended, blank and totals rows dropped
READ_AND_STAGE_WALL = "读取与暂存（墙钟）"
VALIDATE = "校验"
WRITE = "写入新仓库"
FINAL_CHECK = "最终检查"  # the new file opened as the app opens it, every named query run
SWAP = "发布"  # the swap, its fsync and the copy kept for rollback
ORDER = (READ, DECODE, STAGE, READ_AND_STAGE_WALL, VALIDATE, WRITE, FINAL_CHECK, SWAP)


class Phases:
    """Seconds per phase, added to from any thread."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._lock = threading.Lock()

    @contextmanager
    def timed(self, phase: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add(phase, time.perf_counter() - started)

    def add(self, phase: str, seconds: float) -> None:
        with self._lock:
            self.seconds[phase] = self.seconds.get(phase, 0.0) + seconds

    def in_order(self) -> dict[str, float]:
        known = {p: round(self.seconds[p], 3) for p in ORDER if p in self.seconds}
        return known | {p: round(s, 3) for p, s in self.seconds.items() if p not in known}
