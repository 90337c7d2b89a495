"""domain/ holds plain business rules: no UI, no database, no workflow (docs/architecture.md)."""

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "netsign_console" / "domain"
FORBIDDEN = ("reflex", "sqlmodel", "sqlalchemy", "alembic", "starlette", "netsign_console.db",
             "netsign_console.workflow", "netsign_console.admin", "netsign_console.services",
             "netsign_console.auth", "netsign_console.state", "pages")
ALLOWED_MODELS = ("models.enums",)  # plain Python code lists


def imported_modules(path: Path) -> list[str]:
    modules = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.append(node.module)
    return modules


@pytest.mark.parametrize("path", sorted(DOMAIN.glob("*.py")), ids=lambda p: p.name)
def test_domain_module_imports_nothing_of_the_ui_database_or_workflow(path):
    for module in imported_modules(path):
        assert not any(module == f or module.startswith(f + ".") for f in FORBIDDEN), f"{path.name} imports {module}"
        if module == "models" or module.startswith("models."):
            assert module in ALLOWED_MODELS, f"{path.name} imports {module}"


def test_importing_every_rule_module_loads_no_reflex():
    """Transitively too: a fresh interpreter imports all of domain/ and Reflex stays unloaded."""
    import subprocess
    import sys

    modules = [f"netsign_console.domain.{p.stem}" for p in sorted(DOMAIN.glob("*.py")) if p.stem != "__init__"]
    script = "import importlib, sys\n" + "".join(f"importlib.import_module({m!r})\n" for m in modules) + \
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('reflex', 'starlette'))))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                            cwd=DOMAIN.parents[1])
    assert result.stdout.strip() == ""
