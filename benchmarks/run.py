"""Per-stage timings of the pipeline on seeded synthetic organisations; prints one JSON line.

    python -m benchmarks.run --orgs 1 --seed 42
    python -m benchmarks.run --orgs 1000 --stages load,score   # scoring at scale, no site

Stages: load (read + validate every answers file), score, render (Markdown for zh and en),
build (write pages and run MkDocs for each organisation's site).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

from assessment.build import epoch_of, write_site
from assessment.load import load_assessment, load_bank
from assessment.render import render_site
from assessment.score import score

from .synthetic import write_organisations


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orgs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--bank", default="gbt42509")
    parser.add_argument("--stages", default="load,score,render,build")
    args = parser.parse_args(argv)
    stages = set(args.stages.split(","))
    timings: dict[str, float] = {}
    bank = load_bank(args.bank)
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_organisations(bank, args.orgs, args.seed, Path(tmp) / "answers")

        start = time.perf_counter()
        assessments = [load_assessment(p, bank=bank) for p in paths]
        timings["load"] = time.perf_counter() - start

        start = time.perf_counter()
        cards = [score(a.bank, a.answers) for a in assessments]
        timings["score"] = time.perf_counter() - start

        pages = 0
        if "render" in stages or "build" in stages:
            start = time.perf_counter()
            sites = [render_site(a, c) for a, c in zip(assessments, cards, strict=True)]
            timings["render"] = time.perf_counter() - start
            pages = sum(len(s.pages) for site in sites for s in site)
            if "build" in stages:
                start = time.perf_counter()
                for a, site in zip(assessments, sites, strict=True):
                    out = Path(tmp) / "sites" / a.answers.organisation.id
                    write_site(site, out, default_lang="zh", epoch=epoch_of(a.answers.assessment.date))
                timings["build"] = time.perf_counter() - start
    result = {
        "orgs": args.orgs,
        "seed": args.seed,
        "bank": f"{bank.id} {bank.version}",
        "questions": len(bank.questions),
        "pages": pages,
        "seconds": {k: round(v, 4) for k, v in timings.items()},
        "python": platform.python_version(),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
