"""Performance benchmarks (DESIGN.md §4): a generated city, the room list and the inbox.

    python -m bench                 # generate if needed, run everything, write docs/benchmarks.md
    python -m bench.generate --db URL [--rooms N] [--reset]
"""
