#!/usr/bin/env bash
# The whole test suite from a fresh clone: system packages, npm packages, build, lint, types, then
# unit + integration (inside a private D-Bus session with an unlocked gnome-keyring, so keytar talks
# to a real Secret Service) and end-to-end in Debian's Chromium. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(chromium openssh-server openssh-client tigervnc-standalone-server tigervnc-tools x11-xserver-utils xterm xclip xfonts-base websockify openssl xvfb gnome-keyring dbus-x11 libsecret-1-dev libsecret-tools postgresql python3 make g++)

missing_packages() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  echo "${missing[@]:-}"
}

missing=$(missing_packages)
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "==> installing system packages: $missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq $missing >/dev/null || { echo "apt-get install failed"; exit 1; }
  else
    echo "Missing system packages. Run this once, then re-run the tests:"
    echo "  sudo apt-get install -y $missing"
    exit 1
  fi
fi

echo "==> npm ci"
if [ -z "${SWITCHBOARD_SKIP_NPM_CI:-}" ]; then
  npm ci --no-audit --no-fund --loglevel=error || { echo "npm ci failed"; exit 1; }
fi

mkdir -p tests/artifacts
results=tests/artifacts/results
rm -rf "$results" && mkdir -p "$results"
static_failed=0

step() {
  local name=$1; shift
  echo "==> $name"
  if "$@"; then echo "ok: $name"; else echo "FAILED: $name"; static_failed=$((static_failed + 1)); fi
}

step "build" node scripts/build.mjs
step "lint" npx eslint . --max-warnings=0
step "typecheck" npm run --silent typecheck

echo "==> tests (unit, integration, e2e, electron) with a real Secret Service"
scripts/with-keyring.sh npx vitest run --reporter=default --reporter=json --outputFile.json="$results/vitest.json"
vitest_status=$?

node scripts/summarize-tests.mjs "$results/vitest.json" "$static_failed" "$vitest_status"
