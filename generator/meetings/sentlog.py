"""The sent log of an account (accounts/NAME/sent.jsonl): every agenda and minutes message, one JSON line each.

The log is content: it is committed with the account, so that a laptop and CI agree on what was sent,
and the pages say when an agenda or the minutes went out. `storypack send` appends to it as it goes,
each line written, flushed and synced before the next step:

- `sending`: about to hand the message to the server (so a run that dies before the answer leaves a
  trace: the recipient may have it, and is not sent it again without --resend);
- `sent`: the server accepted it for that recipient;
- `refused`: the server refused that recipient (the reply says why); the next run tries again;
- `failed`: the connection was lost before the server accepted it; the next run tries again.

Nothing else writes the log, and a build only reads it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from generator.errors import ContentError, OutputError, problem_at

SENT_LOG = "sent.jsonl"
"""The log's file name in the account's folder."""
EVENTS = ("sending", "sent", "refused", "failed")
CANCELLED = "cancel:"
"""Starts the hash of a cancellation: the invitation withdrawn from someone an updated agenda no longer invites."""
KINDS = ("agenda", "minutes")


@dataclass(frozen=True)
class Delivery:
    """One line of the log: one step of delivering one message to one recipient."""

    at: str
    """When, in UTC: YYYY-MM-DDTHH:MM:SSZ."""
    event: str
    kind: str
    """'agenda' or 'minutes'."""
    meeting: str
    """The meeting's file name without .md."""
    to: str
    """The recipient's address."""
    name: str
    hash: str
    """SHA-256 of what the message says (its plain-text part and subject), the same for every recipient."""
    message_id: str
    uid: str = ""
    """UID of the calendar invitation the message carries ('' without one)."""
    sequence: int | None = None
    """SEQUENCE of that invitation."""
    reply: str = ""
    """The server's reply, for a refused or failed delivery."""

    @property
    def when(self) -> dt.datetime:
        """Return `at` as an aware datetime."""
        return dt.datetime.fromisoformat(self.at.replace("Z", "+00:00"))


@dataclass(frozen=True)
class Version:
    """One version of a message as the pages show it: when it first went out and to how many people."""

    hash: str
    first: dt.datetime
    recipients: int


@dataclass(frozen=True)
class SentLog:
    """The deliveries of an account, oldest first."""

    records: tuple[Delivery, ...] = ()

    def of(self, kind: str, meeting: str) -> list[Delivery]:
        """Return the records of one message (the agenda or the minutes of one meeting)."""
        return [r for r in self.records if r.kind == kind and r.meeting == meeting]

    def delivered(self, kind: str, meeting: str) -> dict[str, Delivery]:
        """Return recipient address -> the latest version the server accepted for them."""
        return {r.to: r for r in self.of(kind, meeting) if r.event == "sent"}

    def dropped(self, kind: str, meeting: str, uid: str, invited: set[str]) -> dict[str, Delivery]:
        """Return address -> the latest delivery of those who were sent invitation `uid` with this message and are
        not in `invited` any more, unless it already withdrew it (a cancellation)."""
        latest = {r.to: r for r in self.of(kind, meeting) if r.event == "sent" and r.uid == uid}
        return {to: r for to, r in latest.items() if to not in invited and not r.hash.startswith(CANCELLED)}

    def uncertain(self, kind: str, meeting: str) -> dict[str, Delivery]:
        """Return recipient address -> a delivery that was started but has no outcome (the run stopped)."""
        open_: dict[str, Delivery] = {}
        for record in self.of(kind, meeting):
            if record.event == "sending":
                open_[record.message_id] = record
            else:
                open_.pop(record.message_id, None)
        return {r.to: r for r in open_.values()}

    def versions(self, kind: str, meeting: str) -> list[Version]:
        """Return every version sent, in order, with its first date and its number of recipients."""
        found: dict[str, tuple[dt.datetime, set[str]]] = {}
        for record in self.of(kind, meeting):
            if record.event == "sent" and not record.hash.startswith(CANCELLED):
                first, people = found.setdefault(record.hash, (record.when, set()))
                people.add(record.to)
        return [Version(h, first, len(people)) for h, (first, people) in found.items()]

    def sequence(self, uid: str, digest: str) -> int:
        """Return the SEQUENCE for invitation `uid` saying `digest`: the one it went out with, else one more."""
        used = [r for r in self.records if r.uid == uid and r.sequence is not None]
        for record in used:
            if record.hash == digest:
                return record.sequence or 0
        return max((r.sequence or 0 for r in used), default=-1) + 1

    def latest_sequence(self, uid: str) -> int:
        """Return the highest SEQUENCE sent for invitation `uid` (0 when none was)."""
        return max((r.sequence or 0 for r in self.records if r.uid == uid and r.event == "sent"), default=0)


def read_log(path: Path, root: Path | None = None) -> SentLog:
    """Return the log at `path` (empty when there is none), or raise a ContentError at a bad line.

    A last line without its line end is a write the run did not finish; it is left out.
    """
    if not path.is_file():
        return SentLog()
    text = path.read_bytes().decode("utf-8", errors="replace")
    complete = text.split("\n")[:-1]
    records = []
    problems = []
    for number, line in enumerate(complete, start=1):
        if not line.strip():
            continue
        try:
            records.append(parse_record(line))
        except ValueError as exc:
            problems.append(problem_at(path, number, f"not a line of the sent log: {exc}",
                                       "the log is written by 'storypack send'; restore it from version control",
                                       root=root, lines=complete))
    if problems:
        raise ContentError(problems)
    return SentLog(tuple(records))


def parse_record(line: str) -> Delivery:
    """Return one line of the log as a Delivery, or raise ValueError saying what is wrong."""
    try:
        data: Any = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    fields = set(Delivery.__dataclass_fields__)
    unknown = sorted(set(data) - fields)
    missing = sorted(f for f in ("at", "event", "kind", "meeting", "to", "hash", "message_id") if f not in data)
    if unknown or missing:
        raise ValueError(f"unknown field {unknown[0]!r}" if unknown else f"missing field {missing[0]!r}")
    if data["event"] not in EVENTS or data["kind"] not in KINDS:
        raise ValueError(f"unknown event or kind ({data['event']!r}, {data['kind']!r})")
    data.setdefault("name", "")
    record = Delivery(**data)
    try:
        record.when
    except (ValueError, AttributeError):
        raise ValueError(f"'at' is not a time: {record.at!r}") from None
    return record


def now() -> str:
    """Return the current time in UTC as the log writes it."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class LogWriter:
    """The log opened for appending by one `storypack send`, which holds the account's lock.

    The file is created by the first record: a run that sends nothing leaves the account as it was
    (so its pages are not rebuilt).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle: IO[bytes] | None = None

    def read(self) -> SentLog:
        """Return the log as it stands now (read under the lock)."""
        return read_log(self.path)

    def append(self, record: Delivery) -> None:
        """Add one record and make it durable (written, flushed, synced) before returning."""
        if self.handle is None:
            new = not self.path.exists()
            try:
                self.handle = open(self.path, "ab")
            except OSError as exc:
                raise OutputError(f"cannot write the sent log {self.path}: {exc.strerror}") from None
            if new:
                _sync_folder(self.path.parent)
        data = {key: value for key, value in asdict(record).items() if value not in ("", None)}
        self.handle.write((json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8"))
        self.handle.flush()
        os.fsync(self.handle.fileno())

    def close(self) -> None:
        """Close the file, if a record opened it."""
        if self.handle is not None:
            self.handle.close()
            self.handle = None


@contextmanager
def open_log(path: Path) -> Iterator[LogWriter]:
    """Yield the log at `path` for appending, the account locked against another run; cut an unfinished last line."""
    try:
        folder = os.open(path.parent, os.O_RDONLY)
    except OSError as exc:
        raise OutputError(f"cannot open the account folder {path.parent}: {exc.strerror}") from None
    writer = LogWriter(path)
    try:
        _lock(folder, path)
        if path.exists():
            _cut_partial_line(path)
        yield writer
    finally:
        writer.close()
        os.close(folder)


def _lock(descriptor: int, path: Path) -> None:
    """Take an exclusive lock on the account folder, or raise an OutputError when another run holds it."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX: no lock
        return
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise OutputError(f"another 'storypack send' is writing {path}; wait for it to finish") from None


def _cut_partial_line(path: Path) -> None:
    """Remove a last line that a stopped run did not finish writing, so the next record starts a line."""
    with open(path, "r+b") as handle:
        data = handle.read()
        if not data or data.endswith(b"\n"):
            return
        handle.truncate(data.rfind(b"\n") + 1)
        handle.flush()
        os.fsync(handle.fileno())


def _sync_folder(folder: Path) -> None:
    """Make a newly created file's name durable."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - some systems cannot open a folder
        return
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
