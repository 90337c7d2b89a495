"""Prefix search: the same rows with or without the index-friendly range, on each dialect."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from netsign_console.admin.prefix import prefix_match

meta = MetaData()
rooms = Table("rooms", meta, Column("id", Integer, primary_key=True),
              Column("no", String(30).with_variant(String(30, collation="C"), "postgresql")),
              Column("name", String(30)))


def test_sqlite_and_c_collated_postgresql_add_a_range_others_only_like():
    lite = str(select(rooms.c.id).where(prefix_match(rooms.c.no, "3-05")).compile(dialect=sqlite.dialect()))
    pg_c = str(select(rooms.c.id).where(prefix_match(rooms.c.no, "3-05")).compile(dialect=postgresql.dialect()))
    pg_ling = str(select(rooms.c.id).where(prefix_match(rooms.c.name, "星城")).compile(dialect=postgresql.dialect()))
    assert ">=" in lite and "<" in lite and "LIKE" in lite
    assert ">=" in pg_c and "LIKE" in pg_c
    assert ">=" not in pg_ling and "LIKE" in pg_ling


def test_results_match_like_exactly_including_wildcards_and_boundaries(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'p.db'}")
    meta.create_all(engine)
    values = ["3-05", "3-0501", "3-0599", "3-06", "3-04", "3_05", "3%05", "30-5", "星城·湘江府", "星城花园", "星"]
    with engine.begin() as conn:
        conn.execute(insert(rooms), [{"no": v, "name": v} for v in values])
        for term in ["3-05", "3_", "3%", "星城", "3", "3-059", "zzz"]:
            got = {r[0] for r in conn.execute(select(rooms.c.no).where(prefix_match(rooms.c.no, term)))}
            assert got == {v for v in values if v.startswith(term)}, term
