"""Who is acting: a small immutable snapshot of the logged-in user, passed to services."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from models.enums import OrgType, Role


@dataclass(frozen=True)
class Principal:
    user_id: int
    username: str
    display_name: str
    role: Role
    org_id: int | None
    org_type: OrgType | None
    org_name: str
    # Still on a one-time password: permissions.require refuses everything but changing it.
    must_change_password: bool = False

    @property
    def role_label(self) -> str:
        return self.role.label

    @property
    def sees_all_organizations(self) -> bool:
        """The regulator's side sees every organisation's data; everybody else only their own."""
        return self.role in (Role.SYSTEM_ADMIN, Role.REGULATOR, Role.SURVEY_OFFICE, Role.SERVICE_WINDOW)


# Set by the guard for the duration of one event handler call.
_current: ContextVar[Principal | None] = ContextVar("netsign_principal", default=None)


def current_principal() -> Principal:
    principal = _current.get()
    if principal is None:
        raise RuntimeError("no principal: the handler was not entered through auth.guard")
    return principal


def set_current_principal(principal: Principal | None):
    return _current.set(principal)


def reset_current_principal(token) -> None:
    _current.reset(token)
