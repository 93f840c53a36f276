"""The benchmark runs end to end and reports consistent figures (no timing is asserted)."""

from __future__ import annotations

import json

from benchmarks.run import main


def test_benchmark_reports_every_stage(capsys):
    assert main(["--orgs", "2", "--rebuild", "--plain-pages"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result["seconds"]) == {
        "load",
        "score",
        "render",
        "build",
        "rebuild",
    }
    # two organisations' sites and the portfolio index, in zh and in en
    assert result["html_pages"] == 2 * result["pages_per_language"]
    assert (result["pages_per_language"] - 1) % 2 == 0  # the index and two equal sites
    assert 0 < result["generator_share"] < 1
    assert result["rebuild_share"] > 0


def test_a_rebuild_after_one_edit_builds_that_organisation_only(capsys):
    assert main(["--orgs", "3", "--rebuild"]) == 0
    result = json.loads(capsys.readouterr().out)
    built, reused = (int(part.split()[0]) for part in result["rebuild_sites"].split(", "))
    assert built + reused == 8  # three organisations and the portfolio index, in two languages
    # The edited organisation in both languages, and the index where its figures changed.
    assert built in (2, 4)


def test_phase_timings_cover_the_mkdocs_build(capsys):
    from benchmarks.phases import main as phases

    assert phases(["--orgs", "1"]) == 0
    benchmark, timings = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert {"markdown", "search", "search_parse", "templates", "mkdocs"} <= set(timings)
    # phases inside MkDocs builds cannot take longer than the builds
    assert (
        timings["markdown"] + timings["search"] < timings["mkdocs"] <= benchmark["seconds"]["build"]
    )


def test_the_report_is_timed_against_the_site_in_one_run(capsys):
    assert main(["--orgs", "1", "--stages", "load", "--report"]) == 0
    report = json.loads(capsys.readouterr().out)["report"]
    assert set(report) == {"site_build", "pdf", "docx"}
    assert all(seconds > 0 for seconds in report.values())


def test_speedups_are_measured_on_and_off_alternately(capsys):
    from benchmarks.speedups import main as speedups

    assert speedups(["--orgs", "1", "--pairs", "1", "raw_html"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["speedup"], r["mode"]) for r in lines] == [("raw_html", "on"), ("raw_html", "off")]
    assert all(r["result"]["pages_per_language"] > 0 for r in lines)


def test_import_benchmark_imports_what_it_generated(capsys):
    from benchmarks.bank_import import main as bank_import

    assert bank_import(["--nodes", "60", "--seed", "3"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result["seconds"]) == {"generate", "import", "answer", "build"}
    assert result["clauses"] == 60  # every node a clause: sections and requirements
    assert result["questions"] == 60 - 60 // 10  # the requirements, a tenth being sections
    assert result["html_pages"] > 2 * result["clauses"]
    assert 0 < result["import_share"] < 1


def test_the_preview_is_timed_beside_a_full_build(capsys):
    from benchmarks.preview import main as preview

    assert preview(["--edits", "2"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert len(result["save_to_served"]) == len(result["full_build"]) == 2
    assert len(result["save_to_reload"]) == 2
    # each edit rebuilt some pages of both languages, not the whole site
    assert len(result["serve_said"]) == 2
    assert all("page(s)" in line for line in result["serve_said"])


def test_yaml_read_reports_both_readers(capsys):
    from benchmarks.yaml_read import main as yaml_read

    assert yaml_read(["--repeat", "1"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["files"] == 9  # the bundled bank's manifest and eight question files
    assert result["cxassess_load_yaml_ms"] > 0
    assert result["pyyaml_safe_load_ms"] > 0
    assert result["load_bank_nothing_kept_ms"] > 0
