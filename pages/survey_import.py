"""测绘成果导入 (/survey/import, issue 8): the survey office imports a survey-result file.

Pick the developer and its project (searched as you type), upload the file, read the report
(counts, each error with its row, column and reason, warnings apart), then 导入 (refused while
errors exist) or, explicitly, 仅导入正确的行; then follow the link to the new result. The
handlers only call netsign_console.survey, which checks the permission and parses the staged
file again on import.

Ids: developer-search, project-search (options: class developer-option / project-option),
error-developer_org_id, error-project_id, error-file, survey-upload, survey-check,
report-summary, report-errors, report-warnings, survey-commit, survey-commit-valid,
survey-error-report, import-done, import-done-link, survey-template.
"""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from netsign_console.admin.ui.jobs import run_with_progress
from netsign_console.auth.guard import guarded
from netsign_console.auth.permissions import Perm
from netsign_console.auth.principal import current_principal
from netsign_console.components.page import console_page
from netsign_console.components.table import header_row
from netsign_console.db import session_scope
from netsign_console.errors import ActionRefused, UserError
from netsign_console.settings import settings
from netsign_console.state.app_state import AppState
from netsign_console.survey import check_upload, commit_import, error_report_csv
from netsign_console.survey.pickers import search_developers, search_projects

ROUTE = "/survey/import"
UPLOAD_ID = "survey-upload"
SHOWN = 200  # report lines kept in the page's state; the CSV report has them all
DEBOUNCE_MS = 350


@dataclasses.dataclass
class PickOption:
    id: int
    label: str


@dataclasses.dataclass
class ReportLine:
    row: str
    column: str
    message: str


@dataclasses.dataclass
class BuildingLine:
    building_number: str
    survey_code: str
    total_units: int
    valid_rooms: int


def _lines(items) -> list[ReportLine]:
    return [ReportLine(str(e.row) if e.row else "整个文件", e.column, e.message) for e in items[:SHOWN]]


class SurveyImportState(AppState):
    developer_term: str = ""
    developer_options: list[PickOption] = []
    developer_id: int = 0
    project_term: str = ""
    project_options: list[PickOption] = []
    project_id: int = 0
    field_errors: dict[str, str] = {}
    checking: bool = False
    importing: bool = False
    progress: int = 0
    import_token: str = ""  # NOT "token": that is AppState's session cookie
    filename: str = ""
    survey_number: str = ""
    kind_label: str = ""
    target_label: str = ""
    buildings: list[BuildingLine] = []
    row_count: int = 0
    room_count: int = 0
    error_count: int = 0
    error_rows: int = 0
    warning_count: int = 0
    errors: list[ReportLine] = []
    warnings: list[ReportLine] = []
    valid_rooms: int = 0
    valid_buildings: int = 0
    can_valid_only: bool = False
    message: str = ""
    result_id: int = 0
    result_number: str = ""

    def _clear_report(self) -> None:
        self.import_token, self.filename, self.survey_number, self.kind_label, self.target_label = "", "", "", "", ""
        self.buildings, self.errors, self.warnings = [], [], []
        self.row_count = self.room_count = self.error_count = self.error_rows = self.warning_count = 0
        self.valid_rooms = self.valid_buildings = self.progress = 0
        self.can_valid_only, self.message = False, ""

    def _search_developers(self) -> None:
        with session_scope() as session:
            found = search_developers(session, current_principal(), self.developer_term)
        self.developer_options = [PickOption(k, n) for k, n in found]

    def _search_projects(self) -> None:
        if not self.developer_id:
            self.project_options = []
            return
        with session_scope() as session:
            found = search_projects(session, current_principal(), self.developer_id, self.project_term)
        self.project_options = [PickOption(k, n) for k, n in found]

    @guarded(Perm.SURVEY_IMPORT, page_load=True)
    def load(self):
        self._clear_report()
        self.developer_term, self.developer_id, self.project_term, self.project_id = "", 0, "", 0
        self.developer_options, self.project_options, self.field_errors = [], [], {}
        self.checking = self.importing = False
        self.result_id, self.result_number = 0, ""
        principal = current_principal()
        if not principal.sees_all_organizations:  # 文件导入: a developer imports for itself
            self.developer_id, self.developer_term = int(principal.org_id), principal.org_name
            self._search_projects()

    # ------------------------------------------------------------ pickers
    @guarded(Perm.SURVEY_IMPORT)
    def search_developer(self, term: str):
        self.developer_term, self.developer_id = str(term)[:50], 0
        self.project_term, self.project_id, self.project_options = "", 0, []
        self._search_developers()

    @guarded(Perm.SURVEY_IMPORT)
    def pick_developer(self, org_id: int, label: str):
        self.developer_id, self.developer_term, self.developer_options = int(org_id), str(label)[:200], []
        self.project_term, self.project_id = "", 0
        self.field_errors = {k: v for k, v in self.field_errors.items() if k != "developer_org_id"}
        self._search_projects()  # a developer's projects are few: show them before anything is typed

    @guarded(Perm.SURVEY_IMPORT)
    def search_project(self, term: str):
        self.project_term, self.project_id = str(term)[:50], 0
        self._search_projects()

    @guarded(Perm.SURVEY_IMPORT)
    def pick_project(self, project_id: int, label: str):
        self.project_id, self.project_term, self.project_options = int(project_id), str(label)[:200], []
        self.field_errors = {k: v for k, v in self.field_errors.items() if k != "project_id"}

    # ------------------------------------------------------------ check
    @guarded(Perm.SURVEY_IMPORT)
    async def upload(self, files_in: list[rx.UploadFile]):
        self._clear_report()
        self.result_id, self.result_number = 0, ""
        missing = {}
        if not self.developer_id:
            missing["developer_org_id"] = "请选择开发企业"
        if not self.project_id:
            missing["project_id"] = "请选择项目"
        if not files_in:
            missing["file"] = "请选择测绘成果文件"
        self.field_errors = missing
        if missing:
            return
        upload = files_in[0]
        data = await upload.read()
        principal, filename = current_principal(), upload.name or "测绘成果.xlsx"
        developer_id, project_id = self.developer_id, self.project_id
        self.checking = True
        yield
        try:
            check = await asyncio.get_running_loop().run_in_executor(None, lambda: check_upload(
                principal, data, filename, developer_org_id=developer_id, project_id=project_id))
        except UserError as exc:
            self.checking = False
            self.field_errors = {exc.field or "file": str(exc)}
            return
        self.checking = False
        self.import_token, self.filename = check.token, check.filename
        self.survey_number, self.kind_label = check.survey_number or "", check.kind_label
        self.target_label = f"{check.developer_name} · {check.project_name}"
        self.buildings = [BuildingLine(b.building_number, b.survey_code, b.total_units, b.valid_rooms) for b in check.buildings]
        self.row_count, self.room_count = check.row_count, check.room_count
        self.error_count, self.error_rows, self.warning_count = len(check.errors), check.error_row_count, len(check.warnings)
        self.errors, self.warnings = _lines(check.errors), _lines(check.warnings)
        self.valid_rooms, self.valid_buildings = check.valid_room_count, check.valid_building_count
        self.can_valid_only = check.can_import_valid_only
        if check.ok:
            self.message = f"校验通过：{len(check.buildings)}栋{check.room_count}户，可以导入"
        else:
            self.message = (f"发现{len(check.errors)}处错误（涉及{check.error_row_count}行），"
                            "请修改文件后重新上传" + ("，或选择“仅导入正确的行”" if check.can_import_valid_only else ""))

    # ------------------------------------------------------------ import
    @rx.event(background=True)
    @guarded(Perm.SURVEY_IMPORT)
    async def commit(self, valid_only: bool):
        principal = current_principal()
        async with self:
            if self.importing or not self.import_token:
                return
            token, self.importing, self.progress = self.import_token, True, 0

        async def report(percent: int):
            async with self:
                self.progress = percent

        try:
            result = await run_with_progress(lambda progress: commit_import(
                principal, token, only_valid=bool(valid_only), progress=progress), report)
        except ActionRefused as exc:
            async with self:
                self.importing = False
                self.field_errors = {"commit": str(exc)}
            yield rx.toast.error(str(exc))
            return
        async with self:
            self.importing, self.progress, self.import_token = False, 100, ""
            self.result_id, self.result_number = result.id, result.survey_number
            self.message = f"已导入测绘成果{result.survey_number}：{result.building_count}栋{result.room_count}户"
        yield rx.toast.success(f"已导入测绘成果{result.survey_number}")

    @guarded(Perm.SURVEY_IMPORT)
    def download_report(self):
        if not self.import_token:
            return
        data = error_report_csv(current_principal(), self.import_token)
        return rx.download(data=data, filename=f"{self.survey_number or '测绘成果'}_校验报告.csv", mime_type="text/csv")

    @guarded(Perm.SURVEY_IMPORT)
    def start_over(self):
        self._clear_report()
        self.result_id, self.result_number, self.field_errors = 0, "", {}
        return rx.clear_selected_files(UPLOAD_ID)


S = SurveyImportState


def _field_error(key: str) -> rx.Component:
    return rx.cond(S.field_errors.contains(key),
                   rx.text(S.field_errors.get(key, ""), color="red", size="1", id=f"error-{key}"))


def _picker(label: str, term, options, on_search, on_pick, element_id: str, option_class: str, placeholder: str,
            disabled=False) -> rx.Component:
    def option(item: PickOption) -> rx.Component:
        return rx.box(rx.text(item.label, size="2"), on_click=on_pick(item.id, item.label), padding="6px 10px",
                      cursor="pointer", _hover={"background": "var(--accent-3)"}, class_name=option_class)

    return rx.vstack(
        rx.hstack(rx.text(label, size="2", weight="medium"), rx.text("*", color="red", size="2"), spacing="1"),
        rx.box(
            rx.input(value=term, on_change=on_search, debounce_timeout=DEBOUNCE_MS, placeholder=placeholder,
                     id=element_id, width="360px", auto_complete="off", disabled=disabled),
            rx.cond(options.length() > 0,
                    rx.card(rx.foreach(options, option), position="absolute", z_index="20", width="360px",
                            padding="2px", max_height="280px", overflow_y="auto")),
            position="relative",
        ),
        spacing="1",
    )


def _report_table(rows, element_id: str, color: str) -> rx.Component:
    return rx.scroll_area(
        rx.table.root(
            rx.table.header(rx.table.row(rx.table.column_header_cell("行号", width="72px"),
                                         rx.table.column_header_cell("列", width="120px"),
                                         rx.table.column_header_cell("说明"))),
            rx.table.body(rx.foreach(rows, lambda line: rx.table.row(
                rx.table.cell(line.row, white_space="nowrap"), rx.table.cell(line.column, white_space="nowrap"),
                rx.table.cell(rx.text(line.message, color=color, size="2"))))),
            size="1", width="100%", id=element_id,
        ),
        max_height="320px",
    )


def _stat(label: str, value, element_id: str) -> rx.Component:
    return rx.vstack(rx.text(label, size="1", color="gray"), rx.text(value, size="4", weight="bold", id=element_id),
                     spacing="0", align="start", min_width="90px")


def _report() -> rx.Component:
    buildings = rx.table.root(
        header_row("栋号", "测绘编码", "总套数", "无错误户数"),
        rx.table.body(rx.foreach(S.buildings, lambda b: rx.table.row(
            rx.table.cell(b.building_number), rx.table.cell(b.survey_code), rx.table.cell(b.total_units),
            rx.table.cell(b.valid_rooms)))),
        size="1", id="report-buildings",
    )
    return rx.cond(
        S.import_token != "",
        rx.card(
            rx.vstack(
                rx.heading("校验报告", size="4"),
                rx.hstack(
                    _stat("测绘宗号", rx.cond(S.survey_number != "", S.survey_number, "（未填写）"), "report-number"),
                    _stat("测绘类型", rx.cond(S.kind_label != "", S.kind_label, "—"), "report-kind"),
                    _stat("栋数", S.buildings.length(), "report-buildings-count"),
                    _stat("户室行数", S.row_count, "report-rows"),
                    _stat("错误", S.error_count, "report-error-count"),
                    _stat("提示", S.warning_count, "report-warning-count"),
                    spacing="5", wrap="wrap",
                ),
                rx.text(S.target_label, " · 文件：", S.filename, size="2", color="gray"),
                rx.callout(S.message, icon=rx.cond(S.error_count > 0, "triangle_alert", "circle_check"),
                           color_scheme=rx.cond(S.error_count > 0, "red", "green"), id="report-summary", width="100%"),
                rx.cond(S.buildings.length() > 0, buildings),
                rx.cond(S.error_count > 0, rx.vstack(
                    rx.text("错误（须修改后才能导入）", weight="bold", size="2", color="red"),
                    _report_table(S.errors, "report-errors", "var(--red-11)"),
                    rx.cond(S.error_count > SHOWN, rx.text(f"仅显示前{SHOWN}条，完整内容请下载校验报告", size="1", color="gray")),
                    width="100%")),
                rx.cond(S.warning_count > 0, rx.vstack(
                    rx.text("提示（不影响导入，请核对）", weight="bold", size="2", color="orange"),
                    _report_table(S.warnings, "report-warnings", "var(--orange-11)"),
                    width="100%")),
                rx.cond(S.importing, rx.progress(value=S.progress, width="100%", id="import-progress")),
                _field_error("commit"),
                rx.hstack(
                    rx.button("导入", on_click=S.commit(False), id="survey-commit",
                              disabled=S.importing | (S.error_count > 0)),
                    rx.cond(S.can_valid_only, rx.alert_dialog.root(
                        rx.alert_dialog.trigger(rx.button("仅导入正确的行", color_scheme="orange", variant="soft",
                                                          disabled=S.importing, id="survey-commit-valid")),
                        rx.alert_dialog.content(
                            rx.alert_dialog.title("仅导入正确的行"),
                            rx.alert_dialog.description(
                                "将导入", S.valid_buildings, "栋", S.valid_rooms, "户，跳过有错误的",
                                S.row_count - S.valid_rooms, "行（其所在楼栋的总套数按导入户数重新计算）。确定导入吗？"),
                            rx.hstack(
                                rx.alert_dialog.cancel(rx.button("取消", variant="soft", color_scheme="gray")),
                                rx.alert_dialog.action(rx.button("确定导入", on_click=S.commit(True), color_scheme="orange",
                                                                 id="survey-commit-valid-confirm")),
                                justify="end", spacing="3", margin_top="16px"),
                        ),
                    )),
                    rx.button("下载校验报告", on_click=S.download_report, variant="outline", id="survey-error-report"),
                    rx.button("重新选择文件", on_click=S.start_over, variant="ghost", id="survey-start-over"),
                    spacing="3",
                ),
                spacing="3", width="100%",
            ),
            width="100%",
        ),
    )


def _done() -> rx.Component:
    return rx.cond(
        S.result_id != 0,
        rx.callout(
            rx.hstack(
                rx.text(S.message, id="import-done"),
                rx.link("查看测绘成果 ", S.result_number, href="/admin/survey-results/" + S.result_id.to_string(),
                        id="import-done-link"),
                rx.link("查看楼栋与户室", href="/survey/results/" + S.result_id.to_string(), id="import-done-tables"),
                spacing="4", wrap="wrap",
            ),
            icon="circle_check", color_scheme="green", width="100%",
        ),
    )


@console_page(ROUTE, "测绘成果导入", Perm.SURVEY_IMPORT, menu="系统管理", order=39, on_load=S.load)
def survey_import_page() -> rx.Component:
    return rx.vstack(
        rx.callout(f"每个文件为一个测绘宗号的成果，每行一户；建筑面积须等于套内面积+分摊面积（允许误差±{settings.area_tolerance}m²）。"
                   "文件有错误时不会导入任何数据，除非选择“仅导入正确的行”。", icon="info", size="1"),
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.vstack(_picker("开发企业", S.developer_term, S.developer_options, S.search_developer,
                                      S.pick_developer, "developer-search", "developer-option",
                                      "输入企业名称或统一社会信用代码"),
                              _field_error("developer_org_id"), spacing="1"),
                    rx.vstack(_picker("项目", S.project_term, S.project_options, S.search_project, S.pick_project,
                                      "project-search", "project-option", "先选择开发企业，再输入项目名称",
                                      disabled=S.developer_id == 0),
                              _field_error("project_id"), spacing="1"),
                    spacing="5", wrap="wrap", align="start",
                ),
                rx.hstack(
                    rx.text("测绘成果文件", size="2", weight="medium"), rx.text("*", color="red", size="2"),
                    rx.link("下载导入模板（Excel）", href="/api/survey/template.xlsx", is_external=True,
                            id="survey-template", size="2"),
                    spacing="2", align="center",
                ),
                rx.upload(
                    rx.vstack(rx.text("点击选择或拖入 CSV / XLSX 文件", size="2"),
                              rx.foreach(rx.selected_files(UPLOAD_ID), lambda f: rx.badge(f)), align="center"),
                    id=UPLOAD_ID, max_files=1, multiple=False,
                    accept={"text/csv": [".csv"],
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": [".xlsx"]},
                    border="1px dashed var(--gray-7)", padding="16px", width="100%",
                ),
                _field_error("file"),
                rx.hstack(
                    rx.button("上传并校验", on_click=S.upload(rx.upload_files(upload_id=UPLOAD_ID)), id="survey-check",
                              loading=S.checking, disabled=S.checking | S.importing),
                    rx.cond(S.checking, rx.text("正在校验…", size="2", color="gray")),
                    align="center", spacing="3",
                ),
                spacing="3", width="100%",
            ),
            width="100%",
        ),
        _report(),
        _done(),
        spacing="4",
        width="100%",
    )
