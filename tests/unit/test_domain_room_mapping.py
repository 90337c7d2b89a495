import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netsign_console.domain.room_mapping import (
    LinkKind,
    MappingError,
    MappingLink,
    RoomMapping,
    auto_match,
)
from netsign_console.domain.room_ref import RoomRef


def rooms(prefix, numbers, floor=1, unit="1"):
    return [(f"{prefix}{n}", n, unit, floor) for n in numbers]


FORECAST = rooms("f", ["101", "102", "103", "104", "105"])
AS_BUILT = rooms("a", ["101", "102", "103A", "103B", "106"])


class TestAutoMatch:
    def test_identical_rooms_are_matched(self):
        mapping = auto_match(FORECAST, AS_BUILT)
        assert mapping.successors("f101") == ["a101"] and mapping.successors("f102") == ["a102"]
        assert mapping.unmapped_forecast() == ["f103", "f104", "f105"]
        assert mapping.unmapped_as_built() == ["a103A", "a103B", "a106"]

    def test_unit_floor_and_building_must_agree(self):
        forecast = [("f1", "101", "1", 1), ("f2", "102", "1", 1), ("f3", "201", "1", 2, "D1")]
        as_built = [("a1", "101", "2", 1), ("a2", "102", "1", 2), ("a3", "201", "1", 2, "D2")]
        assert auto_match(forecast, as_built).links == ()

    def test_spaces_and_blank_units_do_not_matter(self):
        mapping = auto_match([("f1", "101 ", None, 1)], [("a1", "101", " ", 1)])
        assert mapping.successors("f1") == ["a1"]

    def test_ambiguous_keys_are_left_to_the_user(self):
        forecast = [("f1", "101", "1", 1), ("f2", "101", "1", 1)]
        mapping = auto_match(forecast, [("a1", "101", "1", 1)])
        assert mapping.links == ()

    def test_duplicate_ids_refused(self):
        with pytest.raises(MappingError, match="预测户室编号重复：f1"):
            auto_match([("f1", "1", None, 1), ("f1", "2", None, 1)], [])


class TestOperations:
    def complete(self):
        return (auto_match(FORECAST, AS_BUILT)
                .split("f103", ["a103A", "a103B"])
                .merge(["f104", "f105"], "a106"))

    def test_a_complete_mapping(self):
        mapping = self.complete()
        assert mapping.check_complete() == []
        assert mapping.successors("f103") == ["a103A", "a103B"]
        assert mapping.successors("f104") == ["a106"] == mapping.successors("f105")
        assert mapping.predecessors("a106") == ["f104", "f105"]
        assert mapping.predecessors("a103B") == ["f103"]
        summary = mapping.summary()
        assert (summary.forecast_count, summary.as_built_count, summary.mapped_count, summary.matched) == (5, 5, 5, 2)
        assert summary.splits == (("f103", ("a103A", "a103B")),)
        assert summary.merges == ((("f104", "f105"), "a106"),)
        assert summary.adds == () and summary.deletes == ()

    def test_operations_do_not_change_the_original(self):
        base = auto_match(FORECAST, AS_BUILT)
        base.delete("f103")
        assert base.unmapped_forecast() == ["f103", "f104", "f105"]

    def test_add_and_delete(self):
        mapping = auto_match(FORECAST, AS_BUILT).delete("f103").delete("f104").delete("f105")
        mapping = mapping.add("a103A").add("a103B").add("a106")
        assert mapping.check_complete() == []
        assert mapping.successors("f104") == [] and mapping.predecessors("a106") == []
        summary = mapping.summary()
        assert summary.deletes == ("f103", "f104", "f105") and summary.adds == ("a103A", "a103B", "a106")

    def test_manual_match(self):
        mapping = auto_match(FORECAST, AS_BUILT).match("f103", "a103A")
        assert mapping.successors("f103") == ["a103A"]

    @pytest.mark.parametrize(
        ("operation", "message"),
        [
            (lambda m: m.split("f103", ["a103A"]), "拆分至少需要选择2个实测户室"),
            (lambda m: m.merge(["f104"], "a106"), "合并至少需要选择2个预测户室"),
            (lambda m: m.split("f103", ["a103A", "a103A"]), "同一户室不能重复选择"),
            (lambda m: m.match("f101", "a103A"), "预测户室101已对应，请先取消原对照"),
            (lambda m: m.merge(["f103", "f104"], "a101"), "实测户室101已对应，请先取消原对照"),
            (lambda m: m.split("f103", ["a103A", "a103B"]).add("a103B"), "实测户室103B已拆分"),
            (lambda m: m.delete("f9"), "预测户室不存在：f9"),
            (lambda m: m.add("f103"), "实测户室不存在：f103"),
            (lambda m: m.delete("f101"), "预测户室101已对应"),
        ],
    )
    def test_refusals(self, operation, message):
        with pytest.raises(MappingError, match=message):
            operation(auto_match(FORECAST, AS_BUILT))

    def test_unmap_frees_every_room_of_the_link(self):
        mapping = self.complete().unmap_as_built("a106")
        assert mapping.unmapped_forecast() == ["f104", "f105"] and mapping.unmapped_as_built() == ["a106"]
        mapping = mapping.unmap_forecast("f103")
        assert mapping.unmapped_as_built() == ["a103A", "a103B", "a106"]
        with pytest.raises(MappingError, match="尚未对照"):
            mapping.unmap_forecast("f103")

    def test_rebuilt_from_its_links(self):
        mapping = self.complete()
        again = RoomMapping(FORECAST, AS_BUILT, mapping.links)
        assert again.summary() == mapping.summary()
        stored = [MappingLink(link.kind.value, list(link.forecast_ids), list(link.as_built_ids)) for link in mapping.links]
        assert RoomMapping(FORECAST, AS_BUILT, stored).summary() == mapping.summary()
        with pytest.raises(MappingError):
            RoomMapping(FORECAST, AS_BUILT, mapping.links + (MappingLink(LinkKind.DELETE, ("f101",), ()),))
        with pytest.raises(ValueError, match="对照方式“swap”无效"):
            RoomMapping(FORECAST, AS_BUILT, [MappingLink("swap", ("f101",), ("a101",))])

    def test_successors_of_an_unknown_room(self):
        with pytest.raises(MappingError, match="预测户室不存在"):
            auto_match(FORECAST, AS_BUILT).successors("zzz")
        with pytest.raises(MappingError, match="实测户室不存在"):
            auto_match(FORECAST, AS_BUILT).predecessors("zzz")


class TestCheckComplete:
    def test_problems_name_the_rooms(self):
        problems = auto_match(FORECAST, AS_BUILT).check_complete()
        assert problems == [
            "3户预测户室尚未对照（请对应、拆分、合并或删除）：103、104、105",
            "3户实测户室尚未对照（请对应、拆分、合并或新增）：103A、103B、106",
        ]

    def test_long_lists_are_cut(self):
        forecast = rooms("f", [str(n) for n in range(100, 125)])
        (problem,) = RoomMapping(forecast, []).check_complete()
        assert problem.startswith("25户预测户室尚未对照") and problem.endswith("109等25户")

    def test_building_is_named_when_known(self):
        mapping = RoomMapping([RoomRef("f1", "101", "1", 1, "D004")], [])
        assert mapping.check_complete() == ["1户预测户室尚未对照（请对应、拆分、合并或删除）：D004 101"]


def test_manual_example_1009_1008_1008():
    """SURV-10: 1009 forecast rooms, 1008 as-built, one room "109" deleted."""
    numbers = [f"{floor}{room:02d}" for floor in range(1, 102) for room in range(1, 11)][:1009]
    assert "109" in numbers
    forecast = [(f"f{n}", n, "1", int(n[:-2])) for n in numbers]
    as_built = [(f"a{n}", n, "1", int(n[:-2])) for n in numbers if n != "109"]
    mapping = auto_match(forecast, as_built)
    assert len(mapping.check_complete()) == 1
    mapping = mapping.delete("f109")
    summary = mapping.summary()
    assert (summary.forecast_count, summary.as_built_count, summary.mapped_count) == (1009, 1008, 1008)
    assert summary.deletes == ("f109",) and summary.splits == summary.merges == summary.adds == ()
    assert mapping.check_complete() == []


@settings(max_examples=50, deadline=None)
@given(st.data())
def test_successors_and_predecessors_are_inverse(data):
    forecast = [(f"f{i}", str(i), None, 1) for i in range(data.draw(st.integers(0, 12)))]
    as_built = [(f"a{i}", str(i), None, 1) for i in range(data.draw(st.integers(0, 12)))]
    mapping = RoomMapping(forecast, as_built)
    for _ in range(data.draw(st.integers(0, 15))):
        free_f, free_a = mapping.unmapped_forecast(), mapping.unmapped_as_built()
        choice = data.draw(st.sampled_from(["match", "split", "merge", "add", "delete"]))
        try:
            if choice == "match" and free_f and free_a:
                mapping = mapping.match(data.draw(st.sampled_from(free_f)), data.draw(st.sampled_from(free_a)))
            elif choice == "split" and free_f and len(free_a) >= 2:
                targets = data.draw(st.lists(st.sampled_from(free_a), min_size=2, unique=True))
                mapping = mapping.split(data.draw(st.sampled_from(free_f)), targets)
            elif choice == "merge" and len(free_f) >= 2 and free_a:
                sources = data.draw(st.lists(st.sampled_from(free_f), min_size=2, unique=True))
                mapping = mapping.merge(sources, data.draw(st.sampled_from(free_a)))
            elif choice == "add" and free_a:
                mapping = mapping.add(data.draw(st.sampled_from(free_a)))
            elif choice == "delete" and free_f:
                mapping = mapping.delete(data.draw(st.sampled_from(free_f)))
        except MappingError as exc:  # pragma: no cover - free rooms only: never refused
            raise AssertionError(exc) from exc
    for fid, *_ in forecast:
        for aid in mapping.successors(fid):
            assert fid in mapping.predecessors(aid)
    covered = [aid for aid, *_ in as_built if aid not in mapping.unmapped_as_built()]
    assert mapping.summary().mapped_count == len(covered)
    assert (mapping.check_complete() == []) == (not mapping.unmapped_forecast() and not mapping.unmapped_as_built())
