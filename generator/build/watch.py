"""`storypack watch`: build, then rebuild what a change touches whenever a file under content/ or templates/ changes.

The process stays warm: python-pptx, matplotlib, the schemas and the compiled templates are loaded
once, so a rebuild costs only the work it does (a one-page change takes a fraction of a cold build).
A change that breaks the content is reported and the output stays as it was; the next change that
fixes it rebuilds.
"""

from __future__ import annotations

import itertools
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

from generator.build.progress import Progress
from generator.build.run import build_report
from generator.build.settings import (
    BuildOptions,
    BuildReport,
    BuildSettings,
    cache_root,
)
from generator.errors import StorypackError

READY_MS = 500
"""How long the watcher waits for a change before it reports that there was none (and checks for Ctrl-C)."""
DEBOUNCE_MS = 150
"""Changes that arrive within this many milliseconds of each other are built together (an editor's save)."""


def watch(settings: BuildSettings, options: BuildOptions, summary: Callable[[BuildReport, BuildSettings], str],
          out: TextIO | None = None, stop: threading.Event | None = None) -> int:
    """Build, then rebuild on every change under the content and templates folders until `stop` (or Ctrl-C).

    The watcher starts before the first build, so that a change made while it runs is built next.
    """
    from watchfiles import DefaultFilter
    from watchfiles import watch as changes

    out = out or sys.stdout
    missing = [folder for folder in (settings.content, settings.templates) if not folder.is_dir()]
    if missing:
        build_report(settings, options, Progress(out))  # says what is missing, as `build` does
        raise StorypackError(f"{missing[0]}/ is not a folder: there is nothing to watch")
    ignored = DefaultFilter(ignore_paths=[str(p.resolve()) for p in (settings.output, cache_root(settings))])
    batches = changes(settings.content, settings.templates, watch_filter=ignored, debounce=DEBOUNCE_MS,
                      stop_event=stop, raise_interrupt=False, yield_on_timeout=True, rust_timeout=READY_MS)
    try:
        pending = next(batches, set())  # returns once the watcher is set up: nothing is missed from here on
        rebuild(settings, options, summary, out)
        _warm_up()
        print(f"watching {settings.content}/ and {settings.templates}/ (Ctrl-C to stop)", file=out, flush=True)
        for batch in itertools.chain([pending], batches):
            changed = touched(batch)
            if changed:
                print(f"changed: {describe(changed, settings)}", file=out, flush=True)
                rebuild(settings, options, summary, out)
    except KeyboardInterrupt:  # Ctrl-C during a rebuild: that build is dropped whole, as any unfinished build
        print(f"stopped; {settings.output}/ holds the last complete build", file=out, flush=True)
    return 0


def rebuild(settings: BuildSettings, options: BuildOptions, summary: Callable[[BuildReport, BuildSettings], str],
            out: TextIO) -> bool:
    """Build once; print what was built, or the problems (the output then stays as it was). Return success."""
    started = time.perf_counter()
    try:
        report = build_report(settings, options, Progress(out))
    except StorypackError as exc:
        print(str(exc) if exc.exit_code == 2 else f"error: {exc}", file=out, flush=True)
        print(f"{settings.output}/ is unchanged; waiting for the next change", file=out, flush=True)
        return False
    print(f"{summary(report, settings)} ({time.perf_counter() - started:.2f} s)", file=out, flush=True)
    return True


def touched(batch: Iterable[tuple[Any, str]]) -> list[str]:
    """Return the paths a batch of changes touched, once each; files made and removed within it (an editor's
    temporary files) are left out."""
    from watchfiles import Change

    kinds: dict[str, set[Any]] = {}
    for change, path in batch:
        kinds.setdefault(path, set()).add(change)
    return sorted(path for path, seen in kinds.items()
                  if not ({Change.added, Change.deleted} <= seen and not Path(path).exists()))


def describe(paths: Iterable[str], settings: BuildSettings) -> str:
    """Return the changed files as short names: 'content/accounts/x/meetings/a.md, templates/site/base.html.j2'."""
    names = []
    for path in paths:
        for root in (settings.content, settings.templates):
            try:
                names.append(f"{root.name}/{Path(path).resolve().relative_to(root.resolve()).as_posix()}")
                break
            except ValueError:
                continue
        else:
            names.append(path)
    shown = ", ".join(names[:3])
    return shown + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _warm_up() -> None:
    """Import what rebuilds need, once: worker processes forked later start with it loaded."""
    import matplotlib.backends.backend_agg  # noqa: F401

    import generator.deck.charts.picture  # noqa: F401
    import generator.deck.design  # noqa: F401
    import generator.deck.slides  # noqa: F401
    import generator.meetings.pages  # noqa: F401
