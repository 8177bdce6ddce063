#!/usr/bin/env bash
# Installs what Switchboard needs and starts it: the Electron desktop app where its binary can be
# had, otherwise browser mode (the same app served on 127.0.0.1). Says which one it starts.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNTIME_PACKAGES=(libsecret-1-dev gnome-keyring python3 make g++)
missing=()
for p in "${RUNTIME_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Switchboard needs these system packages first:"
    echo "  sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

electron_ready() {
  [ -f node_modules/electron/path.txt ] && [ -e "node_modules/electron/dist/$(cat node_modules/electron/path.txt)" ]
}
if ! electron_ready; then
  echo "Fetching the Electron binary from github.com…"
  timeout 120 node node_modules/electron/install.js >/dev/null 2>&1 || true
fi

if electron_ready; then
  echo "Starting the Switchboard desktop app (Electron)."
  exec npm start -- "$@"
fi
echo "The Electron binary cannot be downloaded here, so Switchboard starts in browser mode: open the URL below."
exec npm run --silent web -- "$@"
