"""The benchmark code keeps working: a small city on SQLite, every scenario measured.

Timings are not asserted here (speed targets live in bench/ and docs/benchmarks.md)."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from bench import inbox_bench, list_bench
from bench.generate import generate


def test_small_city_generates_and_every_scenario_runs(tmp_path):
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    generate(url, rooms=4000, tasks=200, archived=50)
    engine = create_engine(url)
    with engine.connect() as conn:
        rooms = conn.execute(text("select count(*) from room")).scalar_one()
        bad_areas = conn.execute(text(
            "select count(*) from room where abs(gross_area - inner_area - shared_area) > 0.0001")).scalar_one()
        open_tasks = conn.execute(text("select count(*) from case_task where status = 'open'")).scalar_one()
        split_tasks = conn.execute(text(
            "select count(*) from case_task where status = 'open' and split_id is not null")).scalar_one()
        stats = conn.execute(text("select count(*) from sqlite_stat1")).scalar_one()
    engine.dispose()
    assert rooms == 4000 and bad_areas == 0 and open_tasks == 200
    assert split_tasks == 2 * (200 // 11)  # split cases: the regulator's review and a bank's, both open
    assert stats > 0  # ANALYZE ran, as in the console
    results = list_bench.run(url, runs=1, warmup=0) + inbox_bench.run(url, runs=1, warmup=0)
    # At this size there is no page 500; every other scenario must run cleanly.
    broken = [(r.scenario, r.error) for r in results if r.error and "500" not in r.scenario]
    assert not broken
    assert all(r.median_ms is not None for r in results if not r.error)
    # The bare SQL beside each list call returns the very rows the console shows (search too).
    assert not [r.scenario for r in results if "different rows" in r.note]
    assert any(r.scenario.startswith("e. search inner part") for r in results)
