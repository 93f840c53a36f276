"""Reading a bank's YAML: cxassess's reader (positions, checks) beside PyYAML's safe loader on
the same text, and the whole bank read and checked with nothing kept. Prints one JSON line.

    python -m benchmarks.yaml_read                    # the bundled bank, best of 7
    python -m benchmarks.yaml_read --bank questions/gbt42509 --repeat 11

Run it from two source trees alternately (`cd OTHER && python -m benchmarks.yaml_read`) to
compare two versions of the reader on the same machine.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def _best(job: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        job()
        best = min(best, time.perf_counter() - start)
    return round(best * 1000, 1)


def _safe_load(text: str) -> object:
    """PyYAML's safe loader (the C one where present), as cxassess reads its own files."""
    from assessment.load.yamlio import Loader

    loader = Loader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--bank", default="gbt42509", help="bank id or folder")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    saved = os.environ.get("CXASSESS_TEMPLATE_CACHE")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CXASSESS_TEMPLATE_CACHE"] = tmp  # no bank kept from earlier runs
        from assessment.common import resources
        from assessment.load import yamlio
        from assessment.load.loader import load_bank

        folder = resources.bank_dir(args.bank, ())
        texts = [p.read_text(encoding="utf-8") for p in sorted(Path(folder).rglob("*.yaml"))]
        start = time.perf_counter()
        load_bank(args.bank)
        cold = round((time.perf_counter() - start) * 1000, 1)
        if saved is None:
            del os.environ["CXASSESS_TEMPLATE_CACHE"]
        else:
            os.environ["CXASSESS_TEMPLATE_CACHE"] = saved
    result = {
        "benchmark": "yaml_read",
        "files": len(texts),
        "kb": round(sum(len(t.encode("utf-8")) for t in texts) / 1024, 1),
        "cxassess_load_yaml_ms": _best(
            lambda: [yamlio.load_yaml(t, "f.yaml") for t in texts], args.repeat
        ),
        "pyyaml_safe_load_ms": _best(lambda: [_safe_load(t) for t in texts], args.repeat),
        "load_bank_nothing_kept_ms": cold,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
