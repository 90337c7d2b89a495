"""The document benchmarks keep working (one run of each scenario; no timing asserted), and
their section replaces itself in docs/benchmarks.md without touching the rest."""

from __future__ import annotations

from bench import documents_bench


def test_every_document_scenario_runs_and_the_section_replaces_itself(tmp_path):
    text = documents_bench.run(runs=1, warmup=0, load_seconds=0.5, concurrency=2)
    for row in ("render: 商品房预售许可证 (permit) | 2 |", "render: ten-page document | 10 |", "sign_pdf", "validate_pdf",
                "issue() permit signed", "| valid document |", "| unknown code |", "429×"):
        assert row in text, row
    out = tmp_path / "benchmarks.md"
    out.write_text("# Performance benchmarks\n\nlists\n", encoding="utf-8")
    documents_bench.write_section(text, out)
    documents_bench.write_section(text.replace("ten-page", "TEN-PAGE"), out)
    result = out.read_text(encoding="utf-8")
    assert result.startswith("# Performance benchmarks\n\nlists\n") and result.count(documents_bench.START) == 1
    assert "TEN-PAGE" in result and "ten-page document" not in result
