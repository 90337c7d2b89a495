"""Errors of the admin generator (no Reflex here: the UI turns them into toasts and field errors)."""

from __future__ import annotations


class AdminConfigError(Exception):
    """A ModelAdmin declaration is wrong; raised when the class is declared (at start-up)."""


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
