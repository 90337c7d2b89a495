"""Demo data: `python -m netsign_console.demo` loads it; running it twice changes nothing.

Each step upserts by a natural key (an organisation's name, a user's username), so
a second run finds everything in place. Later modules add steps with `seed_step`.
"""
