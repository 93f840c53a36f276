"""Material's templates compiled once and its files listed once, not again for every site.

A portfolio runs MkDocs about 200 times in the same workers. On every run MkDocs' Theme
builds a new Jinja environment (Theme.get_env), which compiles Material's templates again
(main.html, base.html and ~40 partials, ~0.35 s) and lists the theme's folders (Material's
.icons alone hold some 14,000 files, ~0.1 s) to find its static files. Here the environment
MkDocs makes gets our bytecode cache (compiled code kept in this process and between runs,
keyed by each template's source checksum) and a loader that lists each folder once per
process. The templates and folders do not change while cxassess runs.

Checked against mkdocs 1.6.1 (Theme.get_env returning an Environment with a
FileSystemLoader). Used only while Theme.get_env's source is the one checked; otherwise, or
when the loader is of another kind, MkDocs' own environment is used as it comes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import jinja2

from assessment.common.template_cache import TEMPLATES
from assessment.speedups import source_digest

CHECKED = "9c26120fb96f9204cb08fe133317f0badb6f9725833c414bd685c6fac9905c83"  # Theme.get_env


@functools.cache
def _theme_listing(searchpath: tuple[str, ...]) -> tuple[str, ...]:
    # Hidden files and folders are left out: MkDocs, the only caller, drops them anyway
    # ('.*' and '*/.*'), and Material's .icons folder alone holds some 14,000 of them.
    names = jinja2.FileSystemLoader(searchpath).list_templates()
    return tuple(n for n in names if not n.startswith(".") and "/." not in n)


class _ThemeLoader(jinja2.FileSystemLoader):
    """The theme's FileSystemLoader, listing its folders once per process (MkDocs lists them
    to find the theme's static files; the installed theme does not change during a build)."""

    def list_templates(self) -> list[str]:
        return list(_theme_listing(tuple(self.searchpath)))


def _kept_env(original: Callable[[], jinja2.Environment]) -> jinja2.Environment:
    env = original()
    loader = env.loader
    if isinstance(loader, jinja2.FileSystemLoader):
        env.loader = _ThemeLoader(loader.searchpath, loader.encoding, loader.followlinks)
    env.bytecode_cache = TEMPLATES
    return env


def apply(config: Any) -> None:
    """Put the kept environment in front of this configuration's theme (for it only)."""
    if not usable():
        return
    theme = config.theme
    # An instance attribute in front of Theme.get_env, for this config only.
    theme.get_env = functools.partial(_kept_env, theme.get_env)


def usable() -> bool:
    """Whether MkDocs' Theme.get_env is the code this speed-up was checked against."""
    from mkdocs.theme import Theme

    return source_digest(Theme.get_env) == CHECKED
