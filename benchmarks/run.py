"""Per-stage timings of the pipeline on seeded synthetic organisations; prints one JSON line.

    python -m benchmarks.run --orgs 1            # one organisation's site
    python -m benchmarks.run --orgs 100          # a 100-organisation portfolio
    python -m benchmarks.run --orgs 1000 --stages load,score   # scoring at scale, no site
    python -m benchmarks.run --orgs 100 --rebuild               # plus: edit one org, build again
    python -m benchmarks.run --orgs 1 --cold     # no compiled templates from earlier runs
    python -m benchmarks.run --orgs 100 --plain-pages   # the same sites with one-line pages
    python -m benchmarks.run --orgs 10 --engine zensical  # build with Material's successor
    python -m benchmarks.run --report --stages load      # the demo's report files against its site

The live preview (save → page served, beside a full build) is benchmarks/preview.py.

Stages: load (read + validate every answers file), score, render (Markdown for zh and en),
build (write pages and run MkDocs). "generator_share" is everything but MkDocs as a share of
the total; "pages_per_second" counts pages per language over the build stage.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

import yaml

from assessment.api import build_site, load_workspace, write_report
from assessment.build.site import epoch_of, write_site
from assessment.common import resources
from assessment.load.loader import load_bank
from assessment.render.lanes import render_site
from assessment.render.pages import KeptSite, Page, SiteLanguage
from assessment.score.scoring import score

from .synthetic import write_project


def _site_stats(out: Path, orgs: int) -> dict[str, float]:
    pages = [p for p in out.rglob("*.html") if "search" not in p.parts and p.name != "404.html"]
    pages = [p for p in pages if p.parent != out]
    total = sum(p.stat().st_size for p in pages)
    everything = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return {
        "html_pages": len(pages),
        "avg_page_kb": round(total / max(1, len(pages)) / 1024, 1),
        "output_mb": round(everything / 2**20, 1),
        "output_kb_per_org": round(everything / max(1, orgs) / 1024, 1),
    }


def _peak_memory() -> dict[str, float]:
    """Peak resident memory of this process and of its largest worker (the build runs one
    worker per core at a time, so the machine's peak is about self + workers x children)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"self_mb": round(own / 1024, 1), "largest_worker_mb": round(workers / 1024, 1)}


def _report_against_site() -> dict[str, float]:
    """The demo organisation (its 2026 audit) built as a site, then written as PDF and Word:
    what a consultant waits for, each from the answers file, in one run."""
    demo = resources.demo_answers().parent / "lanfeng-2026-audit.yaml"
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        build_site(demo, Path(tmp) / "site", cache=False)
        timings["site_build"] = time.perf_counter() - start
        for fmt in ("pdf", "docx"):
            # Each `cxassess report` is a process of its own: no pass of the collector over
            # what the stage before left behind falls into this one's time.
            gc.collect()
            start = time.perf_counter()
            write_report(demo, Path(tmp) / f"report.{fmt}", fmt=fmt, lang="zh")
            timings[fmt] = time.perf_counter() - start
    return {k: round(v, 2) for k, v in timings.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--orgs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--bank", default="gbt42509")
    parser.add_argument("--stages", default="load,score,render,build")
    parser.add_argument(
        "--rebuild", action="store_true", help="time a rebuild after editing one organisation"
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="start with no compiled templates kept from earlier runs (a first run on a machine)",
    )
    parser.add_argument("--engine", default="mkdocs", choices=["mkdocs", "zensical"])
    parser.add_argument(
        "--plain-pages",
        action="store_true",
        help="replace every page by its title and one line: what MkDocs and Material cost alone",
    )
    parser.add_argument(
        "--report",
        action="store_true",
        help="also time the demo organisation's site build and its report as PDF and Word",
    )
    args = parser.parse_args(argv)
    stages = set(args.stages.split(","))
    seconds: dict[str, float] = {}
    result: dict[str, object] = {"orgs": args.orgs, "seed": args.seed, "engine": args.engine}
    bank = load_bank(args.bank)
    with tempfile.TemporaryDirectory() as tmp:
        if args.cold:
            os.environ["CXASSESS_TEMPLATE_CACHE"] = str(Path(tmp) / "templates")
        result["templates"] = "cold" if args.cold else "kept from earlier runs"
        source = write_project(bank, args.orgs, args.seed, Path(tmp) / "answers")

        start = time.perf_counter()
        # As `cxassess build` loads its input: every answers file read, validated and scored,
        # each bank read once (one organisation: its answers file; more: a project file).
        workspace = load_workspace(source)
        seconds["load"] = time.perf_counter() - start
        assessments = [o.current.assessment for o in workspace.orgs]

        # Scoring alone (already part of "load"), to show what it costs at scale.
        start = time.perf_counter()
        for a in assessments:
            score(a.bank, a.answers)
        seconds["score"] = time.perf_counter() - start

        if "render" in stages or "build" in stages:
            start = time.perf_counter()
            sites = _all_rendered(render_site(workspace))
            seconds["render"] = time.perf_counter() - start
            if args.plain_pages:
                sites = _plain(sites)
                result["pages"] = "plain: a title and one line each"
            result["pages_per_language"] = sum(len(s.pages) for s in sites) // 2
            if "build" in stages:
                out = Path(tmp) / "site"
                epoch = epoch_of(max(a.answers.assessment.date for a in assessments))
                start = time.perf_counter()
                write_site(sites, out, default_lang="zh", epoch=epoch, engine=args.engine)
                seconds["build"] = time.perf_counter() - start
                result.update(_site_stats(out, args.orgs))
                generator = seconds["load"] + seconds["render"]  # "load" includes scoring
                result["generator_share"] = round(generator / (generator + seconds["build"]), 3)
                result["pages_per_second"] = round(
                    int(result["pages_per_language"]) / seconds["build"], 1
                )
                if args.rebuild:
                    first = Path(tmp) / "answers" / "org-0000.yaml"  # write_project's name
                    seconds["rebuild"], result["rebuild_sites"] = _rebuild(
                        source, first, out, args.engine
                    )
                    result["rebuild_share"] = round(
                        seconds["rebuild"] / (generator + seconds["build"]), 3
                    )
    if args.report:
        result["report"] = _report_against_site()
    result["bank"] = f"{bank.id} {bank.version} ({len(bank.questions)} questions)"
    result["seconds"] = {k: round(v, 3) for k, v in seconds.items()}
    # load already includes scoring; a rebuild is a second build, timed on its own
    result["total_seconds"] = round(
        sum(v for k, v in seconds.items() if k not in ("score", "rebuild")), 3
    )
    result["peak_memory"] = _peak_memory()
    result["python"] = platform.python_version()
    print(json.dumps(result))
    return 0


def _all_rendered(sites: tuple[SiteLanguage | KeptSite, ...]) -> tuple[SiteLanguage, ...]:
    rendered = tuple(s for s in sites if isinstance(s, SiteLanguage))
    if len(rendered) != len(sites):
        raise RuntimeError("a first build renders every site")
    return rendered


def _plain(sites: tuple[SiteLanguage, ...]) -> tuple[SiteLanguage, ...]:
    return tuple(
        dataclasses.replace(
            site,
            pages=tuple(Page(p.path, p.title, f"# {p.title}\n\nOne line.\n") for p in site.pages),
            key="",  # not what its key says it is rendered from: keyed by its pages
        )
        for site in sites
    )


def _rebuild(source: Path, first_answers: Path, out: Path, engine: str) -> tuple[float, str]:
    """Change one answer in the first organisation's answers file and run what
    `cxassess build` runs: load and score every file again, render the organisations the
    build cache does not hold, build those and place the others."""
    data = yaml.safe_load(first_answers.read_text(encoding="utf-8"))
    # An answer without a finding: a changed level then keeps the audit rules.
    answer = next(
        a
        for a in data["answers"].values()
        if isinstance(a.get("level"), int) and not a.get("finding")
    )
    answer["level"] = (answer["level"] + 1) % 6
    first_answers.write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    start = time.perf_counter()
    built = build_site(source, out, engine=engine)
    return time.perf_counter() - start, f"{built.built} built, {built.reused} reused"


if __name__ == "__main__":
    sys.exit(main())
