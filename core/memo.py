"""Reference data kept in each process and reloaded when it changes anywhere.

Hot paths (intake, every clock) read business settings, clock policies, the working calendar and
the service areas' keywords; asking the database each time would cost a query per read. A `Memo`
keeps what its loader returns. Whoever changes the underlying rows calls `changed()` (the apps
connect it to the models' save/delete signals): that moves a version number in Django's shared
cache, which every process looks at no more often than every CHECK_SECONDS and reloads on a move —
so an administrator's edit reaches every worker within seconds. While the shared cache is down no
version can be read; a copy older than `max_age` is then reloaded anyway.
"""
import time

from django.core.cache import cache
from django.db import transaction

CHECK_SECONDS = 5.0
MEMOS: list["Memo"] = []  # every one, for tests that start each case afresh


class Memo:
    def __init__(self, name: str, load, *, max_age: float = 60.0):
        self.key, self.load, self.max_age = f"memo:{name}", load, max_age
        self._value, self._version, self._loaded, self._checked = None, None, None, 0.0
        MEMOS.append(self)

    def get(self):
        now = time.monotonic()
        if self._loaded is not None and now - self._checked < CHECK_SECONDS:
            return self._value
        version = cache.get(self.key)
        if self._loaded is None or version != self._version or (version is None and now - self._loaded >= self.max_age):
            self._value, self._version, self._loaded = self.load(), version, now
        self._checked = now
        return self._value

    def changed(self, **_signal) -> None:
        """The rows behind it changed: this process reloads at once, the others when they look
        (again after the commit, so that none keeps what it read before the change was visible)."""
        self.forget()
        self._bump()
        transaction.on_commit(self._bump)

    def _bump(self) -> None:
        cache.set(self.key, time.time_ns(), None)

    def forget(self) -> None:
        """Reload on the next read in this process (tests; after a failed load)."""
        self._loaded = None
