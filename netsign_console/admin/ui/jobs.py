"""Run blocking service work in a thread while an async handler reports its progress."""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable


async def run_with_progress(work: Callable[[Callable[..., None]], Any],
                            report: Callable[[int], Awaitable[None]], interval: float = 0.4) -> Any:
    """`work(progress)` runs in a thread; `progress(done, total)` or `progress(percent)` may be
    called from it. `report(percent)` is awaited on the event loop while it runs."""
    state = {"percent": 0}

    def progress(done: int, total: int | None = None) -> None:
        if total is None:
            state["percent"] = max(0, min(100, int(done)))
        else:
            state["percent"] = 100 if not total else max(0, min(100, int(done * 100 / total)))

    task = asyncio.get_running_loop().run_in_executor(None, work, progress)
    last = -1
    while not task.done():
        await asyncio.sleep(interval)
        if state["percent"] != last:
            last = state["percent"]
            await report(last)
    return await task
