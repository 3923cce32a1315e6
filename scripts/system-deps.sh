#!/usr/bin/env bash
# Installs the system packages the test suite needs, when they are missing (Debian/Ubuntu).
# `make test` runs it first, so a fresh machine needs nothing installed by hand.
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1; }
# Each line: a command the tests use, and the Debian package that provides it.
# (Lines are added by the features that need them.)
have soffice || need+=(libreoffice-writer-nogui)   # .docx notices opened and converted to PDF
have pdftotext || need+=(poppler-utils)            # reading that PDF's text back
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)  # the store tests' real server
have chromium || need+=(chromium)                  # the desk's browser tests (Playwright drives it)
[ -n "$(fc-list :lang=zh 2>/dev/null)" ] || need+=(fonts-wqy-zenhei)  # Chinese glyphs in PDFs

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "system-deps: installing ${need[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif have sudo; then sudo="sudo"; else
  echo "system-deps: need root or sudo to install ${need[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
