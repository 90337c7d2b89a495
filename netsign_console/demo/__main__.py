"""python -m netsign_console.demo [--db URL]: load the demo data set (idempotent).

The demo accounts share a published password, so they go only into the embedded default
database (`make run` on a checkout) or where NETSIGN_LOAD_DEMO=1 asks for them explicitly.
Anywhere else this says so and changes nothing (exit status 0, so `make run` still serves).
"""

from __future__ import annotations

import argparse

from netsign_console.demo.loader import load_demo_data
from netsign_console.settings import settings

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="加载演示数据（可重复执行）")
    parser.add_argument("--db", default=None, help="database URL (default: NETSIGN_DB_URL)")
    args = parser.parse_args()
    if not settings.demo_allowed(args.db):
        print("未加载演示数据：当前数据库不是内置的默认数据库。演示账户的密码是公开的，"
              "只有设置 NETSIGN_LOAD_DEMO=1 时才会加载到其他数据库。"
              "生产环境请用 python -m netsign_console.admin_cli create-admin 创建系统管理员（见 docs/operations.md）。")
        raise SystemExit(0)
    counts = load_demo_data(args.db)
    print("演示数据已就绪：" + "，".join(f"{k} 新增 {v}" for k, v in counts.items()))
