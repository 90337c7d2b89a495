"""The real flows, one module per case type. Importing this package registers every module in it
(netsign_console/discovery.py): a new case type is a new module here, nothing else to list."""

from netsign_console.discovery import import_submodules

import_submodules(__name__)
