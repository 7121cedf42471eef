#!/usr/bin/env bash
# Installs code-server (a real VS Code served to a browser) into an ignored cache folder, so that
# `npm start` and the e2e suite can run the packaged extension here. The VS Code download that
# @vscode/test-electron does cannot work on machines that reach only the npm registry and Debian's
# packages; code-server comes from the npm registry, but its install scripts refuse root and fetch
# prebuilt binaries, so this script does by hand what they would do.
#
# Idempotent: every step leaves a marker, and a complete install leaves one with the version, so a
# rerun returns at once. Prints the path of the code-server launcher on its last line.
#
# Environment: NETPOL_CODE_SERVER_DIR (default .cache/code-server in the project).
set -euo pipefail

VERSION=4.100.3
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${NETPOL_CODE_SERVER_DIR:-$ROOT/.cache/code-server}"
CS="$DIR/node_modules/code-server"
LAUNCHER="$CS/out/node/entry.js"
DONE="$DIR/.installed-$VERSION"

log() { echo "[code-server-setup] $*" >&2; }

if [[ -f "$DONE" && -f "$LAUNCHER" ]]; then
  echo "$LAUNCHER"
  exit 0
fi

# --- Debian packages: headers for the native modules, ripgrep for search, chromium for the tests.
APT_PACKAGES=(libkrb5-dev libsecret-1-dev libxkbfile-dev libx11-dev pkg-config ripgrep chromium)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]} > 0)); then
  log "installing Debian packages: ${missing[*]}"
  SUDO=()
  [[ $(id -u) -eq 0 ]] || SUDO=(sudo)
  # Several installs may run at once on a shared machine: apt takes one at a time.
  LOCK=(flock /tmp/netpol-apt.lock)
  command -v flock >/dev/null || LOCK=()
  "${SUDO[@]}" "${LOCK[@]}" sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing[*]}"
fi

# node-gyp would download Node's headers; Debian's nodejs and the official tarballs ship them.
NODE_PREFIX="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
if [[ -f "$NODE_PREFIX/include/node/node_version.h" ]]; then
  export npm_config_nodedir="$NODE_PREFIX"
fi
export npm_config_yes=true npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

STEPS="$DIR/.steps-$VERSION" # per version: an upgrade redoes every step
mkdir -p "$STEPS"
step() { # step NAME COMMAND...: runs COMMAND once; a marker records success.
  local name="$1"
  shift
  if [[ -f "$STEPS/$name" ]]; then return 0; fi
  log "$name"
  "$@"
  touch "$STEPS/$name"
}

# A package.json of its own, so npm does not climb up to the project's.
[[ -f "$DIR/package.json" ]] || echo '{ "private": true, "description": "code-server for netpol-lens tests" }' >"$DIR/package.json"

# Its own postinstall refuses root, so the scripts are skipped and their work is done below.
step "1-code-server-$VERSION" sh -c "cd '$DIR' && npm install --ignore-scripts code-server@$VERSION"
step 2-vscode-deps sh -c "cd '$CS/lib/vscode' && npm install --omit=dev --ignore-scripts"
step 3-vscode-native sh -c "cd '$CS/lib/vscode' && npm rebuild @parcel/watcher @vscode/deviceid @vscode/spdlog kerberos native-watchdog node-pty"

install_rg() { # the @vscode/ripgrep postinstall downloads a binary, which fails here: use Debian's.
  local bin="$CS/lib/vscode/node_modules/@vscode/ripgrep/bin"
  mkdir -p "$bin"
  cp "$(command -v rg)" "$bin/rg"
}
step 4-ripgrep install_rg
# The server loads its modules from node_modules.asar, which only the packaged builds have.
step 5-asar-link ln -sfn node_modules "$CS/lib/vscode/node_modules.asar"
step 6-builtin-extensions sh -c "cd '$CS/lib/vscode/extensions' && npm install --omit=dev --ignore-scripts"
step 7-argon2 sh -c "cd '$DIR' && npm rebuild argon2"

touch "$DONE"
log "code-server $VERSION ready in $DIR"
echo "$LAUNCHER"
