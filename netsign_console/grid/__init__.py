"""楼盘表 (the building grid) and the room card, as plain data for any page or case screen.

    from netsign_console.grid import building_grid, room_card
    view = building_grid(session, principal, building_id)   # GridView
    card = room_card(session, principal, room_id)            # RoomCard

No Reflex here: `payload.grid_vars(view)` / `payload.card_vars(card)` flatten the views into
the small, flat values a page state holds (components/building_grid.py draws them).
"""

from netsign_console.grid.card import room_card
from netsign_console.grid.service import building_grid
from netsign_console.grid.view import GridCell, GridFloor, GridView, Legend, LegendEntry, RoomCard

__all__ = ["GridCell", "GridFloor", "GridView", "Legend", "LegendEntry", "RoomCard", "building_grid", "room_card"]
