#!/usr/bin/env bash
# libFuzzer campaigns over guestguard's parsers (docs/fuzzing.md).
#   scripts/fuzz.sh --list                 the targets, one a line, with what each checks
#   scripts/fuzz.sh TARGET SECONDS         build, then fuzz one target for SECONDS
#   scripts/fuzz.sh --all SECONDS          build, then fuzz every target for SECONDS each, one after another
# Prints execs, exec/s, coverage and crashes per target; exits non-zero on any crash, leak, sanitizer
# report or invariant failure (the input is kept as .build-fuzz/runs/TARGET/crash-*).
# Environment: FUZZ_NO_BUILD=1 skips the build; FUZZ_ARGS adds libFuzzer flags (e.g. -jobs=1 -workers=1).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=$root/.build-fuzz
bin=$scratch/release/GuestGuardFuzz
export GG_FUZZ_PEER=$root/fuzz/peer.py
# The Swift runtime's crash backtracer reads other stacks, which ASan reports; libFuzzer prints its own.
export SWIFT_BACKTRACE=enable=no
# Symbolized sanitizer reports with the toolchain's own llvm-symbolizer (no Debian llvm package needed).
toolchain_symbolizer=$(dirname "$(command -v swift)")/llvm-symbolizer
[[ -x $toolchain_symbolizer ]] && export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-$toolchain_symbolizer}

build() {
  [[ ${FUZZ_NO_BUILD:-0} == 1 && -x $bin ]] && return 0
  echo "fuzz: building GuestGuardFuzz (libFuzzer + AddressSanitizer) in $scratch"
  local start=$SECONDS
  # -sanitize=fuzzer,address instruments every Swift module for coverage and ASan (LeakSanitizer
  # included) and links compiler-rt's libFuzzer from the toolchain; -DGUESTGUARD_LIBFUZZER selects
  # the libFuzzer main; Extern enables @_extern(c) for LLVMFuzzerRunDriver; -enable-testing lets the
  # HTTP targets reach the server and client pipelines' internal handlers.
  if ! (cd "$root" && swift build -c release --product GuestGuardFuzz --scratch-path "$scratch" \
      -Xswiftc -sanitize=fuzzer,address -Xswiftc -DGUESTGUARD_LIBFUZZER \
      -Xswiftc -enable-experimental-feature -Xswiftc Extern -Xswiftc -enable-testing \
      > "$scratch.log" 2>&1); then
    grep -v "Cannot export local symbol" "$scratch.log" | tail -40
    echo "fuzz: build failed (full log: $scratch.log)"
    exit 1
  fi
  echo "fuzz: built in $((SECONDS - start)) s"
}

targets() { "$bin" --list | cut -f1; }

# Per-target libFuzzer options: input size bound and dictionary.
options_for() {
  case $1 in
    report|diff-report) echo "-max_len=4096" ;;
    certtable) echo "-max_len=16384" ;;
    kbs-json|diff-jcs) echo "-max_len=8192 -dict=$root/fuzz/dict/json.dict" ;;
    jwe) echo "-max_len=8192 -dict=$root/fuzz/dict/json.dict" ;;
    luks2) echo "-max_len=8192 -dict=$root/fuzz/dict/luks2.dict" ;;
    http-server|http-client) echo "-max_len=4096 -dict=$root/fuzz/dict/http.dict" ;;
    toml|diff-toml) echo "-max_len=4096 -dict=$root/fuzz/dict/toml.dict" ;;
    tpm|x509|crl) echo "-max_len=4096" ;;
    *) echo "-max_len=4096" ;;
  esac
}

failures=0
summary=()

run_target() {
  local target=$1 seconds=$2
  local run=$scratch/runs/$target corpus=$scratch/corpus/$target seeds=$root/fuzz/corpus/$target
  mkdir -p "$run" "$corpus" "$seeds"
  local log=$run/fuzz.log rc=0
  touch "$run/.started"   # artifacts of earlier runs in $run do not count against this one
  # shellcheck disable=SC2046,SC2086
  (cd "$run" && GG_FUZZ_TARGET=$target "$bin" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 \
      -rss_limit_mb=2048 -artifact_prefix="$run/" $(options_for "$target") ${FUZZ_ARGS:-} "$corpus" "$seeds") \
      > "$log" 2>&1 || rc=$?
  local execs rate cov ft crashes
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  crashes=$(find "$run" -maxdepth 1 -newer "$run/.started" \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  local verdict=ok
  if (( rc != 0 || crashes > 0 )) || grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|==ERROR|deadly signal|Fatal error|fuzz invariant' "$log"; then
    verdict=FAILED
    failures=$((failures + 1))
    { grep -E 'ERROR|Fatal error|fuzz invariant|Test unit written' "$log" || true; } | head -8 | sed 's/^/    /'
  fi
  local line
  line=$(printf '%-12s %-6s execs %-9s exec/s %-6s cov %-6s ft %-6s crashes %s  (%s)' \
    "$target" "$verdict" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "$crashes" "$log")
  echo "$line"
  summary+=("$line")
}

case ${1:-} in
  --list)
    build >&2
    "$bin" --list
    ;;
  --all)
    seconds=${2:?usage: scripts/fuzz.sh --all SECONDS}
    build
    for target in $(targets); do run_target "$target" "$seconds"; done
    ;;
  ""|-h|--help)
    sed -n '2,9p' "$0"
    exit 2
    ;;
  *)
    target=$1 seconds=${2:?usage: scripts/fuzz.sh TARGET SECONDS}
    build
    targets | grep -qx "$target" || { echo "fuzz: unknown target $target; scripts/fuzz.sh --list"; exit 2; }
    run_target "$target" "$seconds"
    ;;
esac
if [[ ${1:-} != --list ]]; then
  echo "fuzz: ${#summary[@]} target(s), $failures failed"
  (( failures == 0 ))
fi
