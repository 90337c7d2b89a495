"""Every declaration checked at once: models, admin classes, flows and extension packages.

    python -m netsign_console.configuration      lists every problem with its stable code

The app runs `require_valid_configuration()` at start-up, so a broken admin and a broken flow
are reported together (docs/configuration-errors.md explains each code), not one per restart.
"""

from __future__ import annotations

import sys

from netsign_console.errors import ConfigProblem, ConfigurationError

PACKAGES = ("models", "netsign_console.admin.admins", "netsign_console.workflow.flows")


def check_configuration(extensions: tuple[str, ...] | None = None) -> list[ConfigProblem]:
    from netsign_console.discovery import import_submodules, load_extension
    from netsign_console.settings import settings

    problems: list[ConfigProblem] = []
    for package in PACKAGES + tuple(settings.extensions if extensions is None else extensions):
        try:
            if package in PACKAGES:
                import_submodules(package)
            else:
                load_extension(package)
        except ConfigurationError as exc:
            problems.extend(exc.problems)
    from netsign_console.workflow.registry import check_flows

    # Flows registered fine on their own may refer to admins that failed: check them again.
    problems.extend(p for p in check_flows() if p not in problems)
    return problems


def require_valid_configuration() -> None:
    problems = check_configuration()
    if problems:
        raise ConfigurationError(problems)


def main() -> int:
    problems = check_configuration()
    for problem in problems:
        print(problem)
    print("配置检查通过" if not problems else f"共 {len(problems)} 处配置错误")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
