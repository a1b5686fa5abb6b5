#!/usr/bin/env bash
# 离线安装（README「离线安装」）：在解开的安装包目录里运行 ./install.sh。
# 只从本目录的 wheelhouse/ 安装 requirements.lock 所列、哈希相符的软件包，不访问任何软件包索引
# （--isolated 同时忽略本机的 pip 配置与环境变量）；然后检查 debian-packages.txt 所列系统软件包。
set -euo pipefail
cd "$(dirname "$0")"
PYTHON="${PYTHON:-python3.11}"

if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "错误：未找到 $PYTHON。请先安装：apt-get install -y python3.11 python3.11-venv" >&2
    exit 1
fi
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    echo "错误：$PYTHON 不是 Python 3.11（$("$PYTHON" --version 2>&1)）；安装包中的软件包只适用于 3.11。" >&2
    exit 1
fi
case "$(uname -m)" in
    x86_64 | aarch64) ;;
    *) echo "错误：本机架构 $(uname -m) 不受支持，安装包只含 x86_64 与 aarch64 的软件包。" >&2; exit 1 ;;
esac

if [ ! -x .venv/bin/python ]; then
    echo "创建虚拟环境 .venv"
    if ! "$PYTHON" -m venv .venv; then
        rm -rf .venv
        echo "错误：无法创建虚拟环境。请安装：apt-get install -y python3.11-venv" >&2
        exit 1
    fi
fi
echo "从 wheelhouse/ 安装 Python 软件包（不联网）"
.venv/bin/python -m pip install --isolated --disable-pip-version-check --no-index --find-links wheelhouse \
    --only-binary=:all: --require-hashes -q -r requirements.lock
# make run 据此认为依赖已装好，不再联网安装
touch .venv/bin/.installed
echo "Python 软件包已安装：$(.venv/bin/python -m pip list --isolated --format=freeze 2>/dev/null | wc -l) 个"

# 系统软件包：基础类先看命令能否使用（Python 也可能不是用 apt 装的），其余问 dpkg。
installed() {
    case "$1" in
        python3.11 | python3.11-venv) return 0 ;; # 上面已实际检查过
        make) command -v make >/dev/null 2>&1 && return 0 ;;
    esac
    command -v dpkg-query >/dev/null 2>&1 &&
        dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}
base=() briefing=() optional=()
while read -r package kind purpose; do
    case "$package" in "" | \#*) continue ;; esac
    installed "$package" && continue
    echo "缺少系统软件包 $package（$kind）：$purpose"
    case "$kind" in
        基础) base+=("$package") ;;
        简报包) briefing+=("$package") ;;
        *) optional+=("$package") ;;
    esac
done < debian-packages.txt

if [ ${#base[@]} -gt 0 ]; then
    echo "必须安装（可用内网软件源或离线 .deb）：apt-get install -y ${base[*]}"
fi
if [ ${#briefing[@]} -gt 0 ]; then
    echo "生成简报包图表前请安装（看板本身可以运行）：apt-get install -y ${briefing[*]}"
fi
if [ ${#optional[@]} -gt 0 ]; then
    echo "可选，按需安装：apt-get install -y ${optional[*]}"
fi
if [ ${#base[@]} -eq 0 ] && [ ${#briefing[@]} -eq 0 ] && [ ${#optional[@]} -eq 0 ]; then
    echo "系统软件包齐全。"
fi
if [ ${#base[@]} -gt 0 ]; then
    exit 1
fi
echo "安装完成。演示：make run；作为服务运行：见 README「离线安装」与 deploy/systemd/zhengshou-app.service"
