#!/usr/bin/env bash
# bench/tools/install-io-tools.sh — installs what `bench/run io` needs outside Maven: fio (the
# io_uring floor of the file scenarios), from the Debian packages. bench/run calls it for the io suite.
#
# Does nothing when fio is already on PATH. Otherwise, as root, runs `apt-get update` once and
# `apt-get install -y fio` (their output goes to a log, shown if they fail); without root or apt-get
# it stops with a message saying what to install. Exit status: 0 when fio is usable afterwards,
# 1 otherwise. (Netty, the other bench-only dependency, comes from Maven Central through
# bench/pom.xml when bench/run builds the jar.)
set -euo pipefail

if command -v fio >/dev/null 2>&1; then
  exit 0
fi

fail() {
  echo "install-io-tools: $1" >&2
  echo "install-io-tools: the fio variants of bench/run io will fail; install fio (Debian/Ubuntu: 'apt-get install fio') and run again." >&2
  exit 1
}

if [ "$(id -u)" -ne 0 ]; then
  fail "fio is not installed, and this is not root (uid $(id -u)), so it cannot be installed here"
fi
if ! command -v apt-get >/dev/null 2>&1; then
  fail "fio is not installed, and there is no apt-get on this system"
fi

LOG=$(mktemp -t install-io-tools.XXXXXX.log)
trap 'rm -f "$LOG"' EXIT
run_logged() { # runs "$@" with its output in $LOG; on failure shows the log's tail and fails
  if ! "$@" >"$LOG" 2>&1; then
    tail -n 20 "$LOG" >&2
    fail "'$*' failed (its last lines are above)"
  fi
}

echo "install-io-tools: fio is missing; installing it from the Debian packages (apt-get update; apt-get install -y fio) ..." >&2
export DEBIAN_FRONTEND=noninteractive
run_logged apt-get update
run_logged apt-get install -y fio
command -v fio >/dev/null 2>&1 || fail "apt-get installed fio, but it is still not on PATH ($PATH)"
echo "install-io-tools: installed $(fio --version)" >&2
