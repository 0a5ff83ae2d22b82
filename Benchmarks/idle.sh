#!/usr/bin/env bash
# CPU used by idle daemons: `hoso watch` with one empty inotify station, and `hoso serve` with one empty
# polled station (poll_interval 1 s), each over SECONDS after a 5-second settle, from /proc/PID/stat
# (utime + stime of the process and its reaped children). Anchor in the same run: Python's idle
# `http.server`, a server that does nothing between requests.
#
#   Benchmarks/idle.sh [SECONDS] [WORKDIR]     (defaults 60, /tmp/hoso-idle-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
work=${2:-/tmp/hoso-idle-bench}
hoso=${HOSO:-$PWD/.build/release/hoso}
[[ -x $hoso ]] || swift build -c release --product hoso >/dev/null
rm -rf "$work" && mkdir -p "$work/inbox-watch" "$work/inbox-serve"
ticks=$(getconf CLK_TCK)

cpu() {  # CPU seconds of a process and its reaped children, from /proc/PID/stat
    awk -v t="$ticks" '{ sub(/^.*\) /, ""); print ($12 + $13 + $14 + $15) / t }' "/proc/$1/stat"
}
measure() {  # label, pid: "| label | CPU s in SECONDS s | % of one core |"
    sleep 5
    local before after
    before=$(cpu "$2"); sleep "$seconds"; after=$(cpu "$2")
    awk -v l="$1" -v b="$before" -v a="$after" -v s="$seconds" 'BEGIN { printf "| %s | %.2f s | %.2f %% |\n", l, a - b, (a - b) / s * 100 }'
}

"$hoso" init --data "$work/data-watch" >/dev/null
"$hoso" init --data "$work/data-serve" >/dev/null
cat > "$work/watch.yaml" <<YAML
stations:
  - id: scan-01
    inbox: $work/inbox-watch
    mode: inotify
YAML
cat > "$work/serve.yaml" <<YAML
stations:
  - id: scan-01
    inbox: $work/inbox-serve
    mode: poll
    poll_interval: 1
YAML
HOSO_CONFIG=$work/watch.yaml "$hoso" watch --data "$work/data-watch" >"$work/watch.log" 2>&1 &
watch=$!
HOSO_CONFIG=$work/serve.yaml HOSO_SERVER_PORT=0 "$hoso" serve --data "$work/data-serve" >"$work/serve.log" 2>&1 &
serve=$!
python3 -m http.server 0 --bind 127.0.0.1 >/dev/null 2>&1 &
anchor=$!
trap 'kill $watch $serve $anchor 2>/dev/null || true' EXIT

echo "| process (idle, $seconds s) | CPU | of one core |"
echo "|---|---|---|"
measure "hoso watch, 1 inotify station" $watch & first=$!
measure "hoso serve, 1 polled station (1 s)" $serve & second=$!
measure "python3 -m http.server (anchor)" $anchor & third=$!
wait $first $second $third
