"""Banks already read and checked, kept between runs.

Reading the full bank (nine YAML files with positions for every value, then structure and
cross-reference checks) takes about 0.1 s: most of what one organisation's load stage
costs. A bank that passed every check is kept as the JSON of its models in the folder the
compiled templates use (template_cache: Jinja's per-user folder, or CXASSESS_TEMPLATE_CACHE),
under a digest of this cxassess's code and of every bank file's name and bytes; the next run
with the same files validates that JSON with the same pydantic models (a few milliseconds)
instead. A bank with problems is never kept, so its messages and their positions always come
from the files.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

from assessment.common.fingerprint import fingerprint
from assessment.common.template_cache import cache_folder
from assessment.load.bank import Bank
from assessment.load.models.bank import Manifest, Question
from assessment.load.yamlio import MAX_FILE_BYTES


def key(files: list[Path]) -> str | None:
    """Of the code and the files, or None where a file cannot be read or is over the cap
    (the normal reading reports it)."""
    digest = hashlib.sha256(fingerprint().encode("utf-8"))
    try:
        for path in files:
            if path.stat().st_size > MAX_FILE_BYTES:
                return None
            digest.update(b"\0" + path.name.encode("utf-8") + b"\0" + path.read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


def _entry(digest: str) -> Path | None:
    folder = cache_folder()
    return None if folder is None else folder / f"cxassess-bank-{digest}.json"


def kept(digest: str) -> Bank | None:
    entry = _entry(digest)
    if entry is None:
        return None
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
        return Bank(
            manifest=Manifest.model_validate(data["manifest"]),
            questions=tuple(Question.model_validate(q) for q in data["questions"]),
            content_hash=data["content_hash"],
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None  # not kept, or damaged: read the files, and keep it again


def keep(digest: str, bank: Bank) -> None:
    entry = _entry(digest)
    if entry is None:
        return
    data = {
        "manifest": bank.manifest.model_dump(mode="json"),
        "questions": [q.model_dump(mode="json") for q in bank.questions],
        "content_hash": bank.content_hash,
    }
    partial = entry.with_name(f"{entry.name}.{os.getpid()}")
    with contextlib.suppress(OSError):  # the store only saves time
        partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        partial.replace(entry)
