#!/usr/bin/env bash
# Makes PostgreSQL (wal_level=logical), Redis and NATS with JetStream answer on 127.0.0.1 for the tests.
#
#   bash scripts/services.sh      ensure the services, then print the `export SOPHIA_TEST_*=...` lines
#   source scripts/services.sh    ensure the services and export SOPHIA_TEST_* into the calling shell
#
# A service that already answers a real protocol ping is left alone; one that is installed but stopped is
# started with the machine's own start command; one that is missing is installed from Debian's packages.
# Nothing is stopped afterwards: on this kind of machine the services are expected to keep running.
# Progress goes to stderr, the export lines to stdout.

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  # Sourced: do the work in a child bash so that errexit holds there, then export what it printed.
  if ! __sophia_services_env="$(bash "${BASH_SOURCE[0]}")"; then
    unset __sophia_services_env
    echo "services: FAILED — see the messages above; fix the service and run 'bash scripts/services.sh'" >&2
    return 1
  fi
  eval "$__sophia_services_env"
  unset __sophia_services_env
  return 0
fi

set -euo pipefail

PG_PORT=5432
REDIS_PORT=6379
NATS_PORT=4222
APT_UPDATED=0

say() { echo "services: $*" >&2; }
die() {
  echo "services: ERROR: $*" >&2
  exit 1
}

apt_install() {
  [[ $(id -u) == 0 ]] || die "'$*' is not installed and installing it needs root; run 'sudo apt-get install -y $*'"
  if [[ $APT_UPDATED == 0 ]]; then
    say "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || die "apt-get update failed; check the network to Debian's mirror"
    APT_UPDATED=1
  fi
  say "apt-get install -y $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2 ||
    die "apt-get install $* failed; see apt's message above"
}

# Runs "$@" up to $1 times, one second apart, until it succeeds.
retry() {
  local tries=$1
  shift
  local i
  for ((i = 1; i <= tries; i++)); do
    if "$@"; then return 0; fi
    sleep 1
  done
  return 1
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---------------------------------------------------------------- PostgreSQL

pg_url_for() { echo "postgres://$1@127.0.0.1:$PG_PORT/postgres"; }
pg_query() { psql "$1" -X -q -tAc "$2" 2>/dev/null; }
pg_ready() { pg_isready -q -h 127.0.0.1 -p "$PG_PORT" -t 2; }

pg_cluster_line() { pg_lsclusters --no-header 2>/dev/null | awk -v p="$PG_PORT" '$3 == p' | sort -V | tail -n 1; }

pg_ensure_installed() {
  if command -v pg_ctlcluster >/dev/null && compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null; then
    return 0
  fi
  apt_install postgresql postgresql-contrib
}

pg_ensure_cluster() {
  if [[ -n $(pg_cluster_line) ]]; then return 0; fi
  local version
  version=$(find /usr/lib/postgresql -maxdepth 1 -mindepth 1 -printf '%f\n' | sort -V | tail -n 1)
  say "postgresql: creating cluster $version/main on port $PG_PORT"
  pg_createcluster --port "$PG_PORT" "$version" main >&2 || die "pg_createcluster $version main failed"
}

pg_ensure_running() {
  if pg_ready; then
    say "postgresql: already answering on 127.0.0.1:$PG_PORT"
    return 0
  fi
  pg_ensure_installed
  pg_ensure_cluster
  local version
  version=$(pg_cluster_line | awk '{print $1}')
  say "postgresql: starting cluster $version/main"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 ||
    say "postgresql: pg_ctlcluster start reported an error (see above); waiting in case it is already starting"
  retry 30 pg_ready ||
    die "PostgreSQL did not answer on 127.0.0.1:$PG_PORT within 30 s; read /var/log/postgresql/postgresql-$version-main.log"
  say "postgresql: ready"
}

# Finds a role that logs in over TCP without a password; on a fresh install TCP needs a password, so
# loopback is switched to trust (a throwaway test machine: nothing but tests uses this cluster).
pg_pick_url() {
  local role
  for role in postgres root; do
    if [[ $(pg_query "$(pg_url_for "$role")" "select 1") == 1 ]]; then
      pg_url_for "$role"
      return 0
    fi
  done
  local hba
  hba=$(runuser -u postgres -- psql -X -tAc "show hba_file" 2>/dev/null) ||
    die "cannot log in to PostgreSQL as postgres or root over 127.0.0.1, nor as postgres over the socket; allow trust for 127.0.0.1 in pg_hba.conf"
  say "postgresql: allowing trust for loopback in $hba"
  sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  runuser -u postgres -- psql -X -qtAc "select pg_reload_conf()" >/dev/null
  if [[ $(pg_query "$(pg_url_for postgres)" "select 1") == 1 ]]; then
    pg_url_for postgres
    return 0
  fi
  die "PostgreSQL still refuses postgres@127.0.0.1 after enabling trust; check $hba"
}

# Prints an integer setting, or 0 when it cannot be read, so that comparisons never break.
pg_int() {
  local value
  value=$(pg_query "$1" "show $2" || true)
  [[ $value =~ ^[0-9]+$ ]] && echo "$value" || echo 0
}

# Flow tests each hold a replication slot and a walsender while they run; 20 leaves room for a
# leftover slot or two and for a developer's own.
PG_MIN_SLOTS=20

pg_settings_ok() {
  local url=$1
  [[ $(pg_query "$url" "show wal_level") == logical ]] &&
    (($(pg_int "$url" max_replication_slots) >= PG_MIN_SLOTS)) &&
    (($(pg_int "$url" max_wal_senders) >= PG_MIN_SLOTS))
}

pg_ensure_logical() {
  local url=$1
  if pg_settings_ok "$url"; then
    say "postgresql: wal_level=logical already set"
    return 0
  fi
  local setting
  for setting in max_replication_slots max_wal_senders; do
    if (($(pg_int "$url" "$setting") < PG_MIN_SLOTS)); then
      pg_query "$url" "alter system set $setting = $PG_MIN_SLOTS" >/dev/null || die "ALTER SYSTEM SET $setting failed"
    fi
  done
  pg_query "$url" "alter system set wal_level = logical" >/dev/null ||
    die "ALTER SYSTEM SET wal_level = logical failed; the role in $url must be a superuser"
  local line version cluster
  line=$(pg_cluster_line)
  [[ -n $line ]] || die "wal_level must be logical but the server on port $PG_PORT is not a pg_ctlcluster cluster; restart it yourself"
  version=$(awk '{print $1}' <<<"$line")
  cluster=$(awk '{print $2}' <<<"$line")
  say "postgresql: restarting $version/$cluster so that wal_level=logical takes effect"
  # A walsender whose client stopped reading holds a fast shutdown forever; fall back to immediate.
  pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" restart -m fast >&2 || {
    say "postgresql: fast restart did not finish; stopping immediately"
    pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" stop -m immediate >&2 || true
    pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start >&2
  } || die "pg_ctlcluster $version $cluster restart failed"
  retry 30 pg_ready || die "PostgreSQL did not come back within 30 s after the restart"
  pg_settings_ok "$url" ||
    die "wal_level is still '$(pg_query "$url" "show wal_level")' after the restart; look for an override in the cluster's config"
  say "postgresql: wal_level=logical now set"
}

# ---------------------------------------------------------------- Redis

redis_ping() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT" || exit 1
    printf '*1\r\n$4\r\nPING\r\n' >&3
    IFS= read -r -t 2 reply <&3 || exit 1
    [[ $reply == "+PONG"* ]]
  ) 2>/dev/null
}

redis_ensure() {
  if redis_ping; then
    say "redis: already answering PING on 127.0.0.1:$REDIS_PORT"
    return 0
  fi
  port_open "$REDIS_PORT" && die "port $REDIS_PORT is open but does not answer a Redis PING; free the port"
  command -v redis-server >/dev/null || apt_install redis-server
  mkdir -p /var/lib/redis /var/log/redis
  say "redis: starting redis-server"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log >&2 || die "redis-server failed to start; read /var/log/redis/ci.log"
  retry 20 redis_ping || die "Redis did not answer PING within 20 s; read /var/log/redis/ci.log"
  say "redis: ready"
}

# ---------------------------------------------------------------- NATS

# Prints "jetstream" when $JS.API.INFO answers, "core" when only PING/PONG works; fails when NATS is absent.
nats_probe() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$NATS_PORT" || exit 1
    IFS= read -r -t 2 line <&3 || exit 1
    [[ $line == INFO* ]] || exit 1
    printf 'CONNECT {"verbose":false,"pedantic":false,"name":"sophia-services"}\r\n' >&3
    printf 'SUB _INBOX.sophia.services 1\r\nPUB $JS.API.INFO _INBOX.sophia.services 0\r\n\r\nPING\r\n' >&3
    pong=0
    for _ in 1 2 3 4 5 6 7 8; do
      IFS= read -r -t 2 line <&3 || break
      line=${line%$'\r'}
      case $line in
      PONG) pong=1 ;;
      PING) printf 'PONG\r\n' >&3 ;;
      MSG\ *)
        IFS= read -r -t 2 payload <&3 || exit 1
        if [[ $payload == *account_info_response* && $payload != *'"error"'* ]]; then
          echo jetstream
          exit 0
        fi
        ;;
      -ERR*) exit 1 ;;
      esac
    done
    ((pong == 1)) && echo core
  ) 2>/dev/null
}

nats_has_jetstream() { [[ $(nats_probe) == jetstream ]]; }

nats_ensure() {
  local state
  state=$(nats_probe || true)
  if [[ $state == jetstream ]]; then
    say "nats: already answering with JetStream on 127.0.0.1:$NATS_PORT"
    return 0
  fi
  [[ $state == core ]] && die "NATS on port $NATS_PORT runs without JetStream; restart it with -js (see docs/testing.md)"
  port_open "$NATS_PORT" && die "port $NATS_PORT is open but does not speak NATS; free the port"
  [[ -x /usr/sbin/nats-server ]] || apt_install nats-server
  mkdir -p /var/lib/nats-server
  say "nats: starting nats-server with JetStream"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
    -a 127.0.0.1 -p "$NATS_PORT" -js -sd /var/lib/nats-server -l /var/log/nats-server.log >&2 ||
    die "nats-server failed to start; read /var/log/nats-server.log"
  retry 20 nats_has_jetstream || die "NATS JetStream did not answer within 20 s; read /var/log/nats-server.log"
  say "nats: ready"
}

# ---------------------------------------------------------------- main

main() {
  pg_ensure_running
  command -v psql >/dev/null || apt_install postgresql-client
  local pg_url
  pg_url=$(pg_pick_url)
  say "postgresql: connecting as $pg_url"
  pg_ensure_logical "$pg_url"
  redis_ensure
  nats_ensure
  echo "export SOPHIA_TEST_PG_URL=$pg_url"
  echo "export SOPHIA_TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT"
  echo "export SOPHIA_TEST_NATS_URL=nats://127.0.0.1:$NATS_PORT"
  say "all services ready"
}

main "$@"
