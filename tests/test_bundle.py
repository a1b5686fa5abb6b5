"""The offline bundle (README「离线安装」), built by `make bundle` once for this module, unpacked, and
installed inside a network namespace with no interface but loopback (`unshare -n`, needs root):
install.sh sets up .venv from the wheelhouse alone and `make run`'s demo answers /_stcore/health.

Slow: about two minutes with the wheel cache (~/.cache/zhengshou-wheels) warm; the first build
downloads some 300 MB. Skipped only when the index cannot be reached and nothing is cached."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
NAME = f"{PROJECT['name']}-{PROJECT['version']}"
CACHE = Path(os.environ.get("ZHENGSHOU_WHEEL_CACHE", Path.home() / ".cache" / "zhengshou-wheels"))


def _index_reachable() -> bool:
    try:
        socket.create_connection(("pypi.org", 443), timeout=5).close()
        return True
    except OSError:
        return False


def _offline(script: str, cwd: Path, timeout: int = 240) -> subprocess.CompletedProcess:
    """Run a bash script in new network and process namespaces: when the script ends (or is killed),
    the kernel ends every process it started, the dashboard server included."""
    return subprocess.run(
        ["unshare", "--net", "--pid", "--fork", "--kill-child", "bash", "-c", "set -euo pipefail\n" + script],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory) -> Path:
    if subprocess.run(["unshare", "--net", "true"], capture_output=True).returncode != 0:
        pytest.skip("无法创建网络命名空间（unshare -n 需要 root）")
    built = subprocess.run(
        ["make", "bundle", f"PYTHON={sys.executable}"], cwd=ROOT, capture_output=True, text=True, timeout=900
    )
    if built.returncode != 0:
        if not _index_reachable() and not any(CACHE.glob("*/*.whl")):
            pytest.skip(f"软件包索引不可达，且没有缓存的 wheel（{CACHE}）：无法生成安装包")
        pytest.fail(f"make bundle 失败：\n{built.stdout}\n{built.stderr}")
    archive = ROOT / "dist" / f"{NAME}.tar.gz"
    target = tmp_path_factory.mktemp("offline")
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="tar")
    return target / NAME


def _lock(bundle: Path) -> dict[str, str]:
    """requirements.lock as {name: version} for this machine's architecture."""
    pins = {}
    for line in (bundle / "requirements.lock").read_text().splitlines():
        match = re.match(r"([a-z0-9._-]+)==(\S+)(?: ; (.*?))? --hash", line)
        if match and (match[3] is None or f'"{os.uname().machine}"' in match[3]):
            pins[match[1]] = match[2]
    return pins


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_lock_pins_requirements_txt_and_both_architectures_have_every_wheel(unpacked):
    lock_lines = [line for line in (unpacked / "requirements.lock").read_text().splitlines() if "==" in line]
    lock = {_norm(line.split("==")[0]): line.split("==")[1].split()[0] for line in lock_lines}
    direct = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            direct[_norm(name.split("[")[0])] = version.strip()
    assert {name: lock.get(name) for name in direct} == direct
    wheels = [p.name.split("-") for p in (unpacked / "wheelhouse").iterdir()]
    for line in lock_lines:
        name, version = _norm(line.split("==")[0]), line.split("==")[1].split()[0]
        mine = ["-".join(w[2:]) for w in wheels if (_norm(w[0]), w[1]) == (name, version)]
        for arch in ("x86_64", "aarch64"):
            assert [w for w in mine if arch in w or "none-any" in w], f"{name} {version} 缺少 {arch} 的 wheel"
    for path in ("install.sh", "debian-packages.txt", "Makefile", "app.py", "deploy/systemd/zhengshou-app.service"):
        assert (unpacked / path).is_file(), path


def test_install_sh_and_make_run_work_without_network(unpacked):
    port = 8765
    done = _offline(
        f"""
        ip link set lo up
        # The namespace has no way out: neither a name nor an address is reachable
        for host in pypi.org 1.1.1.1; do
            if python3.11 -c "import socket,sys; socket.create_connection((sys.argv[1], 443), timeout=5)" "$host" 2>/dev/null; then
                echo "网络可达：$host"; exit 90
            fi
        done
        ./install.sh
        .venv/bin/python -m pip list --isolated --format=freeze > installed.txt
        .venv/bin/python -c "import access, display, ui, warehouse, warehouse.load, warehouse.demo"
        STREAMLIT_SERVER_ADDRESS=127.0.0.1 STREAMLIT_SERVER_PORT={port} make run > run.log 2>&1 &
        for i in $(seq 180); do
            if .venv/bin/python -c "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:{port}/_stcore/health', timeout=2).read().decode())" 2>/dev/null; then
                exit 0
            fi
            sleep 1
        done
        echo "看板未应答"; cat run.log; exit 1
        """,
        cwd=unpacked,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1] == "ok"
    assert "安装完成" in done.stdout
    installed = dict(line.split("==") for line in (unpacked / "installed.txt").read_text().split())
    installed = {_norm(k): v for k, v in installed.items() if k not in ("pip", "setuptools")}
    assert installed == {_norm(k): v for k, v in _lock(unpacked).items()}
    assert (unpacked / "data" / "warehouse.duckdb").is_file()


def test_install_sh_names_the_missing_system_packages(unpacked, tmp_path):
    # A dpkg that knows no package: everything dpkg-checked is reported missing, and install.sh
    # still succeeds because the dashboard runs without them.
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "dpkg-query").write_text("#!/bin/sh\nexit 1\n")
    (fake / "dpkg-query").chmod(0o755)
    done = _offline(f"PATH={fake}:$PATH ./install.sh", cwd=unpacked)
    assert done.returncode == 0, done.stdout + done.stderr
    report = [line for line in done.stdout.splitlines() if "缺少" in line or "apt-get" in line]
    assert report == [
        "缺少系统软件包 chromium（简报包）：简报包图表 PNG（kaleido 驱动本机 Chromium）",
        "缺少系统软件包 fonts-noto-cjk（简报包）：图表中的中文字体",
        "缺少系统软件包 postgresql-client（可选）：账户库使用 PostgreSQL 时（psql、pg_dump）",
        "生成简报包图表前请安装（看板本身可以运行）：apt-get install -y chromium fonts-noto-cjk",
        "可选，按需安装：apt-get install -y postgresql-client",
    ]
