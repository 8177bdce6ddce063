#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a fresh, unlocked gnome-keyring, so keytar
# talks to a real Secret Service without touching the user's own keyring.
#   scripts/with-keyring.sh npx vitest run tests/integration
set -euo pipefail
if [ -z "${SWITCHBOARD_IN_KEYRING_SESSION:-}" ]; then
  export SWITCHBOARD_IN_KEYRING_SESSION=1
  exec dbus-run-session -- "$0" "$@" 2> >(grep --line-buffered -v -e "Failed to set fd limit" -e "Activating service name" -e "Successfully activated" >&2)
fi
keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home"' EXIT
# The throwaway password creates and unlocks a new "login" collection in $keyring_home.
eval "$(echo switchboard-test-keyring | HOME=$keyring_home XDG_DATA_HOME=$keyring_home/data gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
"$@"
