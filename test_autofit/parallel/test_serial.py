"""Tests of ``SerialPool``: ``map`` in the calling process."""

from __future__ import annotations

from autofit.parallel import SerialPool


class TestSerialPool:
    def test_map_evaluates_in_order(self):
        assert SerialPool().map(lambda x: x * x, range(6)) == [0, 1, 4, 9, 16, 25]

    def test_map_of_nothing_is_empty(self):
        assert SerialPool().map(abs, []) == []

    def test_runs_in_this_process_with_side_effects(self):
        seen = []
        SerialPool().map(seen.append, ["a", "b"])
        assert seen == ["a", "b"]

    def test_one_process_and_context_manager(self):
        with SerialPool() as pool:
            assert pool.processes == 1
            assert pool.map(str, [1, 2]) == ["1", "2"]
