"""The low-code admin generator: one ModelAdmin class per model gives a list, a form,
export, import and audit, with permission and row scope enforced in the service layer.

Core modules (no Reflex): base, columns, options, scope, query, formatting, forms, service,
dependents, audit, export, importer, files. The Reflex UI is in admin.ui; the master-data
admin classes are in admin.admins.
"""

from netsign_console.admin.base import ModelAdmin, admin_for, all_admins, get_admin
from netsign_console.errors import ActionRefused, AdminConfigError, ValidationFailed
from netsign_console.admin.options import BulkAction, DateRange, Filter, Notice

__all__ = [
    "ActionRefused",
    "AdminConfigError",
    "BulkAction",
    "DateRange",
    "Filter",
    "ModelAdmin",
    "Notice",
    "ValidationFailed",
    "admin_for",
    "all_admins",
    "get_admin",
]
