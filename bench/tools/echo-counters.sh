#!/usr/bin/env bash
# bench/tools/echo-counters.sh <variant> [-Dkey=value ...]
#
# Where one echo server's time goes: runs `bench/run io --quick --only tcp_echo_64b_c100
# --variants <variant> [-D...]` and, over 3 s of its measured phase, reads
#  - the server JVM's counters (perf stat: cycles, instructions, cache-misses, context switches),
#    printed per message, for the whole JVM and for its N busiest threads alone (N = the servers'
#    worker count, -Dveloq.bench.io.workers or the CPU count: the event loops / workers / carriers,
#    without the JIT compiler and GC threads, whose share varies from run to run);
#  - every busy thread of the server and of the load generator from /proc: CPU time, time spent
#    runnable but waiting for a CPU, voluntary and involuntary switches, and the CPU it was last on.
# The two runs of interest are usually a Veloq run and a netty_epoll run taken one after the other:
# the host's state changes over minutes (bench/README.md, "Two modes"), so only neighbours compare.
#
# perf's generic cache-misses event is whatever the CPU maps it to (AMD Zen: L2 misses; Intel:
# last-level misses); /sys/bus/event_source/devices/cpu/events/cache-misses names it. Without perf
# (Debian: apt-get install linux-perf) the counter line is left out and the rest is printed.
# Takes /tmp/veloq-bench.lock like the other benchmark helpers, so runs never overlap.
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: bench/tools/echo-counters.sh <variant> [-Dkey=value ...]   (variants: veloq, netty_epoll, netty_io_uring, jdk_vt_sockets)" >&2
  exit 2
fi
VARIANT=$1
shift
BENCH_DIR=$(cd "$(dirname "$0")/.." && pwd)
WINDOW=3
WORK=$(mktemp -d -t echo-counters.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

exec 9>/tmp/veloq-bench.lock
flock 9
"$BENCH_DIR/run" io --quick --only tcp_echo_64b_c100 --variants "$VARIANT" "$@" >"$WORK/run.log" 2>&1 &
RUN=$!

server="" generator=""
for _ in $(seq 480); do # the jar may be built first
  server=$(pgrep -f 'java.*EchoServerMain' | head -1 || true)
  generator=$(pgrep -f 'java.*EchoLoadGenerator' | head -1 || true)
  [ -n "$server" ] && [ -n "$generator" ] && break
  kill -0 "$RUN" 2>/dev/null || break
  sleep 0.25
done
if [ -z "$server" ] || [ -z "$generator" ]; then
  wait "$RUN" || true
  tail -n 20 "$WORK/run.log" >&2
  echo "echo-counters: the server or the load generator never started (the run's last lines are above)" >&2
  exit 1
fi
sleep 4 # past the load generator's start, connections and 3 s warm-up: inside the 5 s measured phase

# One line per thread: side tid name run-ns wait-ns voluntary involuntary last-cpu
snapshot() {
  local side pid task
  for side in server generator; do
    pid=${!side}
    for task in /proc/"$pid"/task/*; do
      {
        read -r run wait _ <"$task/schedstat"
        vol=$(awk '/^voluntary_ctxt_switches/ {print $2}' "$task/status")
        invol=$(awk '/^nonvoluntary_ctxt_switches/ {print $2}' "$task/status")
        cpu=$(sed 's/.*) //' "$task/stat" | awk '{print $37}')
        echo "$side ${task##*/} $(tr ' ' '_' <"$task/comm") $run $wait $vol $invol $cpu"
      } 2>/dev/null || true # a thread may end between the listing and the reads
    done
  done
}

snapshot >"$WORK/before"
if command -v perf >/dev/null 2>&1; then
  perf stat --per-thread -x, -e task-clock,cycles,instructions,cache-misses,context-switches -p "$server" \
    -- sleep "$WINDOW" 2>"$WORK/perf" >/dev/null || true
else
  sleep "$WINDOW"
fi
snapshot >"$WORK/after"
status=0
wait "$RUN" || status=$?
if [ "$status" -ne 0 ]; then
  tail -n 20 "$WORK/run.log" >&2
  echo "echo-counters: bench/run failed with status $status (its last lines are above)" >&2
  exit "$status"
fi

rate=$(grep -aE "\] tcp_echo_64b_c100 $VARIANT: " "$WORK/run.log" | grep -aoE '[0-9]+ msgs/s' | awk '{print $1}')
p99=$(grep -aE "\] tcp_echo_p99_64b_c100 $VARIANT: " "$WORK/run.log" | grep -aoE '[0-9.]+ us' | awk '{print $1}')
echo "echo-counters: $VARIANT${*:+ $*} — $rate msgs/s, p99 $p99 us; counters over ${WINDOW} s of the measured phase"
LOOPS=$(nproc)
for arg in "$@"; do
  case "$arg" in -Dveloq.bench.io.workers=*) LOOPS=${arg#*=} ;; esac
done
if [ -s "$WORK/perf" ] && grep -q ',task-clock,' "$WORK/perf" && ! grep -q 'not supported' "$WORK/perf"; then
  # perf stat --per-thread -x, lines: <comm>-<tid>,<value>,<unit>,<event>,...
  awk -F, -v rate="$rate" -v window="$WINDOW" -v loops="$LOOPS" '
    $2 ~ /^[0-9.]+$/ { total[$4] += $2; per[$1, $4] = $2; if ($4 == "task-clock") clock[$1] = $2 }
    function line(label, c, cy, ins, miss, cs,   n) {
      n = rate * window
      printf "%s: %.2f CPUs, %.0f cycles/msg, %.0f instructions/msg, IPC %.2f, %.1f cache-misses/msg, %.0f context switches/s\n",
        label, c / (window * 1000), cy / n, ins / n, (cy > 0 ? ins / cy : 0), miss / n, cs / window
    }
    END {
      line("server", total["task-clock"], total["cycles"], total["instructions"], total["cache-misses"],
        total["context-switches"])
      for (k = 0; k < loops; k++) { # the busiest threads, one at a time
        best = ""
        for (t in clock) if (!(t in taken) && (best == "" || clock[t] > clock[best])) best = t
        if (best == "") break
        taken[best] = 1; names = names (k ? " " : "") best
        c += clock[best]; cy += per[best, "cycles"]; ins += per[best, "instructions"]
        miss += per[best, "cache-misses"]; cs += per[best, "context-switches"]
      }
      line("its " k " busiest threads (" names ")", c, cy, ins, miss, cs)
    }' "$WORK/perf"
elif command -v perf >/dev/null 2>&1; then
  echo "server: perf could not count here ($(head -1 "$WORK/perf"))"
else
  echo "server: no perf on PATH, so no counters (Debian: apt-get install linux-perf)"
fi
echo "threads busy for more than 30 ms of the window (run = on a CPU, wait = runnable, waiting for one):"
awk '
  NR == FNR { key = $1 " " $2; run[key] = $4; wait[key] = $5; vol[key] = $6; invol[key] = $7; next }
  {
    key = $1 " " $2
    if (!(key in run)) next
    r = ($4 - run[key]) / 1e6
    if (r < 30) next
    printf "  %-9s %-18s run %6.0f ms  wait %6.0f ms  voluntary %7d  involuntary %7d  cpu %s\n",
      $1, $3, r, ($5 - wait[key]) / 1e6, $6 - vol[key], $7 - invol[key], $8
  }' "$WORK/before" "$WORK/after"
