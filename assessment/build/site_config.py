"""The MkDocs configuration of each site, and the redirect page at the top of the output."""

from __future__ import annotations

import html
from typing import Any

import yaml

from assessment.common import resources
from assessment.load.yamlio import load_trusted
from assessment.render.pages import SiteLanguage

LANGUAGE_NAMES = {"zh": "中文", "en": "English"}


def site_config(
    site: SiteLanguage, languages: tuple[str, ...], docs: str, dest: str, site_url: str = ""
) -> dict[str, Any]:
    """The base mkdocs.yml filled in for one language. docs and dest are relative to the
    config file: both MkDocs and Zensical resolve them from there. With site_url (where the
    whole output will be served) the sitemap, the 404 page and the language links are
    absolute."""
    base_path = resources.data_dir("mkdocs.yml")
    config: dict[str, Any] = load_trusted(base_path)
    # MkDocs themes print site_name and navigation titles without escaping them (even inside
    # attributes), and both can hold user text: escape them for HTML here.
    config["site_name"] = html.escape(site.site_name)
    # Every page's <meta name="description">, which Material takes from here.
    description = "顾客体验管理差距分析" if site.lang == "zh" else "CX management gap analysis"
    config["site_description"] = html.escape(f"{site.site_name}: {description} (cxassess)")
    config["docs_dir"] = docs
    config["site_dir"] = dest
    config["nav"] = _escape_nav(site.nav)
    config.setdefault("theme", {})["language"] = site.lang
    # Our one template override (Material's documented way to add to a page's head).
    config["theme"]["custom_dir"] = str(resources.data_dir("templates") / "overrides")
    # Each language switch link leads to the same organisation in the other language.
    up = f"{site_url}/" if site_url else "../" * (1 + site.prefix.count("/"))
    if site_url:
        config["site_url"] = f"{site_url}/{site.lang}/{site.prefix}"
    config.setdefault("extra", {})["alternate"] = [
        {"name": LANGUAGE_NAMES.get(lang, lang), "link": f"{up}{lang}/{site.prefix}", "lang": lang}
        for lang in languages
    ]
    config["extra"]["generator"] = False
    # Navigation links between the sites of a portfolio ("lanfeng/", "../") lie outside each
    # site's own docs; links inside pages are still checked strictly.
    config["validation"] = {"nav": {"not_found": "info"}}
    return config


def _escape_nav(items: Any) -> Any:
    if isinstance(items, str):
        return items  # a page path: ours, built from validated ids
    if isinstance(items, dict):
        return {html.escape(title): _escape_nav(value) for title, value in items.items()}
    return [_escape_nav(item) for item in items]


# libyaml's emitter when PyYAML has it: a portfolio writes some 200 configurations.
_DUMPER: type[Any] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def config_text(site: SiteLanguage, languages: tuple[str, ...], site_url: str = "") -> str:
    """The mkdocs.yml of one site, with its pages in docs/ and its output in site/ beside it."""
    config = site_config(site, languages, "docs", "site", site_url)
    return str(yaml.dump(config, Dumper=_DUMPER, allow_unicode=True, sort_keys=False))


def redirect_page(default_lang: str) -> str:
    target = f"{default_lang}/"
    return (
        f'<!doctype html>\n<html lang="{default_lang}">'
        '<head><meta charset="utf-8">'
        '<meta name="description" content="cxassess: CX management gap analysis (zh, en)">'
        f'<meta http-equiv="refresh" content="0; url={target}">'
        f'<link rel="canonical" href="{target}"><title>cxassess</title></head>'
        f'<body><p><a href="{target}">{LANGUAGE_NAMES.get(default_lang, default_lang)}</a>'
        + "".join(
            f' · <a href="{lang}/">{name}</a>'
            for lang, name in LANGUAGE_NAMES.items()
            if lang != default_lang
        )
        + "</p></body></html>\n"
    )
