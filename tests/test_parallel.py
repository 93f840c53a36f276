"""parallel_lanes: each lane in order in a forked worker, results streamed back."""

from __future__ import annotations

import os

import pytest

from assessment.common.parallel import parallel_lanes

STATE: dict[str, int] = {}


def add_state(item: int) -> tuple[int, int, int]:
    return item, item + STATE["offset"], os.getpid()


def fail_on_three(item: int) -> int:
    if item == 3:
        raise ValueError(f"bad item {item}")
    return item


def die_on_three(item: int) -> int:
    if item == 3:
        os._exit(7)
    return item


class UnpicklableError(Exception):
    def __reduce__(self):
        raise TypeError("cannot pickle")


def unpicklable_error(item: int) -> int:
    raise UnpicklableError("lost detail")


@pytest.mark.parametrize("workers", ["1", "2", "3"])
def test_every_lane_in_order_with_the_state_of_this_process(monkeypatch, workers):
    monkeypatch.setenv("CXASSESS_BUILD_WORKERS", workers)
    monkeypatch.setitem(STATE, "offset", 100)
    lanes = [[1, 2, 3], [], [4], [5, 6, 7, 8], [9, 10]]
    made = parallel_lanes(add_state, lanes)
    assert [[(a, b) for a, b, _ in lane] for lane in made] == [
        [(i, i + 100) for i in lane] for lane in lanes
    ]
    # One process per lane: a lane never moves between workers.
    for lane in made:
        assert len({pid for *_, pid in lane}) <= 1
    if workers != "1":
        assert all(pid != os.getpid() for lane in made for *_, pid in lane)


def test_an_error_in_a_worker_is_raised_here(monkeypatch):
    monkeypatch.setenv("CXASSESS_BUILD_WORKERS", "2")
    with pytest.raises(ValueError, match="bad item 3"):
        parallel_lanes(fail_on_three, [[1, 2], [3, 4], [5]])


def test_an_error_that_cannot_be_pickled_comes_back_as_text(monkeypatch):
    monkeypatch.setenv("CXASSESS_BUILD_WORKERS", "2")
    with pytest.raises(RuntimeError, match="UnpicklableError: lost detail"):
        parallel_lanes(unpicklable_error, [[1], [2]])


def test_a_worker_that_dies_is_reported(monkeypatch):
    monkeypatch.setenv("CXASSESS_BUILD_WORKERS", "2")
    with pytest.raises(RuntimeError, match="exit code 7"):
        parallel_lanes(die_on_three, [[1, 2], [3], [4]])


def test_no_worker_outlives_the_call(monkeypatch):
    import multiprocessing

    monkeypatch.setenv("CXASSESS_BUILD_WORKERS", "2")
    with pytest.raises(ValueError, match="bad item 3"):
        parallel_lanes(fail_on_three, [[3], [1, 2], [4, 5]])
    assert multiprocessing.active_children() == []
