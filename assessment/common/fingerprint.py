"""This cxassess, as one digest: what its output is a function of besides the user's files.

Its code, templates, labels, assets and base mkdocs.yml, the libraries that shape its output
and the Python running it. Keys of everything kept between runs start with it (the build
cache's sites, render_keys; checked banks, bank_store), so a new version never reuses what
an old one made.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import sys
from functools import cache
from pathlib import Path

from assessment.common import resources

# Libraries whose output becomes page text.
_LIBRARIES = ("jinja2", "markupsafe", "nh3", "pydantic", "pyyaml")


@cache
def fingerprint() -> str:
    digest = hashlib.sha256(sys.version.encode("utf-8"))
    for name in _LIBRARIES:
        digest.update(f"\0{name}={importlib.metadata.version(name)}".encode())
    base_config = resources.data_dir("mkdocs.yml")
    package = Path(__file__).resolve().parents[1]
    for folder in (package, resources.data_dir("templates"), base_config.parent):
        paths = sorted(folder.rglob("*")) if folder != base_config.parent else [base_config]
        for path in paths:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(b"\0" + path.relative_to(folder).as_posix().encode("utf-8"))
                digest.update(b"\0" + path.read_bytes())
    return digest.hexdigest()
