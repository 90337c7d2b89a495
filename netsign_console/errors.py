"""Every error the console's own code raises, in one module that imports nothing (no Reflex).

Domain rules, the admin generator, the workflow engine and the HTTP routes raise these; the
UI layer (auth/guard.py) turns the user-facing ones into Chinese toasts and field errors.

    PermissionDenied   a gate refused (role, scope, not logged in); the message is shown as it is
    UserError          a business rule refused; optional `field` puts the message at that input
    ValidationFailed   submitted values refused; `errors` maps field -> Chinese message
    ActionRefused      a whole action refused (delete with dependents, ...)
    ConfigurationError a developer's declaration is wrong (found at start-up); lists ConfigProblems
"""

from __future__ import annotations

from dataclasses import dataclass


# The one answer for a record that is missing and for one the user may not see: the two
# must be indistinguishable, or the answer itself leaks that the record exists.
NOT_FOUND = "记录不存在或无权访问"


class PermissionDenied(Exception):
    """Raised by every gate; the message is shown to the user as it is."""


class NotAuthenticated(PermissionDenied):
    def __init__(self, message: str = "请先登录") -> None:
        super().__init__(message)


class UserError(Exception):
    """A business rule refused the action; the message is Chinese and shown as it is."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class ValidationFailed(Exception):
    """Submitted values were refused; `errors` maps column -> Chinese message."""

    def __init__(self, errors: dict[str, str], message: str = "") -> None:
        self.errors = dict(errors)
        super().__init__(message or self._summary())

    def _summary(self) -> str:
        if len(self.errors) == 1:
            return next(iter(self.errors.values()))
        return f"有{len(self.errors)}项填写有误，请按提示修改"


class ActionRefused(Exception):
    """A business rule refused the whole action (e.g. delete with dependent rows); Chinese message."""


@dataclass(frozen=True)
class ConfigProblem:
    """One mistake in a declaration. `code` is stable (docs/configuration-errors.md lists them),
    `where` names the class and option, `detail` says what is wrong (English: for developers)."""

    code: str
    where: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.code}] {self.where}: {self.detail}"


class ConfigurationError(Exception):
    """Declarations are inconsistent. Raised with every problem found, not only the first."""

    def __init__(self, problems: list[ConfigProblem] | ConfigProblem | str) -> None:
        if isinstance(problems, str):
            problems = [ConfigProblem("C000", "configuration", problems)]
        elif isinstance(problems, ConfigProblem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


class AdminConfigError(ConfigurationError):
    """A ModelAdmin declaration is wrong; raised when the class is declared (at start-up)."""


class FlowDefinitionError(ConfigurationError):
    """A flow class is inconsistent (a developer's error, found at import time)."""
