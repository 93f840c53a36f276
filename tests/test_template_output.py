"""Our templates print finalize(value) without Jinja's escape() around it
(assessment/template_output.py): the pages must be what Jinja's own code generator renders."""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2.compiler import CodeGenerator
from markupsafe import Markup

from assessment.api import load_workspace
from assessment.common.template_cache import TemplateCache
from assessment.render import escape as textsafe
from assessment.render import pages as render
from assessment.render.pages import render_site
from assessment.speedups import template_output
from assessment.speedups.template_output import FinalizedOutput
from tests.conftest import FIXTURES
from tests.test_injection import write_payload_project

DEMO = Path(__file__).parent.parent / "examples" / "demo" / "cxassess.yaml"


def compiled(source: str, **options) -> str:
    class Environment(jinja2.Environment):
        code_generator_class = FinalizedOutput

    env = Environment(finalize=textsafe.escape_text, **options)
    return str(env.compile(source, raw=True))


def test_autoescaped_output_is_finalize_alone():
    code = compiled("{{ x }}{{ y.z }}", autoescape=True)
    assert code.count("environment.finalize(") == 2
    assert "escape(" not in code


def test_output_that_is_not_autoescaped_is_what_jinja_writes():
    plain = compiled("{{ x }}", autoescape=False)
    assert "str(environment.finalize(" in plain
    block = compiled("{% autoescape false %}{{ x }}{% endautoescape %}", autoescape=True)
    assert "str(environment.finalize(" in block
    decided_when_run = compiled("{% autoescape flag %}{{ x }}{% endautoescape %}", autoescape=True)
    assert "(escape if context.eval_ctx.autoescape else str)(environment.finalize(" in (
        decided_when_run
    )


def test_every_value_finalize_sees_comes_back_as_markup():
    for value in (None, 0, 1.5, "a < b", Markup("<b>"), ["x"], {"k": "v"}, True):
        assert isinstance(textsafe.escape_text(value), Markup)


def pages(workspace, monkeypatch, speedups: str) -> dict[tuple, str]:
    monkeypatch.setenv("CXASSESS_SPEEDUPS", speedups)
    monkeypatch.setattr(render, "_FRAGMENTS", {})
    monkeypatch.setattr(textsafe, "_ESCAPED", {})
    monkeypatch.setenv("CXASSESS_TEMPLATE_CACHE", "off")
    sites = render_site(workspace)
    return {(s.lang, s.prefix, p.path): p.text for s in sites for p in s.pages}


def test_the_switch_chooses_the_generator(monkeypatch):
    monkeypatch.setenv("CXASSESS_SPEEDUPS", "all")
    assert render.environment().code_generator_class is FinalizedOutput
    monkeypatch.setenv("CXASSESS_SPEEDUPS", "all,-template_output")
    assert render.environment().code_generator_class is CodeGenerator


def test_jinjas_own_generator_where_its_hooks_are_not_the_ones_checked(monkeypatch):
    monkeypatch.setattr(template_output, "CHECKED", "another Jinja")
    assert template_output.generator() is CodeGenerator


def test_pages_are_what_jinjas_own_generator_renders(tmp_path, monkeypatch):
    for project in (DEMO, write_payload_project(tmp_path)):
        workspace = load_workspace(project, [FIXTURES])
        ours = pages(workspace, monkeypatch, "all")
        jinjas = pages(workspace, monkeypatch, "all,-template_output")
        assert ours == jinjas
        assert len(ours) > 40


def test_code_from_another_generator_is_kept_apart():
    cache = TemplateCache()

    class Ours(jinja2.Environment):
        code_generator_class = FinalizedOutput

    keys = {
        cache.get_bucket(env, "page.j2", "/t/page.j2", "{{ x }}").key
        for env in (jinja2.Environment(autoescape=True), Ours(autoescape=True))
    }
    assert len(keys) == 2
