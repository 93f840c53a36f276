"""The live preview's builds: after an edit, only the pages whose Markdown changed are built
again, and only their files are replaced in the served output.

Each site being previewed (a language of an organisation, or of the portfolio index) has a
twin: its sources and a full MkDocs build of them in a folder of the preview's own, and a
record of every page's title, front matter and search entries (preview_record). After an
edit the workspace is loaded again in this process; each site whose inputs changed is
rendered in a forked worker of its own (which starts with the blocks and compiled
templates this process keeps), and there its twin rewrites the pages whose Markdown
changed and MkDocs' own dirty build reads and writes those pages alone. The worker sends
the twin's record back; once every site has built, the rewritten pages and the search
index are copied into the output, each file replaced at once.

Whatever changes more than pages goes to a full build (build_site, the same as `cxassess
build`): another configuration, navigation or set of pages, another build date, a page
whose title changed, a site without a twin yet, a dirty build that failed. Its twins are
made afterwards (settle), so the next edit is quick; the output is never left half built.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from assessment.build.engines import mkdocs_build
from assessment.build.outdir import build_lock
from assessment.build.preview_record import NAME, PreviewRecord
from assessment.build.site import BuildResult, build_environment, workspace_epoch, write_sources
from assessment.build.site_config import config_text
from assessment.common.errors import BuildError
from assessment.render.lanes import render_site, render_site_then
from assessment.render.pages import LANGUAGES, KeptSite, SiteLanguage
from assessment.score.workspace import Workspace

Site = tuple[str, str]  # (language, prefix): ("zh", "acme/") is the site at OUT/zh/acme/


@dataclass(frozen=True)
class Update:
    """What one update did: the pages it built again, or that it built the whole output."""

    pages: dict[Site, tuple[str, ...]]  # each site's rebuilt pages (Markdown paths)
    full: bool  # the whole output was built again, as `cxassess build` builds it
    seconds: float
    inputs: tuple[Path, ...]

    @property
    def changed(self) -> bool:
        return self.full or any(self.pages.values())


def _structure(site: SiteLanguage, epoch: int) -> str:
    """Everything of a site but its pages' Markdown: what a dirty build cannot change."""
    digest = hashlib.sha256(config_text(site, LANGUAGES).encode("utf-8"))
    digest.update(f"\0{epoch}\0".encode())
    for path, text in sorted(site.assets.items()):
        digest.update(f"{path}\0{text}\0".encode())
    digest.update("\0".join(p.path for p in site.pages).encode("utf-8"))
    return digest.hexdigest()


class _NotDirtyError(Exception):
    """A change a dirty build cannot make: the whole output is built again."""


@dataclass
class _Twin:
    folder: Path  # mkdocs.yml, docs/ and site/: the site as MkDocs last built it
    structure: str
    epoch: int
    pages: dict[str, str]  # Markdown path: text, as in docs/
    record: PreviewRecord = field(default_factory=PreviewRecord)

    @classmethod
    def made(cls, site: SiteLanguage, epoch: int, folder: Path) -> _Twin:
        """A full build of the site in folder, recorded."""
        shutil.rmtree(folder, ignore_errors=True)
        twin = cls(folder, _structure(site, epoch), epoch, {p.path: p.text for p in site.pages})
        write_sources(site, folder, config_text(site, LANGUAGES))
        twin._build()
        return twin

    def _build(self) -> None:
        with build_environment(self.epoch):
            mkdocs_build(
                self.folder / "mkdocs.yml", dirty=self.record.dirty, plugins={NAME: self.record}
            )

    def rebuild(self, site: SiteLanguage) -> tuple[tuple[str, ...], list[str]]:
        """Rewrite the pages whose Markdown changed and build them again: the Markdown paths
        and the site's files (relative to its folder in OUT) written anew."""
        changed = [p for p in site.pages if self.pages.get(p.path) != p.text]
        if not changed:
            return (), []
        for page in changed:
            source = self.folder / "docs" / page.path
            source.write_text(page.text, encoding="utf-8", newline="\n")
            self.pages[page.path] = page.text
            if page.path in self.record.dest:
                _newer_than(source, self.folder / "site" / self.record.dest[page.path])
        self.record.dirty = True
        self._build()
        if self.record.titles_changed:
            raise _NotDirtyError  # the other pages show its title in their navigation
        if not {p.path for p in changed} <= set(self.record.rebuilt):
            raise _NotDirtyError  # MkDocs took a rewritten page for unchanged
        files = [self.record.dest[path] for path in self.record.rebuilt]
        if (self.folder / "site" / "search" / "search_index.json").is_file():
            files.append("search/search_index.json")
        return tuple(p.path for p in changed), files


@dataclass(frozen=True)
class _Rebuilt:
    """What a worker's dirty build of a twin changed, for the twin in the preview's process."""

    changed: tuple[str, ...]  # the Markdown paths written anew
    files: list[str]  # the site's files written anew, relative to its folder in OUT
    record: PreviewRecord  # the twin's record after the build


def _newer_than(source: Path, html: Path) -> None:
    """MkDocs reads a page again only where its Markdown is newer than its HTML: a write
    within the file system's clock tick of the last build could look as old."""
    try:
        built = html.stat().st_mtime_ns
    except OSError:
        return  # no HTML: MkDocs builds the page anyway
    if source.stat().st_mtime_ns <= built:
        later = built + 1_000_000  # 1 ms: os.path.getmtime compares float seconds
        os.utime(source, ns=(later, later))


def _replace(source: Path, target: Path) -> None:
    """One file of the output replaced at once: a request sees the old file or the new one.
    A new file, never written in place: the output's files are shared with the build
    cache (hard links), whose entries must stay as they were built."""
    temporary = target.with_name(f".{target.name}.preview")
    shutil.copyfile(source, temporary)
    temporary.replace(target)


class Preview:
    """The output at `out` kept up to date with the workspace load() reads; build() is the
    full build (build_site's, for a workspace loaded already)."""

    def __init__(
        self,
        out: Path,
        load: Callable[[], Workspace],
        build: Callable[[Workspace], BuildResult],
    ) -> None:
        self.out = out.resolve()
        self._load = load
        self._build = build
        self._root: Path | None = None  # the twins' folder, made with the first twin
        self._twins: dict[Site, _Twin] = {}
        self._keys: dict[Site, str] = {}  # each site's key, as the output holds it
        self._epoch = 0
        self._pending: list[SiteLanguage] = []  # sites to make twins of (settle)
        self._first: Workspace | None = None  # what start() built, until settle()

    def start(self) -> tuple[Path, ...]:
        """The first full build; settle() then makes the twins of the sites a first edit
        would change: both of a single organisation, a portfolio's index (its
        organisations' twins are made when each is first edited)."""
        workspace = self._load()
        self._build(workspace)
        self._first = workspace  # rendered by settle(), once the site is served
        return workspace.inputs

    def update(self) -> Update:
        """Load, render and bring the output up to date (InputError: the output stays)."""
        start = time.perf_counter()
        workspace = self._load()
        epoch = workspace_epoch(workspace)
        held = set(self._keys.values())
        try:
            # Each site is rendered and built again in a forked worker of its own (two
            # languages on two cores take the time of one), which starts with the blocks
            # and compiled templates settle() left in this process.
            sites, outcomes = render_site_then(
                workspace, lambda key: key in held, self._dirty_build(epoch), keep=False
            )
        except Exception as exc:  # a worker lost: what its twin holds is not known
            self._drop_twins()  # the next edit builds the whole output
            raise BuildError(f"the preview could not build the edit: {exc}") from exc
        rendered = [s for s in sites if isinstance(s, SiteLanguage)]
        built = [o for s, o in zip(sites, outcomes, strict=True) if isinstance(s, SiteLanguage)]
        full = (
            epoch != self._epoch
            or {(s.lang, s.prefix) for s in sites} != set(self._keys)
            or any(o is None for o in built)
        )
        pages: dict[Site, tuple[str, ...]] = {}
        if not full:
            try:
                with build_lock(self.out):
                    pages = self._rebuilt(list(zip(rendered, built, strict=True)))
                self._keys = {(s.lang, s.prefix): s.key for s in sites}
            except (BuildError, _NotDirtyError):
                full = True
        if full:
            pages = {(s.lang, s.prefix): tuple(p.path for p in s.pages) for s in rendered}
            self._build(workspace)
            self._built(sites, epoch)
        return Update(pages, full, time.perf_counter() - start, workspace.inputs)

    def _dirty_build(self, epoch: int) -> Callable[[SiteLanguage], _Rebuilt | Exception | None]:
        """What a worker does with a site it rendered: a dirty build of its twin, or None
        where the site needs a full build. A failure comes back as the result, so that the
        preview knows whose twin it was."""

        def build(site: SiteLanguage) -> _Rebuilt | Exception | None:
            twin = self._twins.get((site.lang, site.prefix))
            if epoch != self._epoch or twin is None or twin.structure != _structure(site, epoch):
                return None
            try:
                changed, files = twin.rebuild(site)
            except Exception as error:  # handed to the preview, which raises it
                return error
            return _Rebuilt(changed, files, twin.record)

        return build

    def _drop_twins(self) -> None:
        for twin in self._twins.values():
            shutil.rmtree(twin.folder, ignore_errors=True)
        self._twins.clear()

    def _rebuilt(
        self, built: list[tuple[SiteLanguage, _Rebuilt | Exception | None]]
    ) -> dict[Site, tuple[str, ...]]:
        """The twins take in what their workers built; once every site has built, their
        files are put in the output."""
        failure: Exception | None = None
        for site, outcome in built:
            twin = self._twins[(site.lang, site.prefix)]
            if isinstance(outcome, _Rebuilt):
                twin.record = outcome.record  # what the worker's build recorded
                changed = set(outcome.changed)
                twin.pages.update((p.path, p.text) for p in site.pages if p.path in changed)
            else:
                del self._twins[(site.lang, site.prefix)]  # its state is no longer known
                failure = failure or outcome
        if failure is not None:
            raise failure
        pages: dict[Site, tuple[str, ...]] = {}
        for site, outcome in built:
            assert isinstance(outcome, _Rebuilt)  # noqa: S101 - raised above otherwise
            target = self.out / site.lang / site.prefix
            for name in outcome.files:
                _replace(
                    self._twins[(site.lang, site.prefix)].folder / "site" / name, target / name
                )
            pages[(site.lang, site.prefix)] = outcome.changed
        return pages

    def _built(self, sites: tuple[SiteLanguage | KeptSite, ...], epoch: int) -> None:
        """After a full build: what the output now holds, and twins to make of the sites
        that were rendered; twins of sites no longer there are dropped."""
        self._keys = {(s.lang, s.prefix): s.key for s in sites}
        self._epoch = epoch
        self._pending = [s for s in sites if isinstance(s, SiteLanguage)]
        for site in [s for s in self._twins if s not in self._keys]:
            shutil.rmtree(self._twins.pop(site).folder, ignore_errors=True)

    def settle(self) -> None:
        """Make the twins a full build left to make (after the browser was told)."""
        if self._first is not None:
            workspace, self._first = self._first, None
            everyone: Callable[[str], bool] | None = None if workspace.single else lambda key: True
            self._built(render_site(workspace, everyone, here=True), workspace_epoch(workspace))
        pending, self._pending = self._pending, []
        for site in pending:
            name = hashlib.sha256(f"{site.lang}/{site.prefix}".encode()).hexdigest()[:16]
            self._twins.pop((site.lang, site.prefix), None)
            try:
                if self._root is None:
                    self._root = Path(tempfile.mkdtemp(prefix="cxassess-preview-"))
                twin = _Twin.made(site, self._epoch, self._root / name)
            except BuildError:
                continue  # no twin: the site's next edit is built in full, and says why
            self._twins[(site.lang, site.prefix)] = twin

    def close(self) -> None:
        if self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)
