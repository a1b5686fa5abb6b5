#!/usr/bin/env bash
# What the tests need beyond Python: Chromium and CJK fonts (browser tests and screenshots),
# PostgreSQL (the accounts tests run against a real server too), LibreOffice Writer and poppler
# (the 周调度通报 .docx is converted to PDF and its pages drawn), nginx (the reverse proxy in front of
# the replicas, deploy/nginx/zhengshou.conf, tested by tests/test_replicas.py). Installs only what is missing.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
command -v soffice >/dev/null 2>&1 && [ -e /usr/lib/libreoffice/program/swriter ] || missing+=(libreoffice-writer)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "安装系统依赖：${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
