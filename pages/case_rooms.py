"""The room screens of a case's sub-tasks: the batch (RoomBatchStep) with its selection tools,
price generator, price check and quick set, and the room picker (RoomPickStep).

A state of its own (the case page opens it with the case, stage and sub-task), so the case
page's state stays small. Every write goes through workflow.subtask_service, which checks that
the user holds the stage's open task and that each room is the case's.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from netsign_console.admin.base import admin_for
from netsign_console.auth.guard import guarded
from netsign_console.auth.permissions import Perm
from netsign_console.auth.principal import current_principal
from netsign_console.db import session_scope
from netsign_console.errors import PermissionDenied, UserError, ValidationFailed
from netsign_console.grid.payload import card_vars, empty_card_vars, empty_grid_vars, grid_vars
from netsign_console.state.app_state import AppState
from netsign_console.state.grid_state import GridVars
from netsign_console.workflow import room_batch, subtask_service
from netsign_console.workflow.room_batch import RoomSelection


@dataclasses.dataclass
class FieldChoice:
    name: str
    label: str
    widget: str
    choices: list[list[str]]
    required: bool  # a room missing it keeps the sub-task open


@dataclasses.dataclass
class RoomLine:
    id: int
    room_number: str
    unit: str
    floor: int
    cells: list[str]  # not "values": that name is taken on object vars
    missing: bool


@dataclasses.dataclass
class PriceLine:
    id: int
    room_number: str
    unit: str
    floor: int
    nominal_floor: str
    usage: str
    layout: str
    label: str
    total: str


def _errors_of(exc: Exception, default: str) -> dict[str, str]:
    return getattr(exc, "errors", None) or {getattr(exc, "field", "") or default: str(exc)}


class CaseRoomsState(GridVars, AppState):
    case_id: int = 0
    stage: str = ""
    code: str = ""
    mode: str = ""  # "rooms" (batch) or "pick"
    editable: bool = False
    price_tools: bool = False
    quick_fields: list[FieldChoice] = []
    fields: list[FieldChoice] = []
    rows: list[RoomLine] = []
    units: list[str] = []
    layouts: list[str] = []
    missing: int = 0
    selected: list[int] = []
    note: str = ""
    pending: str = ""  # "batch" | "prices": what 确认 applies
    pick_action: str = ""
    pick_figures: list[list[str]] = []  # RoomPickStep.figures of the selection as it stands
    price_rows: list[PriceLine] = []
    price_filters: dict[str, str] = {}
    editing_room: int = 0
    errors: dict[str, str] = {}
    _pending_values: dict[str, str] = {}
    # The step's rooms: the only ones a click may pick (backend only).
    _pickable: set[int] = set()

    # ----- opening --------------------------------------------------------------------------

    @guarded(Perm.CASE_INBOX)
    def open_rooms(self, case_id: int, stage: str, code: str):
        self.case_id, self.stage, self.code = int(case_id), str(stage), str(code)
        self.selected, self.note, self.pending, self.errors, self.editing_room = [], "", "", {}, 0
        self.price_filters, self.price_rows = {}, []
        self._load()

    def _load(self) -> None:
        admin = admin_for("rooms")
        principal = current_principal()
        with session_scope() as session:
            sub = subtask_service.subtask_of(session, principal, self.case_id, self.stage, self.code)
            if sub.kind == "pick":
                sub, rows, picked, editable = subtask_service.pick_view(
                    session, principal, self.case_id, self.stage, self.code)
                missing = 0
                if not self.selected:
                    self.selected = list(picked)
            else:
                rows, editable, missing = subtask_service.rooms_view(
                    session, principal, self.case_id, self.stage, self.code)
        self.mode = sub.kind
        self.pick_action = getattr(sub, "action", "")
        names = list(getattr(sub, "fields", ()))
        self.fields = [self._choice(admin, n, n in getattr(sub, "required_fields", ())) for n in names]
        self.quick_fields = [self._choice(admin, n, False) for n in getattr(sub, "quick_fields", ())]
        self.price_tools = bool(getattr(sub, "price_tools", False))
        self.rows = [RoomLine(r.id, r.room_number, r.unit, r.actual_floor, [r.values[n] for n in names],
                              bool(r.missing)) for r in rows]
        self.units = sorted({r.unit for r in rows if r.unit})
        self.missing = missing
        self.editable = editable
        self.selected = [i for i in self.selected if any(r.id == i for r in rows)]
        self._pickable = {r.id for r in rows}
        self._figures()
        with session_scope() as session:
            view = subtask_service.rooms_grid(session, principal, self.case_id, self.stage, self.code)
        self._apply(grid_vars(view) if view is not None else empty_grid_vars())
        if self.price_tools:
            self._load_prices()

    @staticmethod
    def _choice(admin, name: str, required: bool) -> FieldChoice:
        info = admin.columns[name]
        choices = [list(c) for c in (info.enum.choices() if info.enum else [])]
        return FieldChoice(name, admin.label(name), info.column_kind.widget, choices, required)

    def _done(self, message: str):
        from pages.case_page import CaseState

        self._load()
        return [rx.toast.success(message), CaseState.reload]

    # ----- selection (SURV-03) --------------------------------------------------------------

    @guarded(Perm.CASE_HANDLE)
    def toggle_room(self, room_id: int):
        """A click on the grid or a tick in the table: only the step's own rooms can be picked."""
        try:
            room_id = int(room_id)
        except (TypeError, ValueError):
            raise PermissionDenied("记录不存在或无权访问") from None
        if room_id not in self._pickable:
            raise PermissionDenied("记录不存在或无权访问")
        if not self.editable:
            return  # someone reading the case: the grid shows the choice, it does not change it
        self.selected = [i for i in self.selected if i != room_id] if room_id in self.selected \
            else self.selected + [room_id]
        self.note, self.pending = "", ""
        self._figures()

    def _figures(self) -> None:
        if self.mode != "pick":
            self.pick_figures = []
            return
        with session_scope() as session:
            rows = subtask_service.pick_figures(session, current_principal(), self.case_id, self.stage, self.code,
                                                list(self.selected))
        self.pick_figures = [list(r) for r in rows]

    @guarded(Perm.CASE_INBOX)
    def open_room(self, room_id: int):
        from netsign_console.grid import room_card

        with session_scope() as session:
            card = room_card(session, current_principal(), room_id)
        self._apply(card_vars(card))

    @guarded(Perm.CASE_INBOX)
    def close_room(self):
        self._apply(empty_card_vars())

    @guarded(Perm.CASE_HANDLE)
    def select_rooms(self, form: dict):
        """全选 / 按单元 / 按实际层 / 室号匹配: the picked rooms replace the selection."""
        try:
            selection = _selection(form, str(form.get("mode", "all")))
            with session_scope() as session:
                sub = subtask_service.subtask_of(session, current_principal(), self.case_id, self.stage, self.code)
                case = session.get(subtask_service.Case, self.case_id)
                ids = room_batch.select_ids(session, sub, subtask_service.context(session, case, current_principal()),
                                            selection)
        except (UserError, ValueError, PermissionDenied) as exc:
            self.errors = {"selection": str(exc)}
            return
        self.selected, self.errors, self.pending = ids, {}, ""
        self.note = f"已选择{len(ids)}户"
        self._figures()

    # ----- 批量设置 (SURV-04) --------------------------------------------------------------------

    @guarded(Perm.CASE_HANDLE)
    def preview_batch(self, form: dict):
        """The batch form's submit: say how many rooms would change, then wait for 确认设置."""
        values = {k: str(v) for k, v in form.items()}
        try:
            with session_scope() as session:
                selected, changing = subtask_service.rooms_preview(
                    session, current_principal(), self.case_id, self.stage, self.code,
                    RoomSelection(room_ids=tuple(self.selected)), values)
        except (UserError, ValidationFailed) as exc:
            self.errors, self.pending = _errors_of(exc, "batch_values"), ""
            return
        if not selected:
            self.errors = {"selection": "请先选择户室"}
            return
        self.errors, self._pending_values, self.pending = {}, values, "batch"
        self.note = f"已选择{selected}户，将修改{changing}户，确认设置吗？"

    @guarded(Perm.CASE_HANDLE)
    def cancel_pending(self):
        self.pending, self._pending_values, self.note = "", {}, ""

    @guarded(Perm.CASE_HANDLE)
    def confirm_pending(self):
        values, what = self._pending_values, self.pending
        self.pending = ""
        selection = RoomSelection(room_ids=tuple(self.selected))
        try:
            with session_scope() as session:
                if what == "prices":
                    count = subtask_service.rooms_generate_prices(
                        session, current_principal(), self.case_id, self.stage, self.code, selection, values,
                        preview=False)
                    message = f"已为{count}户生成价格"
                else:
                    changed, missing = subtask_service.rooms_apply(
                        session, current_principal(), self.case_id, self.stage, self.code, selection, values)
                    message = f"已设置{changed}户" + (f"，尚有{missing}户信息不全" if missing else "，户室信息已完整")
        except (UserError, ValidationFailed) as exc:
            self.errors = _errors_of(exc, "batch_values")
            return rx.toast.error(str(exc))
        self.errors, self.note = {}, message
        return self._done(message)

    # ----- 快捷设置价格 (SURV-05) and 价格核对 (SURV-06) -------------------------------------------

    @guarded(Perm.CASE_HANDLE)
    def preview_prices(self, form: dict):
        values = {k: str(v) for k, v in form.items()}
        selection = RoomSelection(room_ids=tuple(self.selected)) if self.selected else RoomSelection()
        try:
            with session_scope() as session:
                count = subtask_service.rooms_generate_prices(
                    session, current_principal(), self.case_id, self.stage, self.code, selection, values, preview=True)
        except (UserError, ValidationFailed) as exc:
            self.errors, self.pending = _errors_of(exc, "price_rule"), ""
            return
        if not count:
            self.errors = {"price_rule": "没有符合条件的户室（请检查户型、基准层和方向）"}
            return
        self.errors, self._pending_values, self.pending = {}, values, "prices"
        scope = f"已选{len(self.selected)}户中" if self.selected else "全部户室中"
        self.note = f"{scope}将为{count}户生成价格，确认生成吗？"

    def _load_prices(self) -> None:
        with session_scope() as session:
            rows = subtask_service.rooms_price_rows(session, current_principal(), self.case_id, self.stage,
                                                    self.code, self.price_filters)
        self.price_rows = [PriceLine(r.id, r.room_number, r.unit, r.actual_floor, r.nominal_floor, r.usage,
                                     r.layout, r.label, r.total) for r in rows]
        self.layouts = sorted({r.layout for r in rows if r.layout})

    @guarded(Perm.CASE_INBOX)
    def filter_prices(self, form: dict):
        self.price_filters = {k: str(v).strip() for k, v in form.items() if str(v).strip()}
        try:
            self._load_prices()
        except UserError as exc:
            self.errors = {"price_filter": str(exc)}

    @guarded(Perm.CASE_HANDLE)
    def edit_room(self, room_id: int):
        self.editing_room = int(room_id)
        self.errors = {}

    @guarded(Perm.CASE_HANDLE)
    def close_edit(self):
        self.editing_room = 0

    @guarded(Perm.CASE_HANDLE)
    def save_room(self, form: dict):
        """快速设置 or a 价格核对 correction of the room being edited."""
        values = {k: str(v) for k, v in form.items() if str(v).strip() != ""}
        try:
            with session_scope() as session:
                subtask_service.rooms_quick_set(session, current_principal(), self.case_id, self.stage, self.code,
                                                self.editing_room, values)
        except (UserError, ValidationFailed) as exc:
            self.errors = _errors_of(exc, "room_edit")
            return rx.toast.error(str(exc))
        self.editing_room, self.errors = 0, {}
        return self._done("已保存该户")

    # ----- RoomPickStep ------------------------------------------------------------------------

    @guarded(Perm.CASE_HANDLE)
    def save_pick(self):
        try:
            with session_scope() as session:
                count = subtask_service.pick_save(session, current_principal(), self.case_id, self.stage, self.code,
                                                  list(self.selected))
        except (UserError, ValidationFailed) as exc:
            self.errors = _errors_of(exc, "selection")
            return rx.toast.error(str(exc))
        self.errors = {}
        return self._done(f"已{self.pick_action}{count}户" if count else "已保存")


def _selection(form: dict, mode: str) -> RoomSelection:
    if mode == "unit":
        return RoomSelection(units=(str(form.get("unit", "")),))
    if mode == "floor":
        text = str(form.get("floor", "")).strip()
        if not text.lstrip("-").isdigit():
            raise UserError("实际层应为整数", "selection")
        return RoomSelection(floors=(int(text),))
    if mode == "pattern":
        length = str(form.get("length", "")).strip()
        return RoomSelection(pattern=(str(form.get("position", "back")), str(form.get("digits", "")).strip(),
                                      int(length) if length.isdigit() else 0))
    if mode == "none":
        return RoomSelection()
    return RoomSelection(all_rooms=True)


@dataclasses.dataclass
class MappingLine:
    key: str
    kind: str
    forecast: str
    as_built: str


class CaseMappingState(AppState):
    """户室关系对照 (MappingStep): the regulator links forecast rooms to their as-built successors."""

    case_id: int = 0
    stage: str = ""
    code: str = ""
    editable: bool = False
    counts: list[int] = [0, 0, 0, 0]  # forecast, as-built, after mapping, matched
    unmapped_forecast: list[list[str]] = []
    unmapped_as_built: list[list[str]] = []
    links: list[MappingLine] = []
    problems: list[str] = []
    areas: list[list[str]] = []
    picked_forecast: list[str] = []
    picked_as_built: list[str] = []
    errors: dict[str, str] = {}

    @guarded(Perm.CASE_INBOX)
    def open_mapping(self, case_id: int, stage: str, code: str):
        self.case_id, self.stage, self.code = int(case_id), str(stage), str(code)
        self.picked_forecast, self.picked_as_built, self.errors = [], [], {}
        self._load()

    def _load(self) -> None:
        with session_scope() as session:
            view, editable = subtask_service.mapping_view(session, current_principal(), self.case_id, self.stage,
                                                          self.code)
        self.editable = editable
        self.counts = [view.forecast_count, view.as_built_count, view.mapped_count, view.matched]
        self.unmapped_forecast = [[str(i), label] for i, label in view.unmapped_forecast]
        self.unmapped_as_built = [[str(i), label] for i, label in view.unmapped_as_built]
        self.links = [MappingLine(*x) for x in view.links]
        self.problems = list(view.problems)
        self.areas = [list(x) for x in view.areas]

    @guarded(Perm.CASE_HANDLE)
    def toggle(self, side: str, room_id: str):
        picked = self.picked_forecast if side == "forecast" else self.picked_as_built
        picked = [i for i in picked if i != room_id] if room_id in picked else picked + [room_id]
        if side == "forecast":
            self.picked_forecast = picked
        else:
            self.picked_as_built = picked

    @guarded(Perm.CASE_HANDLE)
    def operate(self, op: str):
        return self._operate(op, self.picked_forecast, self.picked_as_built)

    @guarded(Perm.CASE_HANDLE)
    def unmap(self, key: str):
        _kind, forecast, as_built = str(key).split(":")
        return self._operate("unmap", [i for i in forecast.split(",") if i], [i for i in as_built.split(",") if i])

    def _operate(self, op: str, forecast: list[str], as_built: list[str]):
        try:
            with session_scope() as session:
                subtask_service.mapping_operate(session, current_principal(), self.case_id, self.stage, self.code, op,
                                                [int(i) for i in forecast], [int(i) for i in as_built])
        except (UserError, ValidationFailed) as exc:
            self.errors = _errors_of(exc, "mapping")
            return rx.toast.error(str(exc))
        from pages.case_page import CaseState

        self.errors, self.picked_forecast, self.picked_as_built = {}, [], []
        self._load()
        return CaseState.reload
