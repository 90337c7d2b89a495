#!/usr/bin/env bash
# OS packages the console and its tests need (Debian): Chromium for the browser tests,
# a TrueType CJK font so pages and PDFs render Chinese, poppler for checking PDFs,
# Node/npm to fetch bun from the npm registry.
set -euo pipefail
need=()
for pkg in chromium fonts-wqy-zenhei poppler-utils; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "安装系统软件包：${need[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
