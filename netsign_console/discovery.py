"""Finding the case types, models and admins: every module of a package is imported.

Adding a case type is its flow module (netsign_console/workflow/flows/), its model module
(models/) and its admin class (netsign_console/admin/admins/): no list to edit anywhere. An
extension package outside the repository (settings.extensions, or a test's temporary
package) is loaded the same way with `load_extension`: its model modules first, then its
admins, then everything else (flows), so each finds what it refers to.

Configuration errors raised while importing are collected over every module and reported
together (with their stable codes) instead of stopping at the first broken module.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from netsign_console.errors import ConfigProblem, ConfigurationError

_ORDER = ("model", "admin")


def _rank(name: str) -> tuple[int, str]:
    leaf = name.rsplit(".", 1)[-1]
    for index, prefix in enumerate(_ORDER):
        if leaf.startswith(prefix):
            return index, leaf
    return len(_ORDER), leaf


def submodule_names(package: ModuleType) -> list[str]:
    names = [f"{package.__name__}.{info.name}" for info in pkgutil.iter_modules(package.__path__)
             if not info.name.startswith("_")]
    return sorted(names, key=_rank)


def import_submodules(package_name: str) -> list[ModuleType]:
    """Import every module of the package (not recursively); all configuration errors together."""
    package = importlib.import_module(package_name)
    modules, problems = [], []
    for name in submodule_names(package):
        try:
            modules.append(importlib.import_module(name))
        except ConfigurationError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ConfigurationError(problems)
    return modules


def load_extension(package_name: str) -> list[ModuleType]:
    """Load an extension package (models, admins, flows of extra case types)."""
    return import_submodules(package_name)


def load_configured_extensions() -> None:
    from netsign_console.settings import settings

    problems: list[ConfigProblem] = []
    for name in settings.extensions:
        try:
            load_extension(name)
        except ConfigurationError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ConfigurationError(problems)
