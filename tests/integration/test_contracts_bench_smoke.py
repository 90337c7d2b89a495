"""The contract benchmarks keep working (one small run of each scenario on PostgreSQL; no timing
asserted), and their section replaces itself in docs/benchmarks.md without touching the rest."""

from __future__ import annotations

from sqlalchemy.engine import make_url

from bench import contracts_bench


def test_every_contract_scenario_runs_and_the_section_replaces_itself(tmp_path, pg_server):
    # Named after the test database: two worktrees running this at once must not drop each other's.
    server = make_url(pg_server)
    url = server.set(database=f"netsign_bench_contracts_smoke_{server.database}").render_as_string(False)
    text = contracts_bench.run(runs=1, warmup=0, rounds=1, pg_url=url, rooms=120)
    for row in ("render + stamp + sign: 商品房买卖合同（预售）", "↳ stamp two seals", "↳ sign (PAdES",
                "| claim (lock, checks, version UPDATE), distinct rooms |", "| claim + draft contract row, distinct rooms |",
                "claim + draft + contract number",
                "| claim, 20 workers racing for each of 100 rooms |",
                "| engine 受理 of 预售签约 (case + claim + draft + first task), distinct rooms |",
                "| engine 受理 of 预售签约, 20 workers racing for each of 100 rooms |"):
        assert row in text, row
    # Exactly one claim per raced room was accepted, every other attempt refused.
    assert text.count("| 100 | 1,900 | 2,000 |") == 2  # the bare claim and the engine's 受理
    out = tmp_path / "benchmarks.md"
    out.write_text("# Performance benchmarks\n\nlists\n", encoding="utf-8")
    contracts_bench.write_section(text, out)
    contracts_bench.write_section(text.replace("Contracts (", "CONTRACTS ("), out)
    result = out.read_text(encoding="utf-8")
    assert result.startswith("# Performance benchmarks\n\nlists\n") and result.count(contracts_bench.START) == 1
    assert "CONTRACTS (" in result and "## Contracts (" not in result
