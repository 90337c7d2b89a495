"""python -m netsign_console.demo [--db URL]: load the demo data set (idempotent)."""

from __future__ import annotations

import argparse

from netsign_console.demo.loader import load_demo_data

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="加载演示数据（可重复执行）")
    parser.add_argument("--db", default=None, help="database URL (default: NETSIGN_DB_URL)")
    args = parser.parse_args()
    counts = load_demo_data(args.db)
    print("演示数据已就绪：" + "，".join(f"{k} 新增 {v}" for k, v in counts.items()))
