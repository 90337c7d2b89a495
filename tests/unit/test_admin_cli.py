"""No known passwords in production: demo accounts only into the embedded default database
or on NETSIGN_LOAD_DEMO=1; the first system administrator comes from a command that asks
for the password twice and refuses a weak one."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import create_engine, text

from netsign_console import admin_cli
from netsign_console.auth.service import attempt_login
from netsign_console.settings import DEFAULT_DB_URL, Settings
from tests.conftest import ROOT, migrate


def _users(url: str) -> list[str]:
    engine = create_engine(url)
    with engine.connect() as conn:
        names = [r[0] for r in conn.execute(text("SELECT username FROM app_user ORDER BY username"))]
    engine.dispose()
    return names


def _demo_cli(url: str, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "NETSIGN_LOAD_DEMO"}
    environment.update(NETSIGN_DB_URL=url, **env)
    return subprocess.run([sys.executable, "-m", "netsign_console.demo"], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)


def test_demo_data_only_where_allowed(tmp_path):
    url = f"sqlite:///{tmp_path / 'prod.db'}"
    migrate(url)
    refused = _demo_cli(url)
    assert refused.returncode == 0 and "未加载演示数据" in refused.stdout
    assert _users(url) == []
    loaded = _demo_cli(url, NETSIGN_LOAD_DEMO="1")
    assert loaded.returncode == 0 and "演示数据已就绪" in loaded.stdout
    assert "admin" in _users(url) and "dev_admin" in _users(url)


def test_only_the_embedded_default_is_allowed_without_asking(monkeypatch):
    monkeypatch.delenv("NETSIGN_LOAD_DEMO", raising=False)
    assert Settings(db_url=DEFAULT_DB_URL).demo_allowed()
    assert not Settings(db_url="postgresql+psycopg2://postgres@db:5432/netsign").demo_allowed()
    assert not Settings(db_url=f"sqlite:///{ROOT / 'data' / 'other.db'}").demo_allowed()
    monkeypatch.setenv("NETSIGN_LOAD_DEMO", "1")
    assert Settings(db_url="postgresql+psycopg2://postgres@db:5432/netsign").demo_allowed()


def test_create_admin_asks_twice_and_refuses_weak_passwords(sqlite_url, capsys, monkeypatch):
    from netsign_console import db

    answers = iter(["weak1", "Strong2026pass", "Different2026", "Strong2026pass", "Strong2026pass"])
    code = admin_cli.main(["create-admin", "--username", "root", "--name", "王系统", "--db", sqlite_url],
                          ask=lambda prompt: next(answers))
    err = capsys.readouterr()
    assert code == 0 and "已创建系统管理员“root”" in err.out
    assert "密码至少10位" in err.err and "两次输入的密码不一致" in err.err
    assert _users(sqlite_url) == ["root"]
    monkeypatch.setattr(db, "settings", Settings(db_url=sqlite_url))
    assert attempt_login("root", "Strong2026pass").principal.role == "system_admin"
    # A second one with the same name is refused; three bad passwords end the command.
    again = iter(["Strong2026pass"] * 2)
    assert admin_cli.main(["create-admin", "--username", "root", "--db", sqlite_url], ask=lambda p: next(again)) == 1
    bad = iter(["short"] * 3)
    try:
        admin_cli.main(["create-admin", "--username", "x", "--db", sqlite_url], ask=lambda p: next(bad))
    except SystemExit as exc:
        assert "未创建" in str(exc)
    else:
        raise AssertionError("three weak passwords must end the command")
    assert _users(sqlite_url) == ["root"]
