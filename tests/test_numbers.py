"""Numbers as pages print them: half up, and never rounded onto a line the reader compares
them with (render/numbers.py)."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment.render.numbers import fmt, fmt_pct, fmt_signed, shown


@pytest.mark.parametrize(
    ("value", "printed"),
    [(1.25, "1.3"), (1.75, "1.8"), (2.0, "2.0"), (2.04, "2.0"), (2.96, "2.96"), (2.95, "2.95"),
     (2.9999, "2.9999"), (2.99999, "3.0000"), (3.04, "3.0"), (-0.04, "-0.04"), (None, "—")],
)  # fmt: skip
def test_fmt_rounds_half_up_and_never_up_to_the_next_whole_level(value, printed):
    # 2.96 is stage 2; "3.0" beside it would say stage 3. Past three more places it gives up.
    assert fmt(value) == printed


def test_a_value_is_not_rounded_onto_its_threshold_from_either_side():
    assert fmt(2.46, against=2.5) == "2.46"  # fails a 2.5 threshold: not printed 2.5
    assert fmt(2.54, against=2.5) == "2.54"
    assert fmt(2.44, against=2.5) == "2.4"
    assert fmt_pct(0.996, against=1.0) == "99.6&#160;%"  # coverage short of 100 %
    assert fmt_pct(0.996) == "100&#160;%"
    assert fmt_pct(0.5) == "50&#160;%"


@pytest.mark.parametrize(
    ("value", "printed"),
    [(0.0, "+0.0"), (0.04, "+0.04"), (-0.04, "−0.04"), (-0.5, "−0.5"), (1.25, "+1.3"),
     (-1.25, "−1.3"), (0.0001, "+0.0001"), (0.00001, "+0.0000")],
)  # fmt: skip
def test_a_change_that_is_not_zero_is_not_printed_as_zero(value, printed):
    assert fmt_signed(value) == printed


def test_float_noise_does_not_decide_a_half():
    # 2.75 to 2.6: the change is -0.15, which the float difference holds as -0.1499999999999999
    assert fmt_signed(2.6 - 2.75) == "−0.2"
    assert fmt_signed(3 - 2.35) == "+0.7"  # a gap: 0.6499999999999999 as a float


values = st.floats(-1000, 1000, allow_nan=False)


@given(value=values, places=st.integers(0, 3))
def test_shown_is_within_half_a_unit_of_its_last_place(value, places):
    rounded = shown(value, places)
    last = -rounded.as_tuple().exponent
    assert last >= places
    # within half a unit, plus the float noise cut off at the ninth place before rounding
    assert abs(rounded - Decimal(repr(value))) <= Decimal(5).scaleb(-last - 1) + Decimal("1e-9")


@given(value=values, places=st.integers(0, 3), line=values)
def test_shown_does_not_reach_a_line_the_value_stays_short_of(value, places, line):
    rounded = float(shown(value, places, [line]))
    for mark in (line, math.floor(value) + 1):
        if mark > value and mark - value >= 10 ** -(places + 3):
            assert rounded < mark
    if line < value and value - line >= 10 ** -(places + 3):
        assert rounded > line
