"""Tables are cleaned by nh3 piece by piece (sanitise.py): the result must be what cleaning
the whole block gives, and a block whose pieces could not stand alone is cleaned whole."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.api import load_workspace
from assessment.render import fragments, sanitise
from assessment.render import pages as render
from assessment.render.lanes import render_site
from tests.conftest import FIXTURES
from tests.test_injection import PAYLOADS

DEMO = Path(__file__).parent.parent / "examples" / "demo" / "cxassess.yaml"


def whole(block: str) -> str:
    """nh3 over the block at once, as sanitise did before it kept pieces."""
    return re.sub(r"(</t[dh]>)(?=<t[dh][\s>])", "\\1\n", sanitise._cleaner().clean(block))


@pytest.fixture(scope="module")
def blocks() -> list[str]:
    """Every block the templates hand to sanitise while rendering the demo."""
    seen: list[str] = []
    env = render.environment()
    original = env.filters["sanitise"]

    def recorded(block: str):
        seen.append(str(block))
        return original(block)

    env.filters["sanitise"] = recorded
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("CXASSESS_BUILD_WORKERS", "1")
            # Blocks made once (or kept by an earlier run) are made again here.
            patch.setenv("CXASSESS_TEMPLATE_CACHE", "off")
            fragments.forget()
            render_site(load_workspace(DEMO, [FIXTURES]))
    finally:
        env.filters["sanitise"] = original
    return seen


def test_every_block_of_the_demo_comes_out_as_cleaning_it_whole_gives(blocks, monkeypatch):
    expected = {block: whole(block) for block in blocks}
    for block in blocks:
        assert str(sanitise.sanitise(block)) == expected[block]
    # Seen once, every table of the demo is put together from kept pieces, without nh3.
    tables = [b for b in blocks if sanitise._ONE_TABLE.match(b)]
    assert len(tables) > 100
    monkeypatch.setattr(sanitise, "_cleaner", lambda: pytest.fail("cleaned again"))
    for block in tables:
        assert str(sanitise.sanitise(block)) == expected[block]


ROW = '<tr><td>{}</td><td class="cx-num">2</td></tr>'
FRAME = "<table><thead><tr><th>A</th><th>B</th></tr></thead><tbody>\n{}</tbody></table>\n"


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *PAYLOADS,
                "plain",
                "<b>bold</b>",
                "</td></tr></tbody></table><p>out",
                "<tr><td>nested",
                "a\nb",
            ]
        ),
        min_size=1,
        max_size=6,
    )
)
def test_rows_with_any_text_come_out_as_the_whole_table_would(texts):
    """Raw text, even markup that tries to close the table, in rows: the piece by piece
    result is nh3's result for the whole block, or the block is cleaned whole."""
    block = FRAME.format("".join(ROW.format(t) + "\n" for t in texts))
    assert str(sanitise.sanitise(block)) == whole(block)


def test_a_row_that_breaks_out_of_its_table_is_not_kept():
    row = "<tr><td>x</td></tr></tbody></table><p>out</p><table><tbody><tr><td>y</td></tr>"
    block = FRAME.format(row + "\n")
    assert str(sanitise.sanitise(block)) == whole(block)
    assert row not in sanitise._ROWS
    assert str(sanitise.sanitise(block)) == whole(block)
