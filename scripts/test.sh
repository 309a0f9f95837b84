#!/usr/bin/env bash
# `npm test`: installs what is missing, starts the services, then typecheck, lint, tests and conformance.
# `npm test -- <file|dir|glob> ...` runs only those test files (services still ensured; typecheck, lint and
# conformance skipped). See docs/testing.md.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
NODE=$ROOT/node_modules/.bin/node
# Per-test limit and a watchdog for the whole run: a test that leaks a socket or timer keeps its file's
# process alive forever, and the watchdog turns that hang into a failure that names the file.
TEST_TIMEOUT_MS=${SOPHIA_TEST_TIMEOUT_MS:-300000}
RUN_TIMEOUT=${SOPHIA_TEST_RUN_TIMEOUT:-45m}
# One test file at a time: the machine has 2 cores, and integration files share one PostgreSQL, Redis
# and NATS and start servers of their own, so running them side by side mostly adds timing flakes.
CONCURRENCY=${SOPHIA_TEST_CONCURRENCY:-1}

banner() { printf '\n==> %s\n' "$*"; }
fail() {
  printf '\n==> FAILED: %s\n' "$1" >&2
  shift
  for line in "$@"; do printf '    %s\n' "$line" >&2; done
  exit 1
}

is_ci() { [[ -n ${CI:-} && ${CI} != false && ${CI} != 0 ]]; }
deps_stale() {
  [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]
}

ensure_dependencies() {
  if [[ ${SOPHIA_DEPS_READY:-} == 1 ]]; then
    banner "dependencies: installed by the caller"
  elif is_ci || deps_stale; then
    banner "dependencies: npm ci"
    npm ci || fail "dependencies" "npm ci failed; read npm's message above"
  else
    banner "dependencies: node_modules is up to date with package-lock.json"
  fi
  local version
  version=$("$NODE" --version 2>/dev/null) ||
    fail "dependencies" "node_modules/.bin/node is missing" "run 'npm ci' (without --ignore-scripts: the node package installs Node 24 in its preinstall script)"
  [[ $version == v24.* ]] ||
    fail "dependencies" "node_modules/.bin/node is $version, expected v24.x" "run 'npm ci' to reinstall the node devDependency"
  echo "node $version"
  export PATH="$ROOT/node_modules/.bin:$PATH"
}

ensure_services() {
  banner "services: PostgreSQL, Redis, NATS"
  # shellcheck source=scripts/services.sh
  source scripts/services.sh || fail "services" "a service is not available; the line above says which and why"
}

# Fills TEST_FILES from the arguments (files, folders or globs), or with every test file of src/, test/ and bench/.
collect_test_files() {
  TEST_FILES=()
  if (($# == 0)); then
    mapfile -t TEST_FILES < <(find src test bench -type f -name '*.test.ts' -not -path '*/node_modules/*' 2>/dev/null | sort)
    ((${#TEST_FILES[@]} > 0)) ||
      fail "tests" "no test files found under src/, test/ or bench/ (*.test.ts)" "a run that tests nothing is not a pass"
    return 0
  fi
  local arg file found
  shopt -s globstar nullglob
  for arg in "$@"; do
    if [[ -f $arg ]]; then
      TEST_FILES+=("$arg")
      continue
    fi
    if [[ -d $arg ]]; then
      mapfile -t found < <(find "$arg" -type f -name '*.test.ts' -not -path '*/node_modules/*' | sort)
    else
      found=()
      # A word without glob characters expands to itself, so keep only what exists.
      # shellcheck disable=SC2206 # the argument is a glob to expand
      for file in $arg; do [[ -f $file ]] && found+=("$file"); done
    fi
    ((${#found[@]} > 0)) || fail "tests" "'$arg' matches no test file" "give a file, a folder or a quoted glob such as 'src/**/*.test.ts'"
    TEST_FILES+=("${found[@]}")
  done
  shopt -u globstar nullglob
}

N8N_PACKAGE=packages/n8n-nodes-sophia
n8n_package_stale() {
  [[ ! -f $N8N_PACKAGE/node_modules/.package-lock.json ||
    $N8N_PACKAGE/package-lock.json -nt $N8N_PACKAGE/node_modules/.package-lock.json ]]
}

# The n8n community node package has dev dependencies of its own (n8n's CLI, lint and types) and its
# tests (test/n8n-nodes) load the BUILT dist/, as n8n does: install, build, and in full runs lint it.
# Subset runs do this only when a selected test file has "n8n" in its path.
n8n_package() {
  local subset=$1
  if ((subset > 0)) && ! printf '%s\n' "${TEST_FILES[@]}" | grep -q 'n8n'; then
    return 0
  fi
  banner "n8n package: $N8N_PACKAGE"
  if is_ci || n8n_package_stale; then
    (cd "$N8N_PACKAGE" && npm ci --ignore-scripts --no-audit --no-fund) ||
      fail "n8n package" "npm ci in $N8N_PACKAGE failed; read npm's message above"
  fi
  (cd "$N8N_PACKAGE" && npm run --silent build) ||
    fail "n8n package" "the build failed (tsc errors above); run 'npm run build' in $N8N_PACKAGE"
  if ((subset == 0)); then
    (cd "$N8N_PACKAGE" && npm run --silent lint) ||
      fail "n8n package" "n8n's community node lint failed; run 'npm run lint' in $N8N_PACKAGE"
  fi
}

# n8n for the end-to-end tests (test/n8n): installed once into a cache (.cache/, or $SOPHIA_N8N_HOME).
# Subset runs do this only when a selected file is under test/n8n/. SOPHIA_N8N_OPTIONAL=1 installs
# nothing (the n8n tests then skip if n8n was never installed).
ensure_n8n() {
  local subset=$1
  if ((subset > 0)) && ! printf '%s\n' "${TEST_FILES[@]}" | grep -q 'test/n8n/'; then
    return 0
  fi
  if [[ ${SOPHIA_N8N_OPTIONAL:-} == 1 ]]; then
    banner "n8n: SOPHIA_N8N_OPTIONAL=1, not installed here"
    return 0
  fi
  banner "n8n: scripts/n8n/ensure.sh"
  bash scripts/n8n/ensure.sh || fail "n8n" "scripts/n8n/ensure.sh failed; its message above says why"
}

run_stage() {
  local name=$1
  shift
  banner "$name: $*"
  "$@" || fail "$name" "'$*' failed; fix what it printed above"
}

SUMMARY=()

# Runs node's test runner: spec report on the terminal, TAP copy for the closing summary lines.
run_tests() {
  local tap
  tap=$(mktemp)
  banner "tests: ${#TEST_FILES[@]} file(s), concurrency $CONCURRENCY"
  local rc=0
  timeout -s INT -k 30s "$RUN_TIMEOUT" "$NODE" --test --test-concurrency="$CONCURRENCY" \
    --test-timeout="$TEST_TIMEOUT_MS" \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tap" \
    "${TEST_FILES[@]}" || rc=$?
  mapfile -t SUMMARY < <(grep -E '^# (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) ' "$tap" || true)
  rm -f "$tap"
  ((rc == 0)) || print_summary
  if ((rc == 124)); then
    fail "tests" "the run exceeded $RUN_TIMEOUT and was interrupted" \
      "the file under 'Interrupted while running' kept its process alive (an open server, socket or timer)"
  fi
  ((rc == 0)) || fail "tests" "node --test exited with $rc; the failing tests are listed above"
  [[ $(count tests) -gt 0 ]] || fail "tests" "the test runner ran no test" "a run that tests nothing is not a pass"
}

count() {
  local line
  for line in "${SUMMARY[@]}"; do
    if [[ $line == "# $1 "* ]]; then
      echo "${line##* }"
      return 0
    fi
  done
  echo 0
}

print_summary() {
  ((${#SUMMARY[@]} > 0)) || return 0
  echo
  printf '%s\n' "${SUMMARY[@]}"
  echo "tests: $(count pass) passed, $(count fail) failed"
}

main() {
  local subset=$#
  ensure_dependencies
  ensure_services
  collect_test_files "$@"
  n8n_package "$subset"
  ensure_n8n "$subset"
  if ((subset == 0)); then
    run_stage typecheck tsc --noEmit -p tsconfig.json
    run_stage lint biome check .
  fi
  run_tests
  if ((subset == 0)) && [[ -f scripts/conformance-gateway.ts ]]; then
    run_stage conformance "$NODE" scripts/conformance-gateway.ts
  fi
  banner "all stages passed"
  # The runner's closing lines come last so that whoever reads the end of the log sees the counts.
  print_summary
}

main "$@"
