"""The grid benchmark keeps working: its tower goes into a small city, is measured on the
server side, and leaves nothing behind (the city's counts are what the other suites reuse).

Timings are not asserted here (targets live in bench/ and docs/benchmarks.md)."""

from __future__ import annotations

from bench import grid_bench
from bench.common import row_count
from bench.generate import generate
from bench.grid_tower import ROOMS, add_tower, remove_tower


def test_tower_in_and_out_and_the_server_suite_runs(tmp_path):
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    generate(url, rooms=2000, tasks=50, archived=10)
    rooms, sessions = row_count(url, "room"), row_count(url, "user_session")
    tower = add_tower(url)
    assert row_count(url, "room") == rooms + ROOMS and row_count(url, "user_session") == sessions + 1
    assert 0 < row_count(url, "room_restriction") < ROOMS
    try:
        rows, payload = grid_bench.server_suite(url, tower, runs=1, warmup=0)
    finally:
        assert remove_tower(url) == ROOMS
    assert row_count(url, "room") == rooms and row_count(url, "room_restriction") == 0
    assert row_count(url, "user_session") == sessions
    assert {(r.who, r.scenario.split(" ")[0]) for r in rows} == {
        (who, "building_grid()") for who in ("developer", "regulator")}
    assert all(r.median_ms > 0 and r.bare_ms > 0 for r in rows)
    assert payload["cells"] == ROOMS and payload["bytes"] > payload["floor_bytes"] > payload["tooltips"] > 0
    text = grid_bench.section(rows, payload, [], {"date": "-", "command": "-", "runs": 1, "warmup": 0,
                                                  "machine": "-", "browser_skipped": "test"})
    assert text.startswith(grid_bench.START) and text.endswith(grid_bench.END) and "960" in text
