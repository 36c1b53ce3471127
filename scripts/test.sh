#!/usr/bin/env bash
# `npm test`: every test — unit/service/engine (vitest, PGlite), the service tests again on PostgreSQL,
# and the Playwright browser tests against the built console and engine. Installs what the tests need
# from Debian when it is missing (chromium, nginx, haproxy, curl, openssl, nghttp2-client, postgresql, rsyslog).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export NEXT_TELEMETRY_DISABLED=1
RESULTS=$(mktemp -d)
PG_PID=""
cleanup() {
  if [ -n "$PG_PID" ] && kill -0 "$PG_PID" 2>/dev/null; then kill "$PG_PID"; wait "$PG_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

# 1. System packages -------------------------------------------------------------------------------
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v h2load >/dev/null 2>&1 && command -v nghttp >/dev/null 2>&1 || missing+=(nghttp2-client)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v rsyslogd >/dev/null 2>&1 || [ -x /usr/sbin/rsyslogd ] || missing+=(rsyslog)
if [ ${#missing[@]} -gt 0 ]; then
  echo "[test] installing from Debian: ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then APT=(apt-get); else APT=(sudo apt-get); fi
  "${APT[@]}" update -qq
  DEBIAN_FRONTEND=noninteractive "${APT[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. Node dependencies and build -------------------------------------------------------------------
[ -d node_modules ] || npm install --no-audit --no-fund
npm run --silent lint
npm run --silent typecheck
npm run build

# Each runner's exit code; a failing runner does not stop the others, the closing line counts them all.
STEPS=()
step() {
  local name=$1 rc=0
  shift
  "$@" || rc=$?
  STEPS+=("$name=$rc")
}

# 3. Unit, service and engine tests on the embedded database --------------------------------------
echo "[test] vitest (PGlite)"
step vitest npx vitest run --reporter=default --reporter=json --outputFile="$RESULTS/vitest.json"

# 4. Service tests again on a real PostgreSQL on loopback ------------------------------------------
PG_BIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
PG_DIR=$(mktemp -d)
PG_PORT=${ELB_TEST_PG_PORT:-$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")}
chmod 755 "$PG_DIR"
if [ "$(id -u)" = 0 ]; then RUN_PG=(runuser -u postgres --); chown postgres "$PG_DIR"; else RUN_PG=(); fi
"${RUN_PG[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U elb --auth=trust >/dev/null
"${RUN_PG[@]}" "$PG_BIN/postgres" -D "$PG_DIR/data" -h 127.0.0.1 -p "$PG_PORT" -k "$PG_DIR" >"$PG_DIR/log" 2>&1 &
PG_PID=$!
for _ in $(seq 1 50); do "$PG_BIN/pg_isready" -h 127.0.0.1 -p "$PG_PORT" -q && break; sleep 0.2; done
"$PG_BIN/pg_isready" -h 127.0.0.1 -p "$PG_PORT" -q || { echo "[test] PostgreSQL did not start:"; cat "$PG_DIR/log"; exit 1; }
echo "[test] vitest (PostgreSQL) — service and database tests"
DATABASE_URL="postgres://elb@127.0.0.1:$PG_PORT/postgres" step vitest-pg npx vitest run server db --reporter=default --reporter=json --outputFile="$RESULTS/vitest-pg.json"
cleanup
PG_PID=""

# 5. Browser tests ---------------------------------------------------------------------------------
echo "[test] playwright (Chromium)"
PLAYWRIGHT_JSON_OUTPUT_NAME="$RESULTS/playwright.json" step playwright npx playwright test --reporter=list,json

# 6. One closing line for all runners --------------------------------------------------------------
# "N passed, N flaky, N failed, N skipped". A test that passed only on a retry is flaky: listed by name
# above the line, not counted as passed, and it does not fail the run. A failed test, an error outside
# any test (e.g. a refused .only), a missing report or a runner's non-zero exit fails it.
npx tsx scripts/test-summary.ts "$RESULTS" "${STEPS[@]}"
