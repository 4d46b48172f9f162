#!/usr/bin/env bash
# Tidy checks: the architecture's invariants that the compiler does not enforce. Each
# check prints what broke it and where; the script exits non-zero if any did.
#
# 1. The core and reports crates depend on no Tauri crate.
# 2. The core's write path is the core's: outside src-tauri/core, no source file writes
#    SQL or audit events, and no crate but the core depends on rusqlite (tests may, to
#    tamper with a file as an outsider would).
#    Inside the core, the subjects and records tables are written from one module.
# 3. One vocabulary: closed lists are declared through the core's `closed_list!` macro,
#    not with hand-written `as_str`/`parse` pairs, and the shell has no
#    `if lang == "nb"` branches (labels come from the core's label table).
set -uo pipefail
cd "$(dirname "$0")/.."

failed=0
fail() {
  echo "tidy: $1" >&2
  [ $# -gt 1 ] && printf '%s\n' "$2" | sed 's/^/  /' >&2
  failed=1
}

# 1. No Tauri below the shell.
for crate in privreg-core privreg-reports; do
  if cargo tree -p "$crate" -e normal --prefix none 2>/dev/null | grep -qi '^tauri'; then
    fail "$crate depends on Tauri"
  fi
done

# 2. The write path. Source files of the shell, the CLI and the reports crate.
outside=(src-tauri/app src-tauri/cli/src src-tauri/reports/src)
sql='(INSERT[[:space:]]+INTO|UPDATE[[:space:]]+[a-z_]+[[:space:]]+SET|DELETE[[:space:]]+FROM|CREATE[[:space:]]+(TABLE|INDEX|TRIGGER)|DROP[[:space:]]+(TABLE|TRIGGER)|execute_batch|\.execute\(|\.prepare(_cached)?\()'
hits=$(grep -rnE --include='*.rs' "$sql" "${outside[@]}" 2>/dev/null)
[ -n "$hits" ] && fail "SQL outside the core (add a verb to privreg-core instead):" "$hits"
hits=$(grep -rnE --include='*.rs' '(NewEvent|audit::append|\.audit\(tx|\bCtx\b|rusqlite::)' "${outside[@]}" 2>/dev/null)
[ -n "$hits" ] && fail "audit events or raw storage outside the core:" "$hits"
for manifest in Cargo.toml src-tauri/cli/Cargo.toml src-tauri/reports/Cargo.toml; do
  deps=$(awk '/^\[dependencies\]/{on=1; next} /^\[/{on=0} on' "$manifest")
  if printf '%s\n' "$deps" | grep -q '^rusqlite'; then
    fail "$manifest depends on rusqlite: only the core opens the database"
  fi
done

# Inside the core, each table is written from one module: `subjects` and `records` from
# store/subjects.rs (migrations create them; the benchmark's raw floor writes its own
# copy on purpose).
hits=$(grep -rnE --include='*.rs' '(INSERT( OR [A-Z]+)? INTO|UPDATE|DELETE FROM) (subjects|records)\b' src-tauri/core/src \
  | grep -vE 'src-tauri/core/src/(store/subjects|store/migrations|bench)\.rs' || true)
[ -n "$hits" ] && fail "the subjects or records table written outside store/subjects.rs:" "$hits"

# 3. One vocabulary.
hits=$(grep -rnE --include='*.rs' 'lang == "nb"|lang == "en"|Lang::Nb =>.*"[A-ZÆØÅ]' src-tauri/app 2>/dev/null)
[ -n "$hits" ] && fail "language branches in the shell (use the core's label table):" "$hits"
# Lenient parsers of what a person types are not closed lists: a language tag ("nb-NO"),
# an encoding's many names ("cp1252"), a recovery key, a CSV column target, an export.
hits=$(grep -rnE --include='*.rs' 'pub fn (as_str|parse)\(' src-tauri/core/src src-tauri/reports/src \
  | grep -vE 'src-tauri/core/src/(vocab|lang|secret)\.rs|transfer/(mapping|csv|export)\.rs' || true)
[ -n "$hits" ] && fail "a closed list with hand-written as_str/parse (declare it with closed_list!):" "$hits"


if [ "$failed" -ne 0 ]; then
  exit 1
fi
echo "tidy: ok"
