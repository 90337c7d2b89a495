"""python -m netsign_console.documents keys | seed [--db URL]

keys   create the filing authority's signing key and certificate chain in NETSIGN_KEYS_DIR
       if they are missing (make run / make test call it; never commit the keys)
seed   give every document kind without a template its default template (idempotent)
"""

from __future__ import annotations

import argparse


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m netsign_console.documents", description="文书：签章证书与模板")
    parser.add_argument("command", choices=["keys", "seed"])
    parser.add_argument("--db", default=None, help="database URL for seed (default: NETSIGN_DB_URL)")
    args = parser.parse_args(argv)
    if args.command == "keys":
        from netsign_console.documents.signing import ensure_keys
        from netsign_console.settings import settings

        made = ensure_keys()
        print(f"签章证书已生成：{settings.keys_dir}" if made else f"签章证书已存在：{settings.keys_dir}")
        return
    import models  # noqa: F401
    from netsign_console.db import session_scope
    from netsign_console.documents.templates_service import seed_templates

    with session_scope(args.db) as session:
        added = seed_templates(session)
    print(f"文书模板已就绪：新增 {added} 个")


if __name__ == "__main__":
    main()
