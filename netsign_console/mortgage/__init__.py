"""在建工程抵押 (MORT-01) in plain Python: who may see a mortgage (scope.py) and what a mortgage
does to its rooms (rooms.py). The three flows (workflow/flows/_mortgage.py) and the list
(admin/admins/mortgages.py) call these; no Reflex here."""
