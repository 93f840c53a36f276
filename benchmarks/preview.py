"""The live preview: seconds from saving an answers file to the page served with the new
value, beside a full build of the same site, in one run. Prints one JSON line.

    python -m benchmarks.preview                 # one organisation, five edits
    python -m benchmarks.preview --edits 8 --orgs 3
    python -m benchmarks.preview --code /tmp/base   # `cxassess serve` of another source tree

`cxassess serve` runs as its own process, as a user runs it. Each edit changes one answer's
level in the first organisation's answers file (an answer without a finding, so the audit
rules still hold); the new text is made first, the clock starts just before it is written
(as an editor saves), and stops when the preview's version changes, which is when an open
page reloads ("reload", the version asked for every 10 ms), and when the question's clause
page, asked for after that, shows the new level ("served"; a --code tree without a version
has its page asked for every 10 ms instead). Between edits, once the preview is done, a
full build of the same inputs into another folder (`build_site`, no cache: what `cxassess
build` does on a first run) is timed, so the two alternate. --code DIR runs the serve of
another source tree (say `git archive 4eaba6c | tar -x -C /tmp/base`) from DIR.
"""

from __future__ import annotations

import argparse
import json
import platform
import queue
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import yaml

from assessment.api import build_site
from assessment.load.bank import Bank
from assessment.load.loader import load_bank
from assessment.render.view import question_anchor

from .synthetic import write_project

ROOT = Path(__file__).resolve().parent.parent
VERSION_PATH = "/.cxassess-preview"
POLL = 0.01
TIMEOUT = 120.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - our 127.0.0.1
            return str(answer.read().decode("utf-8"))
    except (urllib.error.URLError, OSError):
        return None


def shown_level(page: str, question_id: str) -> str | None:
    """The level a clause page shows for a question: the first cell of the table after its
    heading ("3 Defined" or "3")."""
    found = re.search(
        rf'id="{re.escape(question_anchor(question_id))}".*?<tbody>\s*<tr><td>([^<]*)</td>',
        page,
        re.DOTALL,
    )
    return found.group(1).split()[0] if found and found.group(1).split() else None


class _Serve:
    """`cxassess serve` as a process, its output read line by line."""

    def __init__(self, source: Path, out: Path, port: int, code: Path | None) -> None:
        command = [
            sys.executable,
            "-c",  # the source tree in the working folder comes first on sys.path
            "import sys; from assessment.cli import main; sys.exit(main())",
            "serve",
            str(source),
            "--port",
            str(port),
            "--out",
            str(out),
        ]
        self.process = subprocess.Popen(  # noqa: S603 - our interpreter, fixed arguments
            command,
            cwd=code or ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None  # noqa: S101 - opened as a pipe
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, prefix: str, timeout: float = TIMEOUT) -> str:
        deadline = time.monotonic() + timeout
        while True:
            line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            if line.startswith(prefix):
                return line

    def drain(self) -> list[str]:
        lines = []
        while not self.lines.empty():
            lines.append(self.lines.get())
        return lines

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _edits(bank: Bank, answers: dict[str, Any], count: int) -> list[str]:
    """Questions to edit, one per edit, spread over the bank: answers without a finding."""
    plain = [
        q.id
        for q in bank.questions
        if isinstance(answers.get(q.id, {}).get("level"), int) and not answers[q.id].get("finding")
    ]
    step = max(1, len(plain) // max(1, count))
    return [plain[(i * step) % len(plain)] for i in range(count)]


def _edited(path: Path, question_id: str, top: int) -> tuple[str, str]:
    """The answers file's text with one level changed, and that level: made before the
    clock starts, which then times the save alone, as an editor saves."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    answer = data["answers"][question_id]
    answer["level"] = (answer["level"] + 1) % (top + 1)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False), str(answer["level"])


def _time_edit(
    serve: _Serve, base: str, url: str, path: Path, question_id: str, bank: Bank, versioned: bool
) -> dict[str, Any]:
    """Seconds from the save to the new version (when an open page reloads) and to the page
    served with the new level. A serve with a version asks for the page once the version
    has changed (it changes once every file is in place): asking for a 50 kB page every
    10 ms would load the serving process as no browser does (an open page asks for the
    version five times a second)."""
    before = _get(base + VERSION_PATH) if versioned else None
    text, level = _edited(path, question_id, bank.max_level)
    start = time.perf_counter()
    path.write_text(text, encoding="utf-8")
    served = reload = None
    while served is None or (versioned and reload is None):
        now = time.perf_counter() - start
        if now > TIMEOUT:
            raise RuntimeError(f"the page did not show level {level} of {question_id}")
        if versioned and reload is None and _get(base + VERSION_PATH) != before:
            reload = time.perf_counter() - start
        if (reload is not None or not versioned) and shown_level(
            _get(url) or "", question_id
        ) == level:
            served = time.perf_counter() - start
        time.sleep(POLL)
    result: dict[str, Any] = {"question": question_id, "served": round(served, 3)}
    if reload is not None:
        result["reload"] = round(reload, 3)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--orgs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--bank", default="gbt42509")
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--code", type=Path, help="run `cxassess serve` of this source tree")
    args = parser.parse_args(argv)
    bank = load_bank(args.bank)
    reloads = args.code is None
    result: dict[str, Any] = {"benchmark": "preview", "orgs": args.orgs, "seed": args.seed}
    result["code"] = str(args.code) if args.code else "this tree"
    with tempfile.TemporaryDirectory() as tmp:
        source = write_project(bank, args.orgs, args.seed, Path(tmp) / "answers")
        edited = Path(tmp) / "answers" / "org-0000.yaml"  # write_project's name
        answers = yaml.safe_load(edited.read_text(encoding="utf-8"))["answers"]
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        prefix = "" if args.orgs == 1 else "org-0000/"
        serve = _Serve(source, Path(tmp) / "site", port, args.code)
        try:
            start = time.perf_counter()
            serve.wait_for("serving")
            result["serving_after"] = round(time.perf_counter() - start, 2)
            if reloads:
                serve.wait_for("watching")
                result["ready_after"] = round(time.perf_counter() - start, 2)
            else:
                time.sleep(2)  # the old serve watches once its first build is done
            versioned = _get(base + VERSION_PATH) is not None  # an older tree may have none
            edits, fulls, messages = [], [], []
            for question_id in _edits(bank, answers, args.edits):
                clause = bank.clauses[bank.question_index[question_id].clause]
                url = f"{base}/en/{prefix}areas/{clause.area}/{clause.id}/"
                edits.append(_time_edit(serve, base, url, edited, question_id, bank, versioned))
                time.sleep(1.0)  # the preview finishes (its twins, its message)
                messages += [line for line in serve.drain() if line.startswith("rebuilt")]
                start = time.perf_counter()
                build_site(source, Path(tmp) / "full", cache=False)
                fulls.append(round(time.perf_counter() - start, 3))
        finally:
            serve.stop()
    served = sorted(e["served"] for e in edits)
    result["save_to_served"] = [e["served"] for e in edits]
    result["median_served"] = served[len(served) // 2]
    if versioned:
        result["save_to_reload"] = [e["reload"] for e in edits]
    result["full_build"] = fulls
    result["serve_said"] = messages
    result["bank"] = f"{bank.id} {bank.version} ({len(bank.questions)} questions)"
    result["python"] = platform.python_version()
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
