"""A bounded, thread-safe memo of things costly to compute again: vectors, parses, pages."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Generic, TypeVar
from weakref import WeakSet

Value = TypeVar("Value")
_ALL: WeakSet[Memo] = WeakSet()


def forget_all() -> None:
    """Empty every memo in the process, so that a benchmark times the cold path."""
    for memo in list(_ALL):
        memo.clear()


class Memo(Generic[Value]):
    """Least recently used entries leave first once `size` are kept; a server's threads share it."""

    def __init__(self, size: int):
        self.size = size
        self._entries: OrderedDict[Hashable, Value] = OrderedDict()
        self._lock = Lock()
        _ALL.add(self)

    def get(self, key: Hashable) -> Value | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Value) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def through(self, keys: list[Hashable], compute: Callable[[list[Hashable]], list[Value]]) -> list[Value]:
        """The value of each key, computing those not kept in one batch (each distinct key once)."""
        found = {key: self.get(key) for key in keys}
        missing = [key for key, value in found.items() if value is None]
        if missing:
            for key, value in zip(missing, compute(missing), strict=True):
                found[key] = value
                self.put(key, value)
        return [found[key] for key in keys]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
