#!/usr/bin/env bash
# Runs every test of the project: the Rust workspace (core, CLI, the app's IPC on the
# mock runtime, end-to-end tests of the real window) and the UI modules under Node,
# against the app on the mock runtime (tests/bridge/ipc_bridge.rs).
# On Linux without a display it starts Xvfb for the window tests.
set -euo pipefail
cd "$(dirname "$0")/.."

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# The processes this run starts that must not outlive it: the WebDriver pair, the app
# (and its WebKit helpers), the IPC bridge of the node tests. Listed by name (the
# kernel's 15-character process names) in this shell's session, so the same programs
# run by someone else, or by another run in another terminal, are not counted; what
# was already running here before the run is not counted either.
session=$(ps -o sid= -p $$ 2>/dev/null | tr -d ' ' || true)
ours() {
  [ -n "$session" ] || return 0
  pgrep -s "$session" -l '^(WebKitWebDriver|WebKitWebProces|WebKitNetworkPr|tauri-driver|privacy-regist|ipc-bridge|ipc_bridge)' 2>/dev/null | sort || true
}
before=$(ours)

if [ "$(uname -s)" = Linux ] && [ -z "${DISPLAY:-}" ] && command -v Xvfb >/dev/null; then
  n=99
  while [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; do n=$((n - 1)); done
  Xvfb ":$n" -screen 0 1280x900x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  trap 'kill "$xvfb_pid" 2>/dev/null; rm -f "$log"' EXIT
  export DISPLAY=":$n"
  sleep 1
fi

echo "== tidy checks (tests/tidy.sh): no Tauri below the shell, the core's write path, one vocabulary"
bash tests/tidy.sh

echo "== Rust: cargo test --workspace"
cargo test --workspace 2>&1 | tee "$log"

# The node suites talk to the real app through the ipc-bridge example, which the cargo
# test run above has built into the same target dir (CARGO_TARGET_DIR is honoured by
# both); each test file starts one bridge and it ends with the file.
echo "== UI modules against the real backend: node --test tests/ui/"
node --test tests/ui/ 2>&1 | tee -a "$log"

# Nothing this run started may be left (tests/e2e.rs ends and reaps its process groups;
# tests/ui/bridge.mjs waits for its bridge). A process still ending gets a few seconds.
left=""
for _ in $(seq 1 60); do
  left=$(comm -13 <(printf '%s\n' "$before") <(ours) | sed '/^$/d')
  [ -z "$left" ] && break
  sleep 0.5
done
if [ -n "$left" ]; then
  echo "run.sh: processes started by the tests are still running (pid name):" >&2
  printf '%s\n' "$left" | sed 's/^/  /' >&2
  exit 1
fi

passed=$(grep -Eo 'test result: ok\. [0-9]+ passed' "$log" | awk '{s += $4} END {print s + 0}')
node_pass=$(grep -Eo '^# pass [0-9]+' "$log" | awk '{s += $3} END {print s + 0}')
echo
echo "all: $((passed + node_pass)) passed, 0 failed"
