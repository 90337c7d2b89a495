"""Forecast → as-built room mapping (户室关系对照, SURV-09, SURV-10).

After the as-built survey each forecast room (预测户室) gets its successor(s) among the
as-built rooms (实测户室), so that its history (cases, restrictions, contracts) can be carried
over. A mapping is a set of links, each using every room at most once:

* 对应 (match)  one forecast → one as-built; ``auto_match`` links identical rooms (same 栋号,
  室号, 单元 and 实际层) and the user may link others by hand;
* 拆分 (split)  one forecast → two or more as-built;
* 合并 (merge)  two or more forecast → one as-built;
* 新增 (add)    an as-built room with no forecast room;
* 删除 (delete) a forecast room with no successor.

``RoomMapping`` is an immutable value: every operation validates and returns a new mapping,
or raises MappingError (a ValueError with a Chinese message). ``check_complete`` lists what
is still unmapped; ``summary`` gives the confirmation dialog's figures, e.g. 原预测绘户室套数
1009 / 实测绘户室套数 1008 / 对照后户室套数 1008 with one room deleted. To store a mapping,
keep ``links`` and rebuild with ``RoomMapping(forecast, as_built, links)``.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from models.enums import LabeledEnum
from netsign_console.domain.choices import parse_choice
from netsign_console.domain.room_ref import RoomRef, as_room_ref

__all__ = ["LinkKind", "MappingError", "MappingLink", "MappingSummary", "RoomMapping", "auto_match"]

_SHOWN = 10  # unmapped rooms named in one problem message


class LinkKind(LabeledEnum):
    MATCH = ("match", "对应")
    SPLIT = ("split", "拆分")
    MERGE = ("merge", "合并")
    ADD = ("add", "新增")
    DELETE = ("delete", "删除")


class MappingError(ValueError):
    """A mapping operation that would break the rules; the message is for the user."""


@dataclass(frozen=True)
class MappingLink:
    kind: LinkKind
    forecast_ids: tuple[Hashable, ...]
    as_built_ids: tuple[Hashable, ...]


@dataclass(frozen=True)
class MappingSummary:
    forecast_count: int  # 原预测绘户室套数
    as_built_count: int  # 实测绘户室套数
    mapped_count: int  # 对照后户室套数: as-built rooms the mapping covers
    matched: int  # 对应 links
    splits: tuple[tuple[Hashable, tuple[Hashable, ...]], ...]  # (forecast id, as-built ids)
    merges: tuple[tuple[tuple[Hashable, ...], Hashable], ...]  # (forecast ids, as-built id)
    adds: tuple[Hashable, ...]  # as-built ids
    deletes: tuple[Hashable, ...]  # forecast ids


_SHAPES = {  # kind -> (how many forecast rooms, how many as-built rooms) it needs
    LinkKind.MATCH: ((1, 1), (1, 1)),
    LinkKind.SPLIT: ((1, 1), (2, None)),
    LinkKind.MERGE: ((2, None), (1, 1)),
    LinkKind.ADD: ((0, 0), (1, 1)),
    LinkKind.DELETE: ((1, 1), (0, 0)),
}


def _name(room: RoomRef) -> str:
    return f"{room.building} {room.room_number}" if room.building else room.room_number


def _rooms(rooms: Iterable[RoomRef | tuple], side: str) -> dict[Hashable, RoomRef]:
    by_id: dict[Hashable, RoomRef] = {}
    for room in map(as_room_ref, rooms):
        if room.id in by_id:
            raise MappingError(f"{side}户室编号重复：{room.id}")
        by_id[room.id] = room
    return by_id


class RoomMapping:
    __slots__ = ("_forecast", "_as_built", "_links", "_of_forecast", "_of_as_built")

    def __init__(self, forecast: Iterable[RoomRef | tuple], as_built: Iterable[RoomRef | tuple],
                 links: Iterable[MappingLink] = ()) -> None:
        self._replay(_rooms(forecast, "预测"), _rooms(as_built, "实测"), links)

    @classmethod
    def _of(cls, forecast: dict, as_built: dict, links: Iterable[MappingLink]) -> RoomMapping:
        mapping = cls.__new__(cls)
        mapping._replay(forecast, as_built, links)
        return mapping

    def _replay(self, forecast: dict, as_built: dict, links: Iterable[MappingLink]) -> None:
        self._forecast, self._as_built = forecast, as_built
        self._of_forecast: dict[Hashable, MappingLink] = {}
        self._of_as_built: dict[Hashable, MappingLink] = {}
        recorded = []
        for link in links:
            self._check(link)
            recorded.append(self._record(link))
        self._links: tuple[MappingLink, ...] = tuple(recorded)

    # -- validation -----------------------------------------------------------------------

    def _check(self, link: MappingLink) -> None:
        kind = parse_choice(LinkKind, link.kind, "对照方式")
        (f_min, f_max), (a_min, a_max) = _SHAPES[kind]
        sources, targets = tuple(link.forecast_ids), tuple(link.as_built_ids)
        if len(set(sources)) != len(sources) or len(set(targets)) != len(targets):
            raise MappingError("同一户室不能重复选择")
        if kind is LinkKind.SPLIT and len(targets) < 2:
            raise MappingError("拆分至少需要选择2个实测户室")
        if kind is LinkKind.MERGE and len(sources) < 2:
            raise MappingError("合并至少需要选择2个预测户室")
        if not (f_min <= len(sources) <= (f_max or len(sources))
                and a_min <= len(targets) <= (a_max or len(targets))):
            raise MappingError(f"{kind.label}的户室数量不正确")
        for fid in sources:
            self._free(fid, self._forecast, self._of_forecast, "预测")
        for aid in targets:
            self._free(aid, self._as_built, self._of_as_built, "实测")

    @staticmethod
    def _free(room_id: Hashable, rooms: dict, used: dict, side: str) -> None:
        if room_id not in rooms:
            raise MappingError(f"{side}户室不存在：{room_id}")
        if room_id in used:
            raise MappingError(f"{side}户室{_name(rooms[room_id])}已{used[room_id].kind.label}，请先取消原对照")

    def _record(self, link: MappingLink) -> MappingLink:
        link = MappingLink(parse_choice(LinkKind, link.kind, "对照方式"), tuple(link.forecast_ids),
                           tuple(link.as_built_ids))
        for fid in link.forecast_ids:
            self._of_forecast[fid] = link
        for aid in link.as_built_ids:
            self._of_as_built[aid] = link
        return link

    def _with(self, link: MappingLink) -> RoomMapping:
        return RoomMapping._of(self._forecast, self._as_built, self._links + (link,))

    def _without(self, link: MappingLink) -> RoomMapping:
        return RoomMapping._of(self._forecast, self._as_built, tuple(x for x in self._links if x is not link))

    # -- operations (each returns a new mapping) ------------------------------------------

    def match(self, forecast_id: Hashable, as_built_id: Hashable) -> RoomMapping:
        return self._with(MappingLink(LinkKind.MATCH, (forecast_id,), (as_built_id,)))

    def split(self, forecast_id: Hashable, as_built_ids: Sequence[Hashable]) -> RoomMapping:
        return self._with(MappingLink(LinkKind.SPLIT, (forecast_id,), tuple(as_built_ids)))

    def merge(self, forecast_ids: Sequence[Hashable], as_built_id: Hashable) -> RoomMapping:
        return self._with(MappingLink(LinkKind.MERGE, tuple(forecast_ids), (as_built_id,)))

    def add(self, as_built_id: Hashable) -> RoomMapping:
        return self._with(MappingLink(LinkKind.ADD, (), (as_built_id,)))

    def delete(self, forecast_id: Hashable) -> RoomMapping:
        return self._with(MappingLink(LinkKind.DELETE, (forecast_id,), ()))

    def unmap_forecast(self, forecast_id: Hashable) -> RoomMapping:
        """Remove the link the forecast room is in (all its rooms become unmapped)."""
        if forecast_id not in self._of_forecast:
            raise MappingError(f"预测户室尚未对照：{forecast_id}")
        return self._without(self._of_forecast[forecast_id])

    def unmap_as_built(self, as_built_id: Hashable) -> RoomMapping:
        if as_built_id not in self._of_as_built:
            raise MappingError(f"实测户室尚未对照：{as_built_id}")
        return self._without(self._of_as_built[as_built_id])

    # -- reading --------------------------------------------------------------------------

    @property
    def links(self) -> tuple[MappingLink, ...]:
        return self._links

    def unmapped_forecast(self) -> list[Hashable]:
        return [fid for fid in self._forecast if fid not in self._of_forecast]

    def unmapped_as_built(self) -> list[Hashable]:
        return [aid for aid in self._as_built if aid not in self._of_as_built]

    def successors(self, forecast_id: Hashable) -> list[Hashable]:
        """The as-built rooms that take over this forecast room's history ([] if deleted or unmapped)."""
        if forecast_id not in self._forecast:
            raise MappingError(f"预测户室不存在：{forecast_id}")
        link = self._of_forecast.get(forecast_id)
        return list(link.as_built_ids) if link else []

    def predecessors(self, as_built_id: Hashable) -> list[Hashable]:
        """The forecast rooms this as-built room comes from ([] if added or unmapped)."""
        if as_built_id not in self._as_built:
            raise MappingError(f"实测户室不存在：{as_built_id}")
        link = self._of_as_built.get(as_built_id)
        return list(link.forecast_ids) if link else []

    def check_complete(self) -> list[str]:
        """What still keeps the mapping from being saved; [] when complete."""
        problems = []
        for side, ids, rooms, choices in (
            ("预测", self.unmapped_forecast(), self._forecast, "对应、拆分、合并或删除"),
            ("实测", self.unmapped_as_built(), self._as_built, "对应、拆分、合并或新增"),
        ):
            if ids:
                names = "、".join(_name(rooms[i]) for i in ids[:_SHOWN])
                more = f"等{len(ids)}户" if len(ids) > _SHOWN else ""
                problems.append(f"{len(ids)}户{side}户室尚未对照（请{choices}）：{names}{more}")
        return problems

    def summary(self) -> MappingSummary:
        of = {kind: [x for x in self._links if x.kind is kind] for kind in LinkKind}
        return MappingSummary(
            forecast_count=len(self._forecast),
            as_built_count=len(self._as_built),
            mapped_count=len(self._of_as_built),
            matched=len(of[LinkKind.MATCH]),
            splits=tuple((x.forecast_ids[0], x.as_built_ids) for x in of[LinkKind.SPLIT]),
            merges=tuple((x.forecast_ids, x.as_built_ids[0]) for x in of[LinkKind.MERGE]),
            adds=tuple(x.as_built_ids[0] for x in of[LinkKind.ADD]),
            deletes=tuple(x.forecast_ids[0] for x in of[LinkKind.DELETE]),
        )


def _key(room: RoomRef) -> tuple:
    return (room.building or "", room.room_number.strip(), (room.unit or "").strip(), room.actual_floor)


def auto_match(forecast: Iterable[RoomRef | tuple], as_built: Iterable[RoomRef | tuple]) -> RoomMapping:
    """A mapping with every identical pair matched (栋号, 室号, 单元, 实际层 equal and unique on both sides)."""
    forecast_rooms, as_built_rooms = _rooms(forecast, "预测"), _rooms(as_built, "实测")
    counts: dict[tuple, list[int]] = {}
    for side, rooms in ((0, forecast_rooms), (1, as_built_rooms)):
        for room in rooms.values():
            counts.setdefault(_key(room), [0, 0])[side] += 1
    by_key = {_key(r): r.id for r in as_built_rooms.values() if counts[_key(r)] == [1, 1]}
    links = [MappingLink(LinkKind.MATCH, (r.id,), (by_key[_key(r)],))
             for r in forecast_rooms.values() if _key(r) in by_key]
    return RoomMapping._of(forecast_rooms, as_built_rooms, links)
