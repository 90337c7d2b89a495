"""Imports the modules that add demo-data steps with `seed_step` (one line each)."""

import netsign_console.demo.master_data  # noqa: F401,E402  projects, banks, service points
import netsign_console.demo.network_access  # noqa: F401,E402  用户入网 users and one pending case
import netsign_console.demo.buildings  # noqa: F401,E402  buildings and rooms of the demo projects
import netsign_console.demo.backfill  # noqa: F401,E402  户室信息补录 demo building
import netsign_console.demo.documents  # noqa: F401,E402  default document templates
import netsign_console.demo.survey  # noqa: F401,E402  survey results waiting to be filed
import netsign_console.demo.new_house_chain  # noqa: F401,E402  D001 through survey filing, 物管用房, permit
import netsign_console.demo.grid_states  # noqa: F401,E402  楼盘表 variety: statuses, restrictions, designations
import netsign_console.demo.seals  # noqa: F401,E402  the demo developers' seals (印章管理)
import netsign_console.demo.buyer_contract  # noqa: F401,E402  the demo buyer's ID number (我的合同)
