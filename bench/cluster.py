"""nginx (the repo's deploy/nginx/zhengshou.conf) in front of app replicas, all on loopback: for
tests/test_replicas.py and the replica benchmark (bench.replicas).

The config is the repo's file with three changes: the upstream's server lines name the
replicas' ports, `listen` names nginx's own port, and every response carries X-Upstream (the
replica that answered) so a test can tell which one served it. nginx runs in the foreground with
its prefix, pid, logs and temp files in a temp folder: no root paths.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

from bench.server import ROOT, free_port, streamlit_command

SITE = ROOT / "deploy" / "nginx" / "zhengshou.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
ACCESS_FORMAT = "$request_method $uri $status upstream=$upstream_addr route=$cookie_zs_route"


def wait_healthy(url: str, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=2).read() == b"ok":
                return True
        except OSError:
            time.sleep(0.3)
    return False


def site_config(replica_ports: list[int], port: int) -> str:
    """The repo's site config, pointed at these ports, with the X-Upstream header."""
    text = SITE.read_text(encoding="utf-8")
    upstream = "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in replica_ports)
    text, n = re.subn(
        r"(?m)^    server 127\.0\.0\.1:\d+ [^\n]*;\n(?:    server 127\.0\.0\.1:\d+ [^\n]*;\n)*", upstream + "\n", text
    )
    assert n == 1, "the upstream's server lines were not found in deploy/nginx/zhengshou.conf"
    text, n = re.subn(r"(?m)^    listen 80;$", f"    listen 127.0.0.1:{port};", text)
    assert n == 1, "`listen 80;` was not found in deploy/nginx/zhengshou.conf"
    text, n = re.subn(r"(?m)^(    server_name _;)$", r"\1\n    add_header X-Upstream $upstream_addr always;", text)
    assert n == 1
    return text


def nginx_config(folder: Path, replica_ports: list[int], port: int) -> Path:
    user = "user root;\n" if os.geteuid() == 0 else ""  # root's workers would run as nobody
    temps = "\n".join(
        f"    {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = folder / "nginx.conf"
    conf.write_text(
        f"{user}worker_processes 1;\nevents {{ worker_connections 1024; }}\nhttp {{\n"
        f"    log_format replicas '{ACCESS_FORMAT}';\n"
        f"    access_log {folder / 'access.log'} replicas;\n{temps}\n" + site_config(replica_ports, port) + "\n}\n",
        encoding="utf-8",
    )
    return conf


class Cluster:
    """PostgreSQL (given), N replicas of `streamlit run app.py`, and nginx in front."""

    def __init__(self, folder: Path, env: dict, replicas: int = 2):
        self.folder = folder
        self.env = {**os.environ, **env}
        self.ports = [free_port() for _ in range(replicas)]
        self.processes: list[subprocess.Popen | None] = [None] * replicas
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.nginx = None

    def replica_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.ports[index]}"

    def start_replica(self, index: int) -> None:
        log = open(self.folder / f"replica{index}.log", "a")
        self.processes[index] = subprocess.Popen(
            streamlit_command("app.py", self.ports[index]),
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()

    def stop_replica(self, index: int) -> None:
        process = self.processes[index]
        if process is not None and process.poll() is None:
            process.kill()  # as a crashed replica: no goodbye to the browser
            process.wait(timeout=20)
        self.processes[index] = None

    def ensure_up(self) -> None:
        for index, process in enumerate(self.processes):
            if process is None or process.poll() is not None:
                self.start_replica(index)
        for index in range(len(self.ports)):
            if not wait_healthy(self.replica_url(index)):
                raise RuntimeError(f"replica {index} did not start: see {self.folder}/replica{index}.log")

    def start(self) -> None:
        self.ensure_up()
        conf = nginx_config(self.folder, self.ports, self.port)
        directives = f"daemon off; pid {self.folder / 'nginx.pid'}; error_log {self.folder / 'error.log'};"
        checked = subprocess.run(
            [NGINX, "-t", "-p", str(self.folder), "-c", str(conf), "-g", directives], capture_output=True, text=True
        )
        if checked.returncode:
            raise RuntimeError(f"nginx -t failed: {checked.stderr}")
        self.nginx = subprocess.Popen([NGINX, "-p", str(self.folder), "-c", str(conf), "-g", directives])
        if not wait_healthy(self.url, 20):
            raise RuntimeError(f"nginx did not answer: see {self.folder}/error.log")

    def upstream_of(self, route: str) -> str:
        """The replica (host:port) nginx sends a browser with this route cookie to."""
        request = urllib.request.Request(self.url + "/_stcore/health", headers={"Cookie": f"zs_route={route}"})
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.headers["X-Upstream"]

    def route_to(self, index: int) -> str:
        """A route cookie value that nginx hashes to replica `index`."""
        wanted = f"127.0.0.1:{self.ports[index]}"
        every = {f"127.0.0.1:{p}" for p in self.ports}
        # A replica just restarted may still be marked down by nginx (fail_timeout=10s). While one
        # is, the hash sends its routes to the others, and a route found then moves back once it
        # is up again: only a sweep that reaches every replica tells where a route will stay.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            routes = {f"probe-{n}": self.upstream_of(f"probe-{n}") for n in range(50)}
            if set(routes.values()) == every:
                return next(route for route, upstream in routes.items() if upstream == wanted)
            time.sleep(1)
        raise AssertionError(f"nginx did not route to every replica within 30 s: {sorted(every)}")

    def access_log(self) -> list[str]:
        return (self.folder / "access.log").read_text(encoding="utf-8").splitlines()

    def stop(self) -> None:
        if self.nginx is not None:
            self.nginx.terminate()
            self.nginx.wait(timeout=20)
        for index in range(len(self.processes)):
            if self.processes[index] is not None:
                self.processes[index].terminate()
                self.processes[index].wait(timeout=20)
                self.processes[index] = None
