"""Per-stage timings of the pipeline on seeded synthetic organisations; prints one JSON line.

    python -m benchmarks.run --orgs 1            # one organisation's site
    python -m benchmarks.run --orgs 100          # a 100-organisation portfolio
    python -m benchmarks.run --orgs 1000 --stages load,score   # scoring at scale, no site
    python -m benchmarks.run --orgs 100 --rebuild               # plus: edit one org, build again
    python -m benchmarks.run --orgs 1 --cold     # no compiled templates from earlier runs
    python -m benchmarks.run --orgs 100 --plain-pages   # the same sites with one-line pages
    python -m benchmarks.run --orgs 10 --engine zensical  # build with Material's successor

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
import sys
import tempfile
import time
from pathlib import Path

from assessment.build import cache_lookup, epoch_of, write_site
from assessment.load import Banks, load_assessment, load_bank
from assessment.portfolio import build_portfolio
from assessment.render import LANGUAGES, KeptSite, Page, SiteLanguage, render_site
from assessment.score import score
from assessment.workspace import OrgReport, Round, Workspace

from .synthetic import write_organisations


def _site_stats(out: Path) -> dict[str, float]:
    pages = [p for p in out.rglob("*.html") if "search" not in p.parts and p.name != "404.html"]
    pages = [p for p in pages if p.parent != out]
    total = sum(p.stat().st_size for p in pages)
    return {"html_pages": len(pages), "avg_page_kb": round(total / max(1, len(pages)) / 1024, 1)}


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
    args = parser.parse_args(argv)
    stages = set(args.stages.split(","))
    seconds: dict[str, float] = {}
    result: dict[str, object] = {"orgs": args.orgs, "seed": args.seed, "engine": args.engine}
    bank = load_bank(args.bank)
    with tempfile.TemporaryDirectory() as tmp:
        if args.cold:
            os.environ["CXASSESS_TEMPLATE_CACHE"] = str(Path(tmp) / "templates")
        result["templates"] = "cold" if args.cold else "kept from earlier runs"
        paths = write_organisations(bank, args.orgs, args.seed, Path(tmp) / "answers")

        start = time.perf_counter()
        # As `cxassess build` loads a project: the bank each file names is found and read
        # once for all of them.
        banks = Banks()
        assessments = [load_assessment(p, banks=banks) for p in paths]
        seconds["load"] = time.perf_counter() - start

        start = time.perf_counter()
        cards = [score(a.bank, a.answers) for a in assessments]
        seconds["score"] = time.perf_counter() - start
        # The same scoring with the loaded answers moved out of the cycle collector's way, as
        # a long-running batch would: shows how much of "score" is the collector walking
        # every loaded model.
        gc.freeze()
        start = time.perf_counter()
        for a in assessments:
            score(a.bank, a.answers)
        seconds["score_gc_frozen"] = time.perf_counter() - start
        gc.unfreeze()

        if "render" in stages or "build" in stages:
            orgs = tuple(
                OrgReport(a.answers.organisation.id, (Round(a, c),), None)
                for a, c in zip(assessments, cards, strict=True)
            )
            portfolio = (
                build_portfolio([(o.id, o.name, o.current.card) for o in orgs], False)
                if len(orgs) > 1
                else None
            )
            workspace = Workspace("Benchmark portfolio", "zh", orgs, portfolio)
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
                result.update(_site_stats(out))
                generator = seconds["load"] + seconds["score"] + seconds["render"]
                result["generator_share"] = round(generator / (generator + seconds["build"]), 3)
                result["pages_per_second"] = round(
                    int(result["pages_per_language"]) / seconds["build"], 1
                )
                if args.rebuild:
                    seconds["rebuild"] = _rebuild(workspace, out, epoch, args.engine)
                    result["rebuild_share"] = round(
                        seconds["rebuild"] / (generator + seconds["build"]), 3
                    )
    result["bank"] = f"{bank.id} {bank.version} ({len(bank.questions)} questions)"
    result["seconds"] = {k: round(v, 3) for k, v in seconds.items()}
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


def _rebuild(workspace: Workspace, out: Path, epoch: int, engine: str) -> float:
    """Change one answer of the first organisation and build again as `cxassess build` does:
    sites the build cache holds are neither rendered nor built."""
    first = workspace.orgs[0].current
    qid = next(iter(first.assessment.answers.answers))
    answer = first.assessment.answers.answers[qid]
    level = answer.level if isinstance(answer.level, int) else 0
    edited_answer = answer.model_copy(update={"level": (level + 1) % 6, "reason": None})
    answers = first.assessment.answers.model_copy(
        update={"answers": {**first.assessment.answers.answers, qid: edited_answer}}
    )
    start = time.perf_counter()
    assessment = first.assessment.__class__(first.assessment.bank, answers, first.assessment.source)
    org = OrgReport(
        workspace.orgs[0].id, (Round(assessment, score(assessment.bank, answers)),), None
    )
    orgs = (org, *workspace.orgs[1:])
    portfolio = (
        build_portfolio([(o.id, o.name, o.current.card) for o in orgs], False)
        if len(orgs) > 1
        else None
    )
    edited = Workspace(workspace.title, workspace.default_lang, orgs, portfolio)
    # As `cxassess build` does: organisations the build cache holds are not rendered again.
    kept = cache_lookup(out, engine=engine, epoch=epoch, languages=LANGUAGES)
    write_site(render_site(edited, kept), out, default_lang="zh", epoch=epoch, engine=engine)
    return time.perf_counter() - start


if __name__ == "__main__":
    sys.exit(main())
