#!/usr/bin/env python3
"""Time the STA artefact (istoilkovska/syncTA) on ONE file of its suite.

    python3 bench/sta-artefact.py SYNCTA_DIR algorithms/floodset.py

Runs, for that one file, exactly the procedure of the artefact's own run.py
(algorithms/) and run_counterexamples.py (counterexamples/) with the z3
solver: diameter.compute_diameter(alg, pkg, "z3", 0, 5) (candidate diameters
1..4, each times the algorithm's phase length), then
bmc.bounded_model_checking(alg, pkg, "z3", diameter). The run scripts only do
every file of a folder at once, so this driver imports the artefact's modules
and calls the same two functions for one file, timing them as run.py does
(time.time() around each call).

The artefact's modules are used unmodified. They run z3 through subprocess
("z3 -smt2 FILE", z3 taken from $PATH) and write their SMT files under
SYNCTA_DIR/smt/ (they resolve paths against the working directory, which is
why this driver changes into SYNCTA_DIR). Their helper.call_solver ignores its
timeout argument, so a time limit must come from outside (bench/sta-artefact.sh
runs this under `timeout`, which kills the whole process group, z3 included).

Prints one JSON object on the last line of stdout:
  {"file", "diameter", "result", "seconds", "diameter_seconds", "bmc_seconds"}
or, when the artefact itself reports an error, {"file", "error", ...} and
exits 2. The artefact's own progress prints go to stderr.
"""

import contextlib
import json
import os
import sys
import time


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: python3 sta-artefact.py SYNCTA_DIR PKG/ALG.py\n")
        return 64
    syncta = os.path.realpath(argv[1])
    rel = argv[2]
    pkg, fname = rel.split("/")
    if pkg not in ("algorithms", "counterexamples") or not fname.endswith(".py"):
        sys.stderr.write("expected algorithms/NAME.py or counterexamples/NAME.py, got %s\n" % rel)
        return 64
    alg = fname[:-3]

    os.chdir(syncta)
    sys.path.insert(0, syncta)

    out = {"file": rel}
    with contextlib.redirect_stdout(sys.stderr):
        import diameter
        import bmc

        start = time.time()
        err, diam = diameter.compute_diameter(alg, pkg, "z3", 0, 5)
        diam_time = time.time() - start
        out["diameter_seconds"] = round(diam_time, 3)
        if err == -1:
            out["error"] = "diameter not computed: %s" % diam
            out["seconds"] = round(diam_time, 3)
        else:
            out["diameter"] = diam
            start = time.time()
            err, result = bmc.bounded_model_checking(alg, pkg, "z3", diam)
            bmc_time = time.time() - start
            out["bmc_seconds"] = round(bmc_time, 3)
            out["seconds"] = round(diam_time + bmc_time, 3)
            if err == -1:
                out["error"] = "bounded model checking failed: %s" % result
            else:
                out["result"] = "; ".join(l.strip() for l in result.strip().splitlines())

    sys.stdout.write(json.dumps(out) + "\n")
    return 2 if "error" in out else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
