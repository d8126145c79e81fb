#!/usr/bin/env bash
# Install the Debian packages the tests need (headless Chromium, CJK fonts, sqlite3, pg_dump, ffprobe, Pango) when missing.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
command -v sqlite3 >/dev/null 2>&1 || need+=(sqlite3)
command -v pg_dump >/dev/null 2>&1 || need+=(postgresql-client)
# ffprobe checks that audio and video cleaned of their metadata still parse (saohei/intake/media_metadata.py).
command -v ffprobe >/dev/null 2>&1 || need+=(ffmpeg)
# WeasyPrint (PDF exports) draws text with Pango.
dpkg -s libpango-1.0-0 >/dev/null 2>&1 || need+=(libpango-1.0-0)
dpkg -s libpangoft2-1.0-0 >/dev/null 2>&1 || need+=(libpangoft2-1.0-0)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then SUDO=sudo; else SUDO=; fi
echo "Installing Debian packages: ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
