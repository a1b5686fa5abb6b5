"""`streamlit run` on loopback for the benchmark, and what its process spends (CPU, memory).

The app (bench.sessions.Server) and the bare floor app (bench.browser_floor.FloorServer) start
the same way: from the repository's folder, so both read its .streamlit/config.toml (the same
server options), on a free port, ready when /_stcore/health answers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def streamlit_command(script: str, port: int) -> list[str]:
    """`streamlit run` of a script on loopback, headless, through ui.serve as the service starts it:
    how the bench and the tests start the app (and the bench its floors, run the same way)."""
    return [
        sys.executable,
        "-m",
        "ui.serve",
        script,
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]


class StreamlitServer:
    login = True  # whether a session logs in through the app's form before it opens pages

    def __init__(self, script: str, log_path: Path, env: dict[str, str] | None = None, timeout_s: float = 60):
        port = free_port()
        self.log = open(log_path, "w")
        self.process = subprocess.Popen(
            streamlit_command(script, port),
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(self.url + "/_stcore/health", timeout=2).read() == b"ok":
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"{script}: server did not start within {timeout_s:.0f} s (log: {log_path})")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


class CpuMeter:
    """CPU seconds spent during the tour by the app server, the browser (Chromium and Playwright's
    driver), this harness, and everything else on the machine (other people's work)."""

    def __init__(self, server_pid: int):
        self.server_pid = server_pid
        self.before = self._sample()

    def _sample(self) -> dict:
        import psutil

        me = psutil.Process()
        server = psutil.Process(self.server_pid)
        server_tree = [server, *server.children(recursive=True)]
        server_pids = {p.pid for p in server_tree}
        per_process = {}
        for proc in server_tree + [me] + [c for c in me.children(recursive=True) if c.pid not in server_pids]:
            try:
                t = proc.cpu_times()
            except psutil.Error:
                continue
            kind = "server" if proc.pid in server_pids else "harness" if proc.pid == me.pid else "browser"
            per_process[proc.pid] = (kind, t.user + t.system)
        machine = psutil.cpu_times()
        return {
            "processes": per_process,
            "busy": sum(machine)
            - machine.idle
            - getattr(machine, "iowait", 0)
            - getattr(machine, "steal", 0)
            - getattr(machine, "guest", 0)
            - getattr(machine, "guest_nice", 0),
        }

    def result(self) -> dict:
        after = self._sample()
        spent = {"server": 0.0, "browser": 0.0, "harness": 0.0}
        for pid, (kind, seconds) in after["processes"].items():
            spent[kind] += seconds - self.before["processes"].get(pid, (kind, 0.0))[1]
        spent["other"] = max(0.0, after["busy"] - self.before["busy"] - sum(spent.values()))
        return {k: round(v, 3) for k, v in spent.items()}


def meter(server_pid: int) -> CpuMeter | None:
    try:
        return CpuMeter(server_pid)
    except ImportError:  # psutil is in requirements-dev.txt; without it there is no CPU split
        return None


def server_rss_mb(pid: int) -> float | None:
    try:
        import psutil

        return psutil.Process(pid).memory_info().rss / 2**20
    except (ImportError, OSError):
        return None
