#!/usr/bin/env bash
# Run the STA artefact (Stoilkovska, Konnov, Widder, Zuleger, TACAS 2019;
# github.com/istoilkovska/syncTA) on this machine, one suite file at a time,
# and record its times in bench/sta-artefact.json, for bench/sta.ts to show
# beside bftsynth's own time per algorithm (the paper's published table could
# not be found, so the artefact's times are measured here instead).
#
#   bench/sta-artefact.sh SYNCTA_DIR        (or SYNCTA_DIR=... bench/sta-artefact.sh)
#
# SYNCTA_DIR is a work tree of the artefact, e.g.
#   git clone https://github.com/istoilkovska/syncTA /tmp/syncta
# or, from the local mirror,
#   mkdir -p /tmp/syncta && git -C /work/.mirror/istoilkovska+syncTA/repo archive HEAD | tar -x -C /tmp/syncta
#
# For every file of algorithms/ and counterexamples/ (sorted, sequentially),
# bench/sta-artefact.py runs the artefact's own procedure for that one file --
# diameter.compute_diameter then bmc.bounded_model_checking with z3, as its
# run.py / run_counterexamples.py do -- under `timeout` (TIMEOUT seconds per
# file, default 600). The artefact's Python is used unmodified (it runs under
# Python 3 as is); it writes its SMT files under SYNCTA_DIR/smt/.
#
# Output (OUT, default bench/sta-artefact.json):
#   { "measured": "<date>, machine: nproc N, <z3 --version>, ...",
#     "files":    { "algorithms/floodset.py": { "seconds", "diameter", "result",
#                   "diameter_seconds", "bmc_seconds", "wall_seconds" }, ... },
#     "failures": { "<file>": { "reason", "wall_seconds" }, ... } }
# "seconds" is diameter + BMC time as the artefact's run scripts measure it;
# "wall_seconds" is the whole `python3 bench/sta-artefact.py` process.
#
# Environment: SYNCTA_DIR, TIMEOUT (default 600), OUT, SYNCTA_COMMIT (recorded
# as the artefact's commit when SYNCTA_DIR has no .git), ONLY (space-separated
# file list such as "algorithms/floodset.py", for trying a few files; the JSON
# then holds only those).
# Without a SYNCTA_DIR it prints how to get one and exits 0, touching nothing.

set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
syncta="${1:-${SYNCTA_DIR:-}}"
timeout_s="${TIMEOUT:-600}"
out="${OUT:-$here/sta-artefact.json}"

if [[ -z "$syncta" || ! -f "$syncta/diameter.py" || ! -f "$syncta/bmc.py" || ! -d "$syncta/algorithms" ]]; then
  cat <<EOF
bench/sta-artefact.sh: no syncTA work tree given (argument or SYNCTA_DIR); nothing done.
Get one with
  git clone https://github.com/istoilkovska/syncTA /tmp/syncta
or, from the local mirror,
  mkdir -p /tmp/syncta && git -C /work/.mirror/istoilkovska+syncTA/repo archive HEAD | tar -x -C /tmp/syncta
then run
  bench/sta-artefact.sh /tmp/syncta
It needs python3 and z3 on PATH.
EOF
  exit 0
fi
syncta="$(cd "$syncta" && pwd)"

for tool in python3 z3 timeout; do
  command -v "$tool" >/dev/null || { echo "bench/sta-artefact.sh: $tool not found on PATH" >&2; exit 1; }
done

commit="${SYNCTA_COMMIT:-}"
if [[ -z "$commit" ]] && git -C "$syncta" rev-parse HEAD >/dev/null 2>&1; then
  commit="$(git -C "$syncta" rev-parse HEAD)"
fi

if [[ -n "${ONLY:-}" ]]; then
  read -r -a files <<<"$ONLY"
else
  files=()
  for f in "$syncta"/algorithms/*.py "$syncta"/counterexamples/*.py; do
    b="$(basename "$f")"
    [[ "$b" == _* ]] && continue
    files+=("$(basename "$(dirname "$f")")/$b")
  done
fi

cpu="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || true)"
measured="$(date -u +%Y-%m-%dT%H:%M:%SZ), machine: nproc $(nproc), ${cpu:-cpu unknown}, $(z3 --version) ($(command -v z3)), $(python3 --version 2>&1), load average at start $(cut -d' ' -f1-3 /proc/loadavg)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
: >"$work/results.jsonl"

echo "STA artefact at $syncta${commit:+ (commit $commit)}; ${#files[@]} files, timeout ${timeout_s}s each" >&2
for rel in "${files[@]}"; do
  echo -n "  $rel ... " >&2
  t0="$(date +%s.%N)"
  set +e
  timeout -k 10 "$timeout_s" python3 "$here/sta-artefact.py" "$syncta" "$rel" >"$work/out" 2>"$work/err"
  rc=$?
  set -e
  t1="$(date +%s.%N)"
  REL="$rel" RC="$rc" T0="$t0" T1="$t1" TIMEOUT_S="$timeout_s" python3 - "$work/out" "$work/err" >>"$work/results.jsonl" <<'PY'
import json, os, sys
rel, rc = os.environ["REL"], int(os.environ["RC"])
wall = round(float(os.environ["T1"]) - float(os.environ["T0"]), 3)
out = open(sys.argv[1]).read().strip().splitlines()
err = open(sys.argv[2]).read().strip().splitlines()
rec = None
if out:
    try:
        rec = json.loads(out[-1])
    except ValueError:
        rec = None
if rc == 0 and rec is not None and "error" not in rec:
    rec.pop("file", None)
    rec["wall_seconds"] = wall
    print(json.dumps({"ok": True, "file": rel, "rec": rec}))
else:
    if rc in (124, 137):
        reason = "timeout after %s s (killed)" % os.environ["TIMEOUT_S"]
    elif rec is not None and "error" in rec:
        reason = rec["error"]
    else:
        reason = "exit %d: %s" % (rc, " | ".join(err[-3:]) or "no output")
    fail = {"reason": reason, "wall_seconds": wall}
    if rec is not None:
        for k in ("diameter", "diameter_seconds", "bmc_seconds"):
            if k in rec:
                fail[k] = rec[k]
    print(json.dumps({"ok": False, "file": rel, "rec": fail}))
PY
  tail -n1 "$work/results.jsonl" | python3 -c 'import json,sys; r=json.load(sys.stdin); x=r["rec"]; print(("%.2fs diameter %s: %s" % (x["seconds"], x["diameter"], x["result"])) if r["ok"] else "FAILED: " + x["reason"])' >&2
done

MEASURED="$measured, load average at end $(cut -d' ' -f1-3 /proc/loadavg)" COMMIT="$commit" TIMEOUT_S="$timeout_s" python3 - "$work/results.jsonl" >"$work/final.json" <<'PY'
import json, os, sys
files, failures = {}, {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    (files if r["ok"] else failures)[r["file"]] = r["rec"]
doc = {
    "measured": os.environ["MEASURED"],
    "artefact": "github.com/istoilkovska/syncTA" + (" @ " + os.environ["COMMIT"] if os.environ["COMMIT"] else ""),
    "procedure": "per file: diameter.compute_diameter(alg, pkg, 'z3', 0, 5) then bmc.bounded_model_checking(alg, pkg, 'z3', diameter), as run.py / run_counterexamples.py; files run sequentially; seconds = diameter + BMC as the run scripts time them, wall_seconds = whole python3 process",
    "adaptations": "none: the artefact's Python runs unmodified under Python 3; bench/sta-artefact.py calls its two functions for one file (run.py itself would stop at output.write of the tuple bounded_model_checking returns)",
    "timeout_seconds": int(os.environ["TIMEOUT_S"]),
    "files": files,
    "failures": failures,
}
json.dump(doc, sys.stdout, indent=2)
sys.stdout.write("\n")
PY
mv "$work/final.json" "$out"
echo "wrote $out (${#files[@]} files)" >&2
