"""The theme's static files hard-linked into every site of a build instead of copied.

MkDocs copies the theme's static files (45 files, 2.6 MB for Material) into every site:
520 MB for a 100-organisation portfolio. Within one build each is copied once into a
store, and every site gets a hard link to that copy: the same bytes, written once. Where a
link cannot be made (another file system), the file is copied as MkDocs does.

Checked against mkdocs 1.6.1 (mkdocs.utils.copy_file copies a file's bytes). Used only
while copy_file's source is the one checked; otherwise MkDocs copies as it comes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from assessment.speedups import source_digest

CHECKED = "ce5ccca491bb38a873e11c125452ee09f0df0a8322daf0882896902576ed9b80"  # copy_file


@contextlib.contextmanager
def linked(theme_dirs: list[str], store: Path) -> Iterator[None]:
    """MkDocs copies the theme's static files (45 files, 2.6 MB for Material) into every
    site: 520 MB for a 100-organisation portfolio. Within one build each is copied once
    into store, and every site gets a hard link to that copy: the same bytes, written once.
    Where a link cannot be made (another file system), the file is copied as MkDocs does."""
    import mkdocs.utils

    original = mkdocs.utils.copy_file
    if not usable():
        yield
        return
    roots = tuple(str(Path(d)) + "/" for d in theme_dirs)

    def copy_file(source_path: str, output_path: str) -> None:
        if not source_path.startswith(roots):
            original(source_path, output_path)
            return
        status = Path(source_path).stat()
        name = f"{source_path}\0{status.st_size}\0{status.st_mtime_ns}"  # one version of it
        kept = store / hashlib.sha256(name.encode("utf-8")).hexdigest()
        try:
            if not kept.exists():
                store.mkdir(parents=True, exist_ok=True)
                partial = kept.with_name(f"{kept.name}.{os.getpid()}")  # workers copy at once
                shutil.copyfile(source_path, partial)
                partial.replace(kept)
            Path(output_path).parent.mkdir(parents=True, exist_ok=True)
            os.link(kept, output_path)
        except OSError:
            original(source_path, output_path)

    mkdocs.utils.copy_file = copy_file
    try:
        yield
    finally:
        mkdocs.utils.copy_file = original


def usable() -> bool:
    """Whether mkdocs.utils.copy_file is the code this speed-up was checked against."""
    import mkdocs.utils

    return source_digest(mkdocs.utils.copy_file) == CHECKED
