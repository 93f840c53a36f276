"""A/B of the speed-ups: for each named speed-up, PAIRS pairs of `benchmarks.run` runs with
every speed-up on and with all but that one, alternating; one JSON line per run.

    python -m benchmarks.speedups --orgs 100 --pairs 3 raw_html search_sections

benchmarks/results/ keeps the lines behind the figures in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="+")
    parser.add_argument("--orgs", type=int, default=100)
    parser.add_argument("--pairs", type=int, default=3)
    args = parser.parse_args(argv)
    for name in args.names:
        for pair in range(1, args.pairs + 1):
            for mode, setting in (("on", "all"), ("off", f"all,-{name}")):
                env = {**os.environ, "CXASSESS_SPEEDUPS": setting}
                run = subprocess.run(  # noqa: S603 - a fixed command
                    [sys.executable, "-m", "benchmarks.run", "--orgs", str(args.orgs)],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                result = json.loads(run.stdout.strip().splitlines()[-1])
                line = {"speedup": name, "pair": pair, "mode": mode, "result": result}
                print(json.dumps(line), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
