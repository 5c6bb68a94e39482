"""Accounts read by an earlier build, kept in the build cache: the index lists every account, and a rebuild after
one page changed reads only that page's account again.

An account is kept under a hash of everything it was read from: the bytes of every file in its folder,
the service catalogue its quotes are priced from, the content folder's place, and the code that read it
(`code`, given by the build: the tool's source files and installed packages). Any change to one of them
reads the account from its files again. Only accounts read without a problem are kept, so an account
in error is always read (and reported) afresh. The cache holds the build's own objects (pickled), as
trusted as the rest of the folder beside the output.
"""

from __future__ import annotations

import pickle
import sys
from dataclasses import dataclass
from pathlib import Path

from generator.cache import store, touch
from generator.hashing import digest
from generator.meetings.model import Account

FORMAT = 1
"""Bumped when what is kept changes in a way the code hash does not see."""


@dataclass(frozen=True)
class AccountCache:
    """Where accounts are kept (`folder`), and the hash of the code that reads them."""

    folder: Path
    code: str

    def key(self, content: Path, slug: str, stamp: str) -> str:
        """Return the name an account is kept under: its folder's and catalogue's `stamp`, place and the code."""
        return digest({"format": FORMAT, "python": sys.version, "code": self.code, "content": str(content),
                       "slug": slug, "stamp": stamp})

    def get(self, key: str) -> Account | None:
        """Return the account kept under `key`, or None (never kept, or unreadable: it is read again)."""
        path = self.folder / f"{key}.pickle"
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            account = pickle.loads(data)
        except Exception:  # a damaged or foreign file costs a reread, nothing more
            return None
        if not isinstance(account, Account):
            return None
        touch(path)
        return account

    def put(self, key: str, account: Account) -> None:
        """Keep `account` under `key` (atomically: parallel workers may keep the same one)."""
        store(self.folder / f"{key}.pickle", pickle.dumps(account, protocol=pickle.HIGHEST_PROTOCOL))
