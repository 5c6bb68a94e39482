"""What a build shows while it runs: one live line on a terminal, plain lines in CI logs."""

from __future__ import annotations

import shutil
import sys
from typing import TextIO


class Progress:
    """Reports units as they are built: `built deck:main in 0.41 s (new)`, or a live line on a TTY."""

    def __init__(self, stream: TextIO | None = None, *, live: bool | None = None, quiet: bool = False) -> None:
        self.stream = stream or sys.stdout
        self.live = self.stream.isatty() if live is None else live
        self.quiet = quiet
        self.total = self.done = 0
        self.jobs = 1
        self.pending: list[str] = []

    def start(self, names: list[str], jobs: int) -> None:
        """Announce the units about to be built, in the order they are handed to `jobs` workers."""
        self.total, self.done, self.pending, self.jobs = len(names), 0, list(names), jobs
        self._draw()

    def finished(self, name: str, seconds: float, reason: str, ok: bool) -> None:
        """Report one unit done (or failed) after `seconds`, rebuilt because of `reason`."""
        self.done += 1
        if name in self.pending:
            self.pending.remove(name)
        if self.live:
            self._clear()
        if not self.quiet and (not self.live or not ok):
            verb = "built" if ok else "failed"
            print(f"{verb} {name} in {seconds:.2f} s ({reason})", file=self.stream, flush=True)
        self._draw()

    def close(self) -> None:
        """Remove the live line, if any."""
        if self.live:
            self._clear()

    def _draw(self) -> None:
        """Redraw the live line: '[3/12] building deck:emea, account:kestrel-freight'."""
        if not self.live or self.quiet or not self.pending:
            return
        width = shutil.get_terminal_size((80, 24)).columns
        line = f"[{self.done}/{self.total}] building {', '.join(self.pending[:self.jobs])}"
        self.stream.write("\r" + line[: max(width - 1, 10)] + "\x1b[K")
        self.stream.flush()

    def _clear(self) -> None:
        self.stream.write("\r\x1b[K")
        self.stream.flush()
