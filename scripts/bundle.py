"""`make bundle`: the offline install bundle, dist/<name>-<version>.tar.gz (README「离线安装」).

It holds the tracked code, a wheelhouse of every package requirements.txt needs (its pins and
everything they pull in) for Linux x86_64 and aarch64 with CPython 3.11, requirements.lock (each
package pinned with the hashes of its wheels, so the offline install takes nothing else), the
Debian package list and install.sh from deploy/offline/, and MANIFEST.txt.

requirements.txt is read at build time: the lock follows whatever it pins when the bundle is made.
Wheels are cached in ~/.cache/zhengshou-wheels/<arch> (or $ZHENGSHOU_WHEEL_CACHE), so a repeated
build only asks the index what to resolve; without network the build resolves from that cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Another list (same format) may be given for a trial build: ZHENGSHOU_REQUIREMENTS.
REQUIREMENTS = Path(os.environ.get("ZHENGSHOU_REQUIREMENTS", ROOT / "requirements.txt"))
ARCHES = ("x86_64", "aarch64")
# Wheels for glibc 2.17 (manylinux2014) up to 2.36 (Debian 12): every target an intranet server runs.
GLIBC_MINORS = range(17, 37)


def platform_options(arch: str) -> list[str]:
    tags = [f"manylinux2014_{arch}"] + [f"manylinux_2_{m}_{arch}" for m in GLIBC_MINORS]
    options = ["--only-binary=:all:", "--python-version", "3.11", "--implementation", "cp"]
    options += ["--abi", "cp311", "--abi", "abi3", "--abi", "none"]
    for tag in tags:
        options += ["--platform", tag]
    return options


def pip(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", *args]
    return subprocess.run(command, capture_output=True, text=True)


# What pip prints when it cannot reach the index (as opposed to the index having no such wheel)
OFFLINE = r"NewConnectionError|Failed to establish|name resolution|Network is unreachable|timed out|ProxyError|SSLError"


def fetch(arch: str, cache: Path) -> None:
    """Download what the index resolves for `arch` into the cache; tolerate having no network.

    A package with no wheel for `arch` (only a source archive) is built into a wheel here once, if
    it is pure Python (the same wheel serves every architecture); otherwise the build stops naming it.
    """
    for _ in range(20):
        done = pip(
            "download", "-q", "--retries", "0", "--timeout", "15", "-r", str(REQUIREMENTS),
            "-d", str(cache), "--find-links", str(cache), *platform_options(arch),
        )  # fmt: skip
        if done.returncode == 0:
            return
        missing = re.search(r"No matching distribution found for (\S+)", done.stderr)
        if missing is None or re.search(OFFLINE, done.stderr):
            tail = "\n".join(line for line in done.stderr.splitlines() if "is ignored" not in line)[-1500:]
            print(f"[{arch}] 从软件包索引下载失败，改用缓存 {cache}：\n{tail}", file=sys.stderr)
            return
        build_pure_wheel(arch, missing[1], cache)
    sys.exit(f"[{arch}] 缺少 wheel 的软件包过多，停止")


def build_pure_wheel(arch: str, spec: str, cache: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        done = pip("wheel", "-q", "--no-deps", "--no-binary", ":all:", "-w", tmp, spec)
        wheels = list(Path(tmp).glob("*.whl"))
        if done.returncode != 0 or not wheels or not wheels[0].name.endswith("-none-any.whl"):
            sys.exit(
                f"[{arch}] {spec} 没有 {arch} 的 wheel，也不是可由源码包构建的纯 Python 包：\n{done.stderr[-1500:]}"
            )
        shutil.move(wheels[0], cache / wheels[0].name)
        print(f"[{arch}] {spec} 没有现成的 wheel：已由源码包构建纯 Python 的 {wheels[0].name}", file=sys.stderr)


def resolve(arch: str, cache: Path) -> list[dict]:
    """The full set of packages for `arch`, resolved from the cache alone (no index, no pip config)."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        done = pip(
            "install", "--isolated", "-q", "--dry-run", "--ignore-installed", "--no-index",
            "--find-links", str(cache), "--target", str(Path(tmp) / "target"), "--report", str(report),
            *platform_options(arch), "-r", str(REQUIREMENTS),
        )  # fmt: skip
        if done.returncode != 0:
            sys.exit(
                f"[{arch}] 无法得到全部软件包的 wheel（缺少的包见下；纯 Python 包可先用 pip wheel 做成 wheel 放进缓存）：\n{done.stderr}"
            )
        return json.loads(report.read_text())["install"]


def lock_lines(resolved: dict[str, list[dict]]) -> tuple[list[str], dict[str, Path]]:
    """requirements.lock lines (one per package, every wheel's hash, a marker when only one arch has
    it) and the wheel files they name."""
    packages: dict[tuple[str, str], dict] = {}
    for arch, items in resolved.items():
        for item in items:
            name, version = item["metadata"]["name"].lower(), item["metadata"]["version"]
            path = Path(item["download_info"]["url"].removeprefix("file://"))
            entry = packages.setdefault((name, version), {"arches": set(), "files": {}})
            entry["arches"].add(arch)
            entry["files"][path.name] = path
    lines, files = [], {}
    for (name, version), entry in sorted(packages.items()):
        marker = ""
        if entry["arches"] != set(ARCHES):
            marker = " ; " + " or ".join(f'platform_machine == "{a}"' for a in sorted(entry["arches"]))
        hashes = sorted(hashlib.sha256(p.read_bytes()).hexdigest() for p in entry["files"].values())
        lines.append(f"{name}=={version}{marker} " + " ".join(f"--hash=sha256:{h}" for h in hashes))
        files.update(entry["files"])
    return lines, files


def tracked_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [f for f in listed.split("\0") if f and (ROOT / f).is_file()]


def manifest(name: str, resolved: dict[str, list[dict]], files: dict[str, Path], lock: list[str]) -> str:
    size = lambda ps: sum(p.stat().st_size for p in ps) / 2**20
    out = [f"{name} 离线安装包", f"requirements.lock：{len(lock)} 个软件包"]
    for arch, items in resolved.items():
        paths = [files[Path(i["download_info"]["url"]).name] for i in items]
        out.append(f"{arch}：{len(paths)} 个 wheel，{size(paths):.1f} MB")
    out.append(f"wheelhouse/ 共 {len(files)} 个文件，{size(files.values()):.1f} MB；最大的：")
    for path in sorted(files.values(), key=lambda p: -p.stat().st_size)[:10]:
        out.append(f"  {path.stat().st_size / 2**20:7.1f} MB  {path.name}")
    return "\n".join(out) + "\n"


def main() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    name = f"{project['name']}-{project['version']}"
    cache_root = Path(os.environ.get("ZHENGSHOU_WHEEL_CACHE", Path.home() / ".cache" / "zhengshou-wheels"))
    resolved = {}
    for arch in ARCHES:
        cache = cache_root / arch
        cache.mkdir(parents=True, exist_ok=True)
        fetch(arch, cache)
        resolved[arch] = resolve(arch, cache)
    lock, files = lock_lines(resolved)
    lock_text = (
        "# make bundle 生成：requirements.txt 的全部依赖（x86_64 与 aarch64，CPython 3.11），每个 wheel 带哈希\n"
    )
    lock_text += "\n".join(lock) + "\n"
    about = manifest(name, resolved, files, lock)

    out = ROOT / "dist" / f"{name}.tar.gz"
    out.parent.mkdir(exist_ok=True)
    partial = out.with_suffix(".partial")

    def add_text(tar: tarfile.TarFile, arcname: str, text: str) -> None:
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", delete=False) as tmp:
            tmp.write(text)
        tar.add(tmp.name, f"{name}/{arcname}")
        os.unlink(tmp.name)

    # Wheels are zip files already: light compression is nearly as small and much faster.
    with tarfile.open(partial, "w:gz", compresslevel=1) as tar:
        for rel in tracked_files():
            tar.add(ROOT / rel, f"{name}/{rel}")
        tar.add(ROOT / "deploy/offline/install.sh", f"{name}/install.sh")
        tar.add(ROOT / "deploy/offline/debian-packages.txt", f"{name}/debian-packages.txt")
        add_text(tar, "requirements.lock", lock_text)
        add_text(tar, "MANIFEST.txt", about)
        for filename, path in sorted(files.items()):
            tar.add(path, f"{name}/wheelhouse/{filename}")
    partial.replace(out)
    print(about + f"已写出 {out.relative_to(ROOT)}（{out.stat().st_size / 2**20:.1f} MB）")


if __name__ == "__main__":
    main()
