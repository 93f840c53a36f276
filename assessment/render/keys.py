"""What one organisation's site in one language is rendered from, as one digest.

The build cache keeps each built site under this key, so after editing one organisation a
build renders and builds only that organisation again (and the portfolio index, which is
always rendered: it reads every organisation).

An organisation's pages are a function of:
- this package (its code, templates, labels, assets and base mkdocs.yml), the libraries
  that shape its output, and the Python running it (the fingerprint);
- the language;
- each round of the organisation: the bank's content hash, the answers as validated, the
  file they came from, the survey responses, the workshop consensus, the scores, and the
  organisation's trend across rounds;
- the workspace: its title (on every page's navigation), whether it holds one organisation,
  and the name the portfolio shows for this one.

Everything is written out in full (answers as pydantic's JSON, the rest by its dataclass
repr, which lists every field), so nothing the pages could read is left out by choice. Reprs
and JSON are the same in every process; tests/test_render_keys.py checks that, and that a
page never changes while its key stays the same.
"""

from __future__ import annotations

import hashlib

from assessment.common.fingerprint import fingerprint
from assessment.score.workspace import OrgReport, Workspace


def _organisation(org: OrgReport) -> bytes:
    parts = [org.id, repr(org.trend)]
    for round_ in org.rounds:
        assessment = round_.assessment
        parts += [
            assessment.bank.content_hash,
            assessment.source,
            assessment.answers.model_dump_json(),
            repr(assessment.survey),
            repr(round_.consensus),
            repr(round_.card),
        ]
    return "\0".join(parts).encode("utf-8")


def site_keys(
    workspace: Workspace, languages: tuple[str, ...], label: dict[str, str]
) -> dict[tuple[str, str], str]:
    """(language, organisation id) -> key, for every organisation's site. label is the name
    each organisation's site carries (render.site_name)."""
    shared = "\0".join([fingerprint(), workspace.title, str(workspace.single)]).encode("utf-8")
    keys = {}
    for org in workspace.orgs:
        inputs = hashlib.sha256(shared + b"\0" + label[org.id].encode("utf-8") + b"\0")
        inputs.update(_organisation(org))
        for lang in languages:
            site = inputs.copy()
            site.update(b"\0" + lang.encode("utf-8"))
            keys[(lang, org.id)] = site.hexdigest()
    return keys
