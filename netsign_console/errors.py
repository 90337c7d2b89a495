"""UserError lives here, outside auth.guard, so that services which must not import Reflex
(documents, domain) can raise the error the guard turns into a Chinese toast."""

from __future__ import annotations


class UserError(Exception):
    """A business rule refused the action; the message is Chinese and shown as it is."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field
