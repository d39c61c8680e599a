# shell=bash
# Starts and stops the built Worker on real workerd (wrangler dev --local) with local D1 and KV.
# Needs tools.sh sourced first.

# LOCAL_SHARDS=2 binds a second local D1 database, DB_2, beside DB; start_worker then places
# merchants 00-7f in DB and 80-ff in DB_2 (D1_SHARDS, see src/domain/shard.rs). scripts/test
# runs the whole suite that way, so every test runs across two shards.
SHARD_MAP_2="DB=00-7f,DB_2=80-ff"

# shard_bindings: the D1 bindings of the local config, one per line.
shard_bindings() {
  printf 'DB\n'
  [ "${LOCAL_SHARDS:-1}" = 2 ] && printf 'DB_2\n'
  return 0
}

# local_config: wrangler.toml without its [build] section, so starting never rebuilds (and with
# DB_2 when LOCAL_SHARDS=2).
local_config() {
  local out="$ROOT/.wrangler-local-${LOCAL_SHARDS:-1}.toml" # one file per shape: wrangler dev reloads on change
  awk '/^\[build\]/ {skip=1; next} /^\[/ {skip=0} !skip' "$ROOT/wrangler.toml" >"$out"
  if [ "${LOCAL_SHARDS:-1}" = 2 ]; then
    printf '\n[[d1_databases]]\nbinding = "DB_2"\ndatabase_name = "loyalty-edge-2"\n%s\n%s\n' \
      'database_id = "00000000-0000-0000-0000-000000000002"' 'migrations_dir = "migrations"' >>"$out"
  fi
  printf '%s' "$out"
}

# apply_migrations STATE_DIR: applies migrations/ to every local D1 database in STATE_DIR.
apply_migrations() {
  local state=$1 config db
  config=$(local_config)
  for db in $(shard_bindings); do
    step "applying D1 migrations to $db in local state ${state#"$ROOT"/}"
    (cd "$ROOT" && wrangler d1 migrations apply "$db" --local --persist-to "$state" --config "$config" >"$state.migrate.log" 2>&1) \
      || { cat "$state.migrate.log" >&2; die "migrations failed"; }
  done
}

# start_worker PORT STATE_DIR LOG [wrangler flags...]: starts wrangler dev in its own process
# group, records its group id in WORKER_PGID and waits until /health answers.
start_worker() {
  local port=$1 state=$2 log=$3 config
  shift 3
  config=$(local_config)
  [ "${LOCAL_SHARDS:-1}" = 2 ] && set -- "$@" --var "D1_SHARDS:$SHARD_MAP_2"
  # Messages: a sending address for the local email store, a VAPID key kept with the state (a
  # card's subscription is bound to it), and push endpoints on loopback (the test push service).
  set -- "$@" --var "EMAIL_FROM:${EMAIL_FROM:-cards@loyalty-edge.test}" \
    --var "VAPID_KEY:$(vapid_key "$state/vapid.jwk")" --var "PUSH_LOOPBACK:allow"
  step "starting the worker on http://127.0.0.1:$port (real workerd, local D1 and KV$([ "${LOCAL_SHARDS:-1}" = 2 ] && printf ', two D1 shards'))"
  (cd "$ROOT" && exec setsid wrangler dev --local --ip "${WORKER_IP:-127.0.0.1}" --port "$port" --persist-to "$state" \
      --config "$config" --show-interactive-dev-session=false --log-level "${WRANGLER_LOG_LEVEL:-log}" "$@" \
      >"$log" 2>&1) &
  WORKER_PGID=$!
  local i
  for i in $(seq 1 150); do
    if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then
      note "ready after $((i / 5)).$((i % 5 * 2))s (log: ${log#"$ROOT"/})"
      return 0
    fi
    kill -0 "$WORKER_PGID" 2>/dev/null || { cat "$log" >&2; die "wrangler dev exited"; }
    sleep 0.2
  done
  cat "$log" >&2
  die "the worker did not answer /health within 30 s"
}

# stop_worker: stops the whole process group started by start_worker (node, workerd, esbuild).
stop_worker() {
  if [ -n "${WORKER_PGID:-}" ]; then
    kill -TERM -- "-$WORKER_PGID" 2>/dev/null || true
    local i
    for i in $(seq 1 25); do
      kill -0 -- "-$WORKER_PGID" 2>/dev/null || break
      sleep 0.2
    done
    kill -KILL -- "-$WORKER_PGID" 2>/dev/null || true
    WORKER_PGID=
  fi
}

# vapid_key FILE: prints the P-256 private key (JWK) kept in FILE, making it first if missing.
vapid_key() {
  if [ ! -s "$1" ]; then
    mkdir -p "$(dirname "$1")"
    node -e 'const {generateKeyPairSync}=require("crypto");process.stdout.write(JSON.stringify(generateKeyPairSync("ec",{namedCurve:"P-256"}).privateKey.export({format:"jwk"})))' >"$1"
  fi
  cat "$1"
}

# free_port: prints a free loopback TCP port.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# random_secret: prints 48 random URL-safe characters.
random_secret() {
  python3 -c 'import secrets; print(secrets.token_urlsafe(36))'
}
