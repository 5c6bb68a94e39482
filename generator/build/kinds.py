"""The kinds of unit: how each is rendered, which code and templates it depends on.

Rendering imports the stage that does the work only when a unit of that kind is built, so that a
build with nothing to do never loads python-pptx, matplotlib or the content schemas.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from generator.build.reads import export_inputs, recording_reads
from generator.build.settings import BuildSettings, cache_folder
from generator.build.units import Unit, UnitResult
from generator.errors import ContentError
from generator.hashing import file_hash, rel, tree_hashes
from generator.read.layout import CATALOGUE_FILE, MAIN_STORY, STORIES

if TYPE_CHECKING:
    from generator.meetings.accountcache import AccountCache

STAGES = ("story", "deck", "meetings")
"""The folders of `generator` that belong to one kind of output; every other module is shared by all kinds."""
ACCOUNT_CACHE = "accounts"
"""The cache folder of the accounts builds read (see generator/meetings/accountcache.py)."""
TEMPLATE_CACHE = "templates"
"""The cache folder of the compiled slide and site templates (see generator/read/compiled.py)."""


@dataclass(frozen=True)
class Kind:
    """How one kind of unit is rendered and what, besides its content, it depends on."""

    templates: str
    """The templates subfolder it reads ('' for the whole templates folder)."""
    stages: tuple[str, ...]
    """The folders of STAGES it imports: editing another stage's folder does not rebuild it."""
    settings: tuple[str, ...] | None
    """The build settings its output depends on (as_of, source_date_epoch, pdf ...); None: all but the as-of date."""
    watches_folder: bool
    """True: it reads every file in its folder. False: it reads the files it names (recorded at build)."""
    render: Callable[[Unit, BuildSettings], UnitResult]


def render_unit(unit: Unit, settings: BuildSettings) -> UnitResult:
    """Return the unit rendered (in this process): its files, or the problems found in its content."""
    started = time.perf_counter()
    try:
        result = KINDS[unit.kind].render(unit, settings)
    except ContentError as exc:
        result = UnitResult(unit.name, problems=list(exc.problems))
    result.seconds = time.perf_counter() - started
    return result


def _render_deck(unit: Unit, settings: BuildSettings) -> UnitResult:
    """Return the deck of one story, with the files it read and its warnings."""
    from generator.deck.charts.picture import chart_cache
    from generator.deck.render import render_story
    from generator.read.compiled import compiled_templates
    from generator.story.load import load_story

    with (recording_reads(settings.content) as read, chart_cache(cache_folder(settings, "charts")),
          compiled_templates(cache_folder(settings, TEMPLATE_CACHE))):
        story = load_story(unit.folder, tickets_cache=cache_folder(settings, "tickets"))
        files, warnings = render_story(story, settings.templates)
    if settings.pdf or settings.thumbnails:
        from generator.deck.export import export_files
        from generator.deck.package import build_time
        from generator.deck.render import DECK_FILE

        files.update(export_files(files[DECK_FILE], build_time(story.story.date), settings.pdf, settings.thumbnails))
    read.update([story.story_doc.path, story.metrics_doc.path, *(note.path for note in story.notes.values())])
    exports = story.exported.files if story.exported else None
    reads = {rel(path, settings.content): file_hash(path) for path in sorted(read)}
    if exports is not None:  # DuckDB reads the export where the audit hook cannot see it
        reads.update(export_inputs(settings.content, unit.folder, exports.paths, exports.patterns))
    prefix = "" if unit.short == MAIN_STORY else f"{STORIES}/{unit.short}/"
    return UnitResult(unit.name, {prefix + name: data for name, data in files.items()},
                      reads=dict(sorted(reads.items())), warnings=warnings)


def _render_account(unit: Unit, settings: BuildSettings) -> UnitResult:
    """Return the pages of one account and its warnings; its inputs: its folder and the ticket export it names."""
    from generator.meetings.pages import render_account_pages
    from generator.read.compiled import compiled_templates

    with compiled_templates(cache_folder(settings, TEMPLATE_CACHE)):
        files, warnings, exports = render_account_pages(settings.content, unit.short, settings.as_of,
                                                        settings.templates, cache_folder(settings, "tickets"),
                                                        settings.pdf, _account_cache(settings))
    reads = _with_catalogue(tree_hashes(unit.folder, settings.content), settings)
    if exports is not None:
        reads.update(export_inputs(settings.content, settings.content, exports.paths, exports.patterns))
    return UnitResult(unit.name, files, reads=dict(sorted(reads.items())), warnings=warnings)


def _with_catalogue(reads: dict[str, str], settings: BuildSettings) -> dict[str, str]:
    """Return `reads` with the service catalogue, which an account's quotes are priced from, when there is one."""
    catalogue = settings.content / CATALOGUE_FILE
    if catalogue.is_file():
        reads[rel(catalogue, settings.content)] = file_hash(catalogue)
    return reads


def _render_index(unit: Unit, settings: BuildSettings) -> UnitResult:
    """Return the site index and style sheet."""
    from generator.meetings.pages import render_site_index
    from generator.read.compiled import compiled_templates

    with compiled_templates(cache_folder(settings, TEMPLATE_CACHE)):
        files = render_site_index(settings.content, settings.as_of, settings.templates, _account_cache(settings))
    reads = _with_catalogue(tree_hashes(unit.folder, settings.content), settings)
    return UnitResult(unit.name, files, reads=dict(sorted(reads.items())))


def _account_cache(settings: BuildSettings) -> AccountCache | None:
    """Return where this build keeps the accounts it read (None when it may write nothing but its output)."""
    from generator.meetings.accountcache import AccountCache

    folder = cache_folder(settings, ACCOUNT_CACHE)
    return AccountCache(folder, _meetings_code()) if folder is not None else None


@lru_cache(maxsize=1)
def _meetings_code() -> str:
    """Return the hash of the code a meeting-pack unit runs (its stage, the shared code and the packages)."""
    from generator.build.fingerprint import code_hash, source_hashes

    return code_hash(source_hashes(), excluded_stages("account"))


KINDS: dict[str, Kind] = {
    "deck": Kind("deck", ("story", "deck"), settings=None, watches_folder=False, render=_render_deck),
    "account": Kind("site", ("meetings",), settings=("as_of", "source_date_epoch", "pdf"), watches_folder=True,
                    render=_render_account),
    "index": Kind("site", ("meetings",), settings=("as_of", "source_date_epoch"), watches_folder=True,
                  render=_render_index),
}
"""Each kind of unit: its templates, the stage folders it depends on, how it is rendered."""


def excluded_stages(kind: str) -> tuple[str, ...]:
    """Return the stage folders whose code a unit of `kind` never runs."""
    return tuple(stage for stage in STAGES if stage not in KINDS[kind].stages)
