"""Reflex pages, one module per route group. Importing this package registers them all.

Within a menu group, entries appear in import order: keep this list in menu order."""

from pages import login, home, denied, not_found, account  # noqa: F401  the shell
from pages import admin_pages  # noqa: F401  generated admin pages (系统管理)
from pages import document_templates  # noqa: F401  文书模板编辑 (系统管理)
from pages import survey_import, survey_results  # noqa: F401  测绘成果导入 and 测绘成果查看 (系统管理)
from pages import building_grid  # noqa: F401  楼盘表 (from the building list)
from pages import permit_page  # noqa: F401  许可证详情 (from the permit lists)
from pages import fund_agreement_page  # noqa: F401  监管协议详情 (from the agreement list)
from pages import contract_page  # noqa: F401  合同详情 (from the contract list and the signing case)
from pages import inbox, done_list, case_page  # noqa: F401  业务办理
from pages import accept  # noqa: F401  业务受理 (generated from the flows)
from pages import case_stats  # noqa: F401  统计查询
