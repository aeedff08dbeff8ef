#!/usr/bin/env bash
# Installs what Trellis needs to build, test and run, only when missing: Debian packages through
# apt-get (as root, or with sudo) and the npm test tools from package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

debs=(build-essential clang pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev
      libsodium-dev libcurl4-openssl-dev libcmocka-dev postgresql chromium nodejs npm
      python3-aiosmtpd nginx-light wrk libical-dev python3-icalendar tzdata
      libgmime-3.0-dev libutf8proc-dev libssl-dev help2man)
missing=()
for p in "${debs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# node and npm may come from elsewhere than Debian: do not reinstall them when present
if command -v node >/dev/null && command -v npm >/dev/null; then
    filtered=()
    for p in "${missing[@]}"; do
        [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p")
    done
    missing=("${filtered[@]}")
fi
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ] ||
   [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "setup: installing npm test tools"
    npm ci --no-audit --no-fund --loglevel=error
fi
