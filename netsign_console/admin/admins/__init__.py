"""The console's admin classes. Importing this package registers them (menu order = import order)."""

from netsign_console.admin.admins import (  # noqa: F401
    organizations,
    enterprise_users,
    projects,
    buildings,
    banks,
    property_managers,
    service_points,
    document_templates,
    directory,
    audit_log,
)
