"""SQLModel tables, one module per aggregate. Importing this package registers every module in
it on SQLModel.metadata (Alembic's env.py and the app both rely on that); a new model is a new
module here, nothing to list (netsign_console/discovery.py)."""

from netsign_console.discovery import import_submodules

import_submodules(__name__)
