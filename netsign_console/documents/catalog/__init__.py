"""The console's document kinds, one module each (a permit, an agreement, a contract ...):
each declares its DocumentKind with register_kind and the data its flows pass. Every module
here is imported (netsign_console/discovery.py): a new kind is a new module and a template
file in documents/templates/, nothing to list. A leading underscore keeps a module out.
"""

from netsign_console.discovery import import_submodules

import_submodules(__name__)
