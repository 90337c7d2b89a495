"""SQLModel tables, one module per aggregate. Importing this package registers them all
on SQLModel.metadata (Alembic's env.py and the app both rely on that)."""

from models.attachment import CaseAttachment
from models.audit import AuditLog
from models.bank import BankLink, SupervisionAccount
from models.building import Building, Room, RoomRestriction
from models.organization import Organization
from models.project import Project, ProjectCertificate
from models.property_manager import PropertyManager
from models.release_note import ReleaseNote
from models.search import RoomNumberSuffix
from models.service_point import ServicePoint
from models.user import RoleDef, User, UserSession
from models.workflow import Case, CaseEvent, CaseNumberSequence, Task

__all__ = [
    "AuditLog",
    "CaseAttachment",
    "BankLink",
    "Building",
    "Room",
    "RoomRestriction",
    "Project",
    "ProjectCertificate",
    "PropertyManager",
    "ServicePoint",
    "SupervisionAccount",
    "Case",
    "CaseEvent",
    "CaseNumberSequence",
    "Organization",
    "ReleaseNote",
    "RoleDef",
    "RoomNumberSuffix",
    "Task",
    "User",
    "UserSession",
]
