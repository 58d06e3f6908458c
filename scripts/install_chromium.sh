#!/usr/bin/env bash
# Debian's Chromium for the Playwright browser tests (Playwright's own browser download is not
# reachable on utility intranets or here). Needs root; does nothing when already installed.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then echo "chromium missing: run 'apt-get install chromium' as root" >&2; exit 0; fi
apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
