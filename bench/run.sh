#!/usr/bin/env bash
# Load benchmark of the public site (issue 6). It builds a site group with
# ITEMS generated items (default 100,000), starts gongkai on SQLite, loads
# it with wrk on loopback, and in the same run serves the same rendered item
# page as a static file from nginx, the baseline. It prints a Markdown
# table: requests/s and p50/p99 latency per page, the ratio to nginx, the
# server's peak memory and the static export rate.
#
#   bash bench/run.sh                 # full run
#   ITEMS=5000 DURATION=5s bash bench/run.sh   # quick look
#   DATA=/tmp/bench-data bash bench/run.sh      # keep the data set for the next run
#   EXPORT=0 bash bench/run.sh                  # skip the static export
#
# Needs wrk and nginx (Debian packages; installed when missing, as root).
set -euo pipefail
cd "$(dirname "$0")/.."

ITEMS=${ITEMS:-100000}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
PORT=${PORT:-18181}
NGINX_PORT=${NGINX_PORT:-18182}

for tool in wrk nginx; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx >/dev/null
	fi
done

load=$(cut -d" " -f1-3 /proc/loadavg)
work=$(mktemp -d)
server=""
cleanup() {
	[ -n "$server" ] && kill "$server" 2>/dev/null || true
	[ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

echo "building gongkai and a site with $ITEMS items…" >&2
go build -o "$work/gongkai" ./cmd/gongkai
data=${DATA:-$work/data}
if [ -f "$data/gongkai.db" ]; then
	echo "using the data set in $data" >&2
	"$work/gongkai" migrate --data "$data" >/dev/null
else
	start=$(date +%s)
	"$work/gongkai" demo --data "$data" --items "$ITEMS" >/dev/null
	echo "data set ready in $(( $(date +%s) - start ))s" >&2
fi

# One client address makes every request here, so the per-address search
# limit is turned off (--search-rate 0).
"$work/gongkai" serve --data "$data" --addr "127.0.0.1:$PORT" --log-level warn --search-rate 0 >/dev/null 2>"$work/serve.log" &
server=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done

base="http://127.0.0.1:$PORT"
item=$(curl -sf "$base/api/v1/items?limit=1" | grep -o '"id": *[0-9]*' | head -n1 | grep -o '[0-9]*$')
mkdir -p "$work/www"
# nginx's workers run as an unprivileged user: let them read the page.
chmod 755 "$work" "$work/www"
curl -sf "$base/item/$item" >"$work/www/item.html"
chmod 644 "$work/www/item.html"

cat >"$work/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
	access_log off;
	include /etc/nginx/mime.types;
	server { listen 127.0.0.1:$NGINX_PORT; root $work/www; }
}
CONF
nginx -c "$work/nginx.conf" -p "$work"

# Every run reports its percentiles and failures itself (wrk's own
# summary has no p95).
cat >"$work/report.lua" <<'LUA'
done = function(summary, latency, requests)
	local failed = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
	io.write(string.format("REPORT %.0f %.2f %.2f %.2f %d\n", summary.requests / summary.duration * 1e6,
		latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, failed))
end
LUA
# Searches rotate over a few queries, as readers' do.
cat >"$work/search.lua" <<'LUA'
local qs = {"%E6%9C%80%E4%BD%8E%E7%94%9F%E6%B4%BB%E4%BF%9D%E9%9A%9C", "%E5%85%BB%E8%80%81%E6%9C%8D%E5%8A%A1", "%E5%A9%9A%E5%A7%BB%E7%99%BB%E8%AE%B0", "%E4%B8%B4%E6%97%B6%E6%95%91%E5%8A%A9", "%E6%B0%91%E6%94%BF"}
local i = 0
request = function()
	i = i + 1
	return wrk.format("GET", "/search?q=" .. qs[(i % #qs) + 1] .. "&page=" .. ((i % 3) + 1))
end
LUA
cat "$work/report.lua" >>"$work/search.lua"

run() { # name url [script]
	local name=$1 url=$2 script=${3:-$work/report.lua}
	curl -sf -o /dev/null "$url" || true # warm the cache
	local out
	out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s "$script" "$url" | awk '$1 == "REPORT"')
	read -r _ rps p50 p95 p99 failed <<<"$out"
	echo "$name|$rps|$p50 ms|$p95 ms|$p99 ms|$failed"
}

results=()
results+=("$(run "nginx, static item page" "http://127.0.0.1:$NGINX_PORT/item.html")")
results+=("$(run "home page" "$base/")")
results+=("$(run "column page" "$base/col/tzgg/")")
results+=("$(run "column page 500" "$base/col/tzgg/page/500/")")
results+=("$(run "item page" "$base/item/$item")")
results+=("$(run "item page, Traditional" "$base/zh-hant/item/$item")")
results+=("$(run "search" "$base" "$work/search.lua")")
peak=$(awk '/VmHWM/ {print $2 / 1024 " MB"}' "/proc/$server/status")

nginx_rps=$(echo "${results[0]}" | cut -d'|' -f2)
echo
echo "Machine: $(nproc) cores, load average before the run $load, $(awk '/model name/ {$1=$2=$3=""; print; exit}' /proc/cpuinfo | xargs); $ITEMS items; wrk -t2 -c$CONNECTIONS -d$DURATION on loopback."
echo
echo "| page | requests/s | p50 | p95 | p99 | failed | × nginx |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for r in "${results[@]}"; do
	IFS='|' read -r name rps p50 p95 p99 failed <<<"$r"
	ratio=$(awk -v a="$rps" -v b="$nginx_rps" 'BEGIN { printf "%.2f", a / b }')
	echo "| $name | $rps | $p50 | $p95 | $p99 | $failed | $ratio |"
done
echo
echo "Server peak memory (VmHWM): $peak."
[ "${EXPORT:-1}" = 0 ] && exit 0
start=$(date +%s.%N)
export_out=$("$work/gongkai" export --data "$data" --out "$work/export" 2>/dev/null)
export_rate=$(echo "$export_out" | grep -o '([0-9]* pages/s)' | tr -d '()')

echo "Static export: $export_rate ($(echo "$export_out" | grep -o 'exported [0-9]* pages'))."
