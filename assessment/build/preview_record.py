"""What a dirty MkDocs build gets wrong, put right through MkDocs' plugin events.

`mkdocs build --dirty` reads and writes only the pages whose Markdown is newer than their
HTML. Two things then differ from a full build: the pages it did not read have no title and
no front matter, so the navigation, the footer links and the 404 page it writes lose them;
and Material's search index holds only the pages it read. The recorder, added to the
preview's builds of a site (never to mkdocs.yml), keeps every page's title, front matter and
search entries from the last build that read the page, gives them back to the unread pages
before anything is written, and writes the search index again with every page's entries in
the order a full build writes them. Only public parts are used: plugin events, the Page and
File attributes plugins are given, and the index file Material writes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mkdocs.config.base import LegacyConfig
from mkdocs.plugins import BasePlugin, event_priority

NAME = "cxassess/preview-record"


# MkDocs' BasePlugin.__init_subclass__ carries no annotations. LegacyConfig: no options.
class PreviewRecord(BasePlugin[LegacyConfig]):  # type: ignore[no-untyped-call]
    """One site's record across its builds: a full build first, then dirty ones."""

    def __init__(self) -> None:
        super().__init__()
        self.dirty = False  # set before a dirty build
        self.kept: dict[str, tuple[str | None, dict[str, Any]]] = {}  # src_uri: title, meta
        self.entries: dict[str, list[Any]] = {}  # page URL: its search entries, in order
        self.dest: dict[str, str] = {}  # src_uri: the page's HTML, relative to site_dir
        self.rebuilt: tuple[str, ...] = ()  # the src_uris the last build read and wrote
        self.titles_changed = False  # a page read again has another title: others show it
        self._files: Any = None

    def __getstate__(self) -> dict[str, Any]:
        """The record, without the last build's files: a worker's build sends it back."""
        return {**self.__dict__, "_files": None}

    @event_priority(-100)  # last: after any plugin that changes the navigation
    def on_nav(self, nav: Any, /, *, config: Any, files: Any) -> Any:
        self._files = files
        if not self.dirty:
            return nav
        for file in files.documentation_pages():
            kept = self.kept.get(file.src_uri)
            # A page MkDocs will read again takes its title from its own Markdown.
            if file.page is not None and kept is not None and not file.is_modified():
                file.page.title, file.page.meta = kept[0], dict(kept[1])
        return nav

    @event_priority(-100)  # last: after the search plugin has written its index
    def on_post_build(self, *, config: Any) -> None:
        pages = [f.page for f in self._files.documentation_pages() if f.page is not None]
        read = [p for p in pages if p.content is not None]  # unread pages have no HTML
        self.titles_changed = any(
            p.file.src_uri in self.kept and self.kept[p.file.src_uri][0] != p.title for p in read
        )
        for page in read:
            self.kept[page.file.src_uri] = (page.title, dict(page.meta))
            self.dest[page.file.src_uri] = page.file.dest_uri
        self.rebuilt = tuple(p.file.src_uri for p in read)
        index = Path(config.site_dir) / "search" / "search_index.json"
        if not index.is_file():
            return  # no search plugin
        data = json.loads(index.read_text(encoding="utf-8"))
        found: dict[str, list[Any]] = {}
        for entry in data["docs"]:  # "url#section", or the page's URL alone
            found.setdefault(str(entry["location"]).split("#", 1)[0], []).append(entry)
        for page in read:
            self.entries[page.url] = found.get(page.url, [])
        if self.dirty:
            # Page by page in the order of the full build, as Material writes the file.
            data["docs"] = [entry for page in pages for entry in self.entries.get(page.url, [])]
            text = json.dumps(data, separators=(",", ":"), default=str)
            index.write_text(text, encoding="utf-8")
