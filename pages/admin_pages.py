"""Pages generated from the admin classes (netsign_console.admin.admins): lists, forms,
the organisation profile and the audit log. No page code per model."""

import netsign_console.admin.admins  # noqa: F401  registers the admin classes
from netsign_console.admin.ui.import_state import AdminImportState  # noqa: F401  state used by list pages
from netsign_console.admin.ui.pages import register_all

register_all()
