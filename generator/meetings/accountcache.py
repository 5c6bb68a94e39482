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

import copyreg
import dataclasses
import io
import pickle
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.cache import store, touch
from generator.hashing import digest
from generator.meetings.model import Account
from generator.read.source import SourceDoc

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
        buffer = io.BytesIO()
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(account)
        store(self.folder / f"{key}.pickle", buffer.getvalue())


def _without_text(doc: SourceDoc) -> tuple[Any, tuple[dict[str, Any]]]:
    """Reduce a parsed file to its fields without the text of its lines (a third of an account's bytes): a
    problem found later quotes its line from the file, which is unchanged while the account is kept."""
    fields = {field.name: getattr(doc, field.name) for field in dataclasses.fields(doc)}
    fields["text_lines"] = None
    return _source_doc, (fields,)


def _source_doc(fields: dict[str, Any]) -> SourceDoc:
    """Return the parsed file of `fields` (what `_without_text` kept)."""
    return SourceDoc(**fields)


class _Pickler(pickle.Pickler):
    """Pickles an account, its parsed files without their text."""

    dispatch_table = {**copyreg.dispatch_table, SourceDoc: _without_text}
