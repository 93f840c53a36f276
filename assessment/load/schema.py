"""JSON Schemas of the public file formats, for editors (yaml-language-server modelines).

Regenerate after a model change with `python -m assessment.schema`; a test checks the
committed files are current.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import BaseModel

from assessment.load.models.answers import AnswersFile
from assessment.load.models.bank import Manifest, QuestionFile

SCHEMAS: dict[str, type[BaseModel]] = {
    "answers.schema.json": AnswersFile,
    "manifest.schema.json": Manifest,
    "questions.schema.json": QuestionFile,
}
FOLDER = Path(__file__).resolve().parents[1] / "schemas"


def render_schema(model: type[BaseModel]) -> str:
    schema = model.model_json_schema()
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> int:
    FOLDER.mkdir(exist_ok=True)
    for name, model in SCHEMAS.items():
        (FOLDER / name).write_text(render_schema(model), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
