"""The survey-import benchmark keeps working (one small run of each side; no timing asserted),
and its section replaces itself in docs/benchmarks.md without touching the rest."""

from __future__ import annotations

from bench import survey_bench


def test_the_survey_bench_runs_and_its_section_replaces_itself(tmp_path):
    text = survey_bench.run(runs=1, warmup=0, rooms=600, databases=("SQLite",))
    assert "| SQLite | XLSX |" in text and "| SQLite | CSV |" in text
    assert "file: 600 rooms" in text
    out = tmp_path / "benchmarks.md"
    out.write_text("# Performance benchmarks\n\nlists\n", encoding="utf-8")
    survey_bench.write_section(text, out)
    survey_bench.write_section(text.replace("Survey import", "SURVEY IMPORT"), out)
    result = out.read_text(encoding="utf-8")
    assert result.startswith("# Performance benchmarks\n\nlists\n") and result.count(survey_bench.START) == 1
    assert "SURVEY IMPORT" in result and "## Survey import" not in result
