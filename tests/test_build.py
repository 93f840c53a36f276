"""End to end: answers file to a built bilingual site; deterministic; atomic on failure."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest
import yaml

from assessment import api
from assessment.build import site as build
from assessment.common.errors import BuildError, InputError
from tests.conftest import FIXTURES, MINI_ANSWERS


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("mini") / "site"
    api.build_site(MINI_ANSWERS, out, search=[FIXTURES])
    return out


def test_site_has_both_languages_and_a_landing_page(mini_site):
    for lang in ("zh", "en"):
        for page in (
            "index.html",
            "areas/alpha/index.html",
            "roadmap/index.html",
            "methodology/index.html",
        ):
            assert (mini_site / lang / page).is_file(), f"{lang}/{page}"
    landing = (mini_site / "index.html").read_text()
    assert 'url=zh/"' in landing
    assert (mini_site / build.MARKER).is_file()


def test_pages_are_pruned_and_offline(mini_site):
    html = (mini_site / "en" / "index.html").read_text()
    assert "fonts.googleapis" not in html
    assert "fonts.gstatic" not in html
    assert '<html lang="en"' in html
    assert '<html lang="zh"' in (mini_site / "zh" / "index.html").read_text()
    assert 'hreflang="zh"' in html  # the language switcher
    assert "<svg" in html
    assert "cx-radar" in html


def test_language_links_lead_to_the_same_page_without_a_script(mini_site):
    """Read as a link checker or a browser without JavaScript reads them: every page's link
    to the other language names that page there, and the page exists."""
    pages = list((mini_site / "en").rglob("index.html"))
    assert len(pages) > 10
    for lang, other in (("en", "zh"), ("zh", "en")):
        for page in (mini_site / lang).rglob("index.html"):
            html = page.read_text(encoding="utf-8")
            found = re.search(rf'<a href="([^"]+)" hreflang="{other}"', html)
            assert found, page
            target = (page.parent / found.group(1)).resolve() / "index.html"
            same = mini_site / other / page.relative_to(mini_site / lang)
            assert target == same.resolve(), page
            assert target.is_file()


def test_same_inputs_give_a_byte_identical_site(mini_site, tmp_path):
    again = tmp_path / "again"
    api.build_site(MINI_ANSWERS, again, search=[FIXTURES])
    assert tree_digest(again) == tree_digest(mini_site)


def test_failed_build_leaves_previous_site_untouched(tmp_path, monkeypatch):
    out = tmp_path / "site"
    api.build_site(MINI_ANSWERS, out, search=[FIXTURES])
    before = tree_digest(out)
    edited = tmp_path / "edited.yaml"
    edited.write_text(MINI_ANSWERS.read_text().replace("level: 2", "level: 3"))

    def broken(config_file: Path, **_: object) -> None:
        raise BuildError("simulated failure")

    monkeypatch.setitem(build.ENGINES, "mkdocs", broken)
    monkeypatch.setenv("CXASSESS_BUILD_WORKERS", "1")
    with pytest.raises(BuildError):
        api.build_site(edited, out, search=[FIXTURES])
    assert tree_digest(out) == before
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [".site.cache", "edited.yaml", "site"]  # no temporary folders left


def test_rebuild_builds_only_the_sites_whose_inputs_changed(tmp_path, monkeypatch):
    import shutil

    monkeypatch.setenv("CXASSESS_BUILD_WORKERS", "1")
    folder = tmp_path / "p"
    shutil.copytree(PROJECT.parent, folder)
    out = tmp_path / "site"
    first = api.build_site(folder / "cxassess.yaml", out, search=[FIXTURES])
    assert (first.built, first.reused) == (6, 0)  # per language: portfolio index, tiny, big
    full = tree_digest(out)
    again = api.build_site(folder / "cxassess.yaml", out, search=[FIXTURES])
    assert (again.built, again.reused) == (0, 6)
    assert tree_digest(out) == full
    big = folder / "big-cx.yaml"
    big.write_text(big.read_text().replace("q1:\n    level: 2", "q1:\n    level: 3"))
    edited = api.build_site(folder / "cxassess.yaml", out, search=[FIXTURES])
    assert (edited.built, edited.reused) == (4, 2)  # big and the index (its scores), per language
    fresh = tmp_path / "fresh"
    api.build_site(folder / "cxassess.yaml", fresh, search=[FIXTURES])
    assert tree_digest(out) == tree_digest(fresh)  # reusing output changes nothing


def test_a_file_edited_in_the_built_site_is_not_reused_from_the_cache(tmp_path):
    out = tmp_path / "site"
    first = api.build_site(MINI_ANSWERS, out, search=[FIXTURES])
    clean = tree_digest(out)
    page = out / "en" / "index.html"
    with page.open("a", encoding="utf-8") as edited:  # in place: the cache shares the file
        edited.write("<!-- edited by hand -->")
    again = api.build_site(MINI_ANSWERS, out, search=[FIXTURES])
    assert (again.built, again.reused) == (1, first.built - 1)  # the edited site built again
    assert tree_digest(out) == clean


def test_bad_input_writes_nothing(tmp_path):
    from assessment.common.errors import InputError

    bad = tmp_path / "bad.yaml"
    bad.write_text(MINI_ANSWERS.read_text().replace("level: 2", "level: 6"))
    with pytest.raises(InputError):
        api.build_site(bad, tmp_path / "site", search=[FIXTURES])
    assert not (tmp_path / "site").exists()


PROJECT = FIXTURES / "project" / "cxassess.yaml"


def test_project_file_builds_a_portfolio_with_rounds_and_respondents(tmp_path):
    out = tmp_path / "site"
    result = api.build_site(PROJECT, out, search=[FIXTURES])
    assert result.languages == ("zh", "en")
    assert 'url=en/"' in (out / "index.html").read_text()  # the project's default_lang
    portfolio = (out / "en" / "index.html").read_text()
    assert "Tiny Co" in portfolio
    assert "Big Ltd" in portfolio
    assert (out / "en" / "tiny" / "trend" / "index.html").is_file()
    assert not (out / "en" / "tiny" / "consensus").exists()
    assert (out / "en" / "big" / "consensus" / "index.html").is_file()
    evaluation = (out / "en" / "tiny" / "evaluation" / "index.html").read_text()
    # survey: 10 answers, 5 promoters (9-10), 3 detractors (0-6) -> NPS 20; manual 91 < 95
    assert "✘ Not met" in evaluation
    assert "✔ Met" in evaluation
    assert "tiny-survey.csv" in evaluation
    assert not (out / "en" / "big" / "evaluation").exists()
    # pruned navigation: an organisation's page does not list the other organisation's clauses
    page = (out / "en" / "tiny" / "areas" / "alpha" / "1.1" / "index.html").read_text()
    assert "big/areas/alpha/1.1/" not in page


def test_project_problems_are_reported_together(tmp_path):
    import shutil

    from assessment.common.errors import InputError

    folder = tmp_path / "p"
    shutil.copytree(PROJECT.parent, folder)
    (folder / "big-front.yaml").write_text(
        (folder / "big-front.yaml").read_text().replace("level: 1", "level: 9")
    )
    (folder / "tiny-2026-07.yaml").write_text(
        (folder / "tiny-2026-07.yaml").read_text().replace("id: tiny", "id: other")
    )
    with pytest.raises(InputError) as info:
        api.build_site(folder / "cxassess.yaml", tmp_path / "site", search=[FIXTURES])
    text = str(info.value)
    assert "big-front.yaml:" in text
    assert "level must be 0..5 or na" in text
    assert "answers are for organisation 'other', not 'tiny'" in text
    assert not (tmp_path / "site").exists()


def test_zensical_builds_the_same_configuration(tmp_path):
    """Material reaches end of life on 2027-05-05; Zensical must build what we generate."""
    import importlib.util

    if importlib.util.find_spec("zensical") is None:
        if os.environ.get("CXASSESS_REQUIRE_ZENSICAL") == "1":
            pytest.fail("Zensical required but not installed")
        pytest.skip("Zensical is not installed (pip install 'zensical<0.1')")
    out = tmp_path / "site"
    api.build_site(MINI_ANSWERS, out, search=[FIXTURES], engine="zensical")
    for lang in ("zh", "en"):
        html = (out / lang / "areas" / "alpha" / "1.1" / "index.html").read_text()
        assert "One one" in html
    assert (out / "index.html").is_file()


def build_with_plain_mkdocs(project: Path, out: Path, monkeypatch) -> None:
    """No speed-up at all: MkDocs, Material and Jinja exactly as they come."""
    with monkeypatch.context() as patch:
        patch.setenv("CXASSESS_SPEEDUPS", "none")
        patch.setenv("CXASSESS_TEMPLATE_CACHE", "off")
        api.build_site(project, out, search=[FIXTURES], cache=False)


def test_reusing_mkdocs_state_across_sites_changes_no_byte(tmp_path, monkeypatch):
    """Compiled templates (in memory and on disk), the theme's file list, jieba's segmentation
    are kept between the sites of a portfolio and between runs, and raw HTML blocks skip
    Python-Markdown: the site must be what plain MkDocs writes."""
    from assessment.common.template_cache import TEMPLATES

    monkeypatch.setenv("CXASSESS_BUILD_WORKERS", "1")  # every site in this process, in a row
    plain = tmp_path / "plain"
    build_with_plain_mkdocs(PROJECT, plain, monkeypatch)
    compiled = tmp_path / "compiled"
    monkeypatch.setenv("CXASSESS_TEMPLATE_CACHE", str(compiled))
    for name in ("cold", "warm", "from-disk"):
        if name == "from-disk":
            TEMPLATES._memory.clear()  # as a new process finds it
        api.build_site(PROJECT, tmp_path / name, search=[FIXTURES], cache=False)
        assert tree_digest(tmp_path / name) == tree_digest(plain), name
        assert any(compiled.iterdir())


def test_the_demo_built_by_cxassess_is_what_plain_mkdocs_writes(tmp_path, monkeypatch):
    """Every kind of page, on the full bank, in both languages (trend, consensus, survey)."""
    demo = Path(__file__).parent.parent / "examples" / "demo" / "cxassess.yaml"
    build_with_plain_mkdocs(demo, tmp_path / "plain", monkeypatch)
    api.build_site(demo, tmp_path / "fast", search=[FIXTURES], cache=False)
    assert tree_digest(tmp_path / "fast") == tree_digest(tmp_path / "plain")


def test_search_indexes_the_pages_not_the_report_that_repeats_them(mini_site):
    import json

    for lang in ("zh", "en"):
        index = json.loads((mini_site / lang / "search" / "search_index.json").read_text())
        pages = {doc["location"].split("#")[0] for doc in index["docs"]}
        assert "areas/alpha/" in pages or any(p.startswith("areas/alpha/") for p in pages)
        assert not {"report/", "form/"} & pages, lang
    # Words of neighbouring table cells stay apart in the index (its text is the page's).
    index = json.loads((mini_site / "en" / "search" / "search_index.json").read_text())
    question = next(d["text"] for d in index["docs"] if d["location"].endswith("#q-q1"))
    assert "Level Target Gap" in question
    assert "0 L0 q1 level 0" in question


def broken_links(site: Path) -> list[str]:
    """Every relative href and src of every page that leads to no file, or to no element
    with its #anchor, in the built site."""
    import posixpath
    import re
    from urllib.parse import unquote, urlsplit

    broken = []
    for page in site.rglob("*.html"):
        if page.name == "404.html":
            continue  # served at any address, so MkDocs gives it links from the server root
        base = page.parent.relative_to(site).as_posix()
        for url in re.findall(r'(?:href|src)="([^"]*)"', page.read_text(encoding="utf-8")):
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path:
                continue  # another host, or an anchor on this page
            target = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
            found = site / target
            found = found / "index.html" if found.is_dir() else found
            if not found.is_file() or (
                parts.fragment and f'id="{parts.fragment}"' not in found.read_text("utf-8")
            ):
                broken.append(f"{page.relative_to(site)}: {url}")
    return broken


def test_every_link_of_a_built_portfolio_leads_to_a_page(tmp_path):
    out = tmp_path / "site"
    api.build_site(PROJECT, out, search=[FIXTURES])
    assert broken_links(out) == []
    # The check itself finds a link that leads nowhere.
    page = next((out / "en").rglob("principles/index.html"))
    wrong = '<a href="../nowhere/">x</a><a href="../areas/alpha/#q-nowhere">y</a>'
    page.write_text(page.read_text() + wrong, encoding="utf-8")
    where = page.relative_to(out)
    assert broken_links(out) == [f"{where}: ../nowhere/", f"{where}: ../areas/alpha/#q-nowhere"]


def test_a_site_url_makes_sitemap_404_and_language_links_absolute(tmp_path):
    out = tmp_path / "site"
    api.build_site(PROJECT, out, search=[FIXTURES], cache=False, site_url="https://example.org/cx/")
    sitemap = (out / "en" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/cx/en/</loc>" in sitemap
    page = next((out / "en").glob("*/areas/alpha/1.1/index.html")).read_text(encoding="utf-8")
    # The same page in the other language, as an address that needs no script to follow.
    assert re.search(
        r'href="https://example\.org/cx/zh/[a-z]+/areas/alpha/1\.1/" hreflang="zh"', page
    )
    missing = (out / "zh" / "404.html").read_text(encoding="utf-8")
    assert 'href="https://example.org/cx/zh/' in missing
    with pytest.raises(InputError, match="must be an address"):
        api.build_site(PROJECT, tmp_path / "other", search=[FIXTURES], site_url="example.org")


def test_every_page_has_its_own_escaped_description(tmp_path):
    answers = yaml.safe_load(MINI_ANSWERS.read_text(encoding="utf-8"))
    answers["organisation"]["name"] = 'Tiny "Co" <script>x</script> | &'
    path = tmp_path / "a.yaml"
    path.write_text(yaml.safe_dump(answers, allow_unicode=True), encoding="utf-8")
    api.build_site(path, tmp_path / "site", search=[FIXTURES])
    found = {}
    for page in (tmp_path / "site" / "en").rglob("index.html"):
        text = page.read_text(encoding="utf-8")
        (content,) = re.findall(r'<meta name="description" content="([^"]*)"', text)
        found[page.parent.name] = content
    assert len(set(found.values())) == len(found) > 10  # one per page, never the same
    assert found["methodology"].startswith("Methodology · Tiny &quot;Co&quot; &lt;script&gt;")
    assert all("<script>" not in c for c in found.values())


def test_the_organisation_name_is_escaped_once_wherever_material_prints_it(tmp_path):
    answers = tmp_path / "amp.yaml"
    answers.write_text(
        MINI_ANSWERS.read_text().replace("name: Tiny Co", "name: 'A & B <x>'"), encoding="utf-8"
    )
    out = tmp_path / "site"
    api.build_site(answers, out, search=[FIXTURES])
    page = (out / "en" / "index.html").read_text(encoding="utf-8")
    once = "A &amp; B &lt;x&gt;"
    assert f"<title>{once}</title>" in page
    assert page.count(f'title="{once}"') == 2  # the logo's tooltip, in the header and the nav
    assert page.count(f'aria-label="{once}"') == 2
    assert "&amp;amp;" not in page
    assert "<x>" not in page
