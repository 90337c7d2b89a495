"""The console's admin classes, one module per area. Importing this package registers every
module in it (netsign_console/discovery.py); menu order is each admin's `menu_order`."""

from netsign_console.discovery import import_submodules

import_submodules(__name__)
