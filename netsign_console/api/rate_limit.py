"""Requests per client per minute, for the public pages (the verify page).

In one process a sliding window per key (the client's IP address). With Redis configured
(several workers) a fixed one-minute window in Redis, so the limit holds across workers;
if Redis does not answer, the local window still applies rather than none.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque


class SlidingWindowLimiter:
    def __init__(self, limit: int, window_seconds: float = 60.0, max_keys: int = 100_000,
                 redis_url: str = "", prefix: str = "netsign:rl:") -> None:
        self.limit = limit
        self.window = window_seconds
        self.max_keys = max_keys
        self.prefix = prefix
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()
        self._redis = None
        if redis_url:
            import redis

            self._redis = redis.Redis.from_url(redis_url, socket_timeout=0.2, socket_connect_timeout=0.2)

    def allow(self, key: str, now: float | None = None) -> bool:
        """Count one request of `key`; False when it is over the limit (the refused one counts too)."""
        if self._redis is not None:
            try:
                return self._allow_redis(key)
            except Exception:  # Redis down: fall back to this process's window
                pass
        return self._allow_local(key, time.monotonic() if now is None else now)

    def _allow_local(self, key: str, now: float) -> bool:
        with self._lock:
            hits = self._hits.get(key)
            if hits is None:
                hits = self._hits[key] = deque()
                while len(self._hits) > self.max_keys:  # forget the least recently seen client
                    self._hits.popitem(last=False)
            else:
                self._hits.move_to_end(key)
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            hits.append(now)
            # Kept bounded: a client hammering the page does not grow its deque forever.
            while len(hits) > self.limit + 1:
                hits.popleft()
            return len(hits) <= self.limit

    def _allow_redis(self, key: str) -> bool:
        bucket = f"{self.prefix}{key}:{int(time.time() // self.window)}"
        pipe = self._redis.pipeline()
        pipe.incr(bucket)
        pipe.expire(bucket, int(self.window) + 1)
        count, _ = pipe.execute()
        return int(count) <= self.limit

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()
