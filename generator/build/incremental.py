"""The incremental build: render only the units whose inputs changed, keep the others' files as they are.

A unit is up to date when the manifest of the previous output records the same code, templates,
settings and content-file hashes, and its output files are still there. Its files are then
hard-linked from the previous output into the new one (and their hashes checked), never rendered;
when nothing at all changed, output/ is left alone and nothing heavy is imported.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from generator.build.kinds import ACCOUNT_CACHE, TEMPLATE_CACHE
from generator.build.manifest import (
    MANIFEST,
    Fingerprints,
    UnitRecord,
    manifest_bytes,
    read_manifest,
)
from generator.build.output import MARKER, Staging, open_previous
from generator.build.progress import Progress
from generator.build.settings import (
    BuildOptions,
    BuildReport,
    BuildSettings,
    cache_folder,
    default_jobs,
)
from generator.build.units import Unit, raise_problems
from generator.cache import prune
from generator.hashing import keeping


@dataclass
class Plan:
    """Every unit's fate in this build."""

    previous: dict[str, UnitRecord]
    stale: list[tuple[Unit, str]] = field(default_factory=list)
    """Selected units to render, each with why."""
    fresh: list[Unit] = field(default_factory=list)
    """Selected units whose inputs are unchanged."""
    kept: list[Unit] = field(default_factory=list)
    """Units not selected that the previous output holds: carried over untouched."""
    removed: list[str] = field(default_factory=list)
    """Units in the previous manifest whose content is gone."""
    inputs: dict[str, dict[str, str] | None] = field(default_factory=dict)


def incremental_build(settings: BuildSettings, options: BuildOptions, units: list[Unit], chosen: list[Unit],
                      progress: Progress) -> BuildReport:
    """Build `chosen` into settings.output, keeping what is up to date; return the report.

    Each content file is read once: the bytes hashed to plan the build are those the units render from.
    """
    fingerprints = Fingerprints(settings.content, settings.templates, build_settings(settings))
    previous = open_previous(settings.output)
    try:
        with keeping():
            plan = make_plan(fingerprints, previous, units, chosen, options.force)
            if previous is not None and not plan.stale and not plan.removed:
                return _report(plan, previous_files(plan), written=False)
            return _write(settings, options, fingerprints, previous, plan, progress)
    finally:
        if previous is not None:
            os.close(previous)


def build_settings(settings: BuildSettings) -> dict[str, str]:
    """Return the settings outputs may depend on: the as-of date, SOURCE_DATE_EPOCH and the exports.

    Fonts are not a setting: the bundled ones are package data (in the code fingerprint) and a deck's
    own are content files (recorded as inputs); installed fonts are never used.
    """
    return {"as_of": settings.as_of.isoformat(), "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
            "pdf": str(settings.pdf), "thumbnails": str(settings.thumbnails)}


def make_plan(fingerprints: Fingerprints, previous: int | None, units: list[Unit], chosen: list[Unit],
              force: bool) -> Plan:
    """Return which chosen units must be rendered and which outputs are kept or removed."""
    plan = Plan(read_manifest(previous))
    names = {unit.name for unit in units}
    selected = {unit.name for unit in chosen}
    plan.removed = sorted(name for name in plan.previous if name not in names)
    plan.kept = [unit for unit in units if unit.name not in selected and unit.name in plan.previous]
    for unit in chosen:
        record = plan.previous.get(unit.name)
        inputs = fingerprints.inputs(unit, record)
        plan.inputs[unit.name] = inputs
        reason = "forced" if force else fingerprints.stale(unit, record, inputs)
        if reason is None and record is not None and not _outputs_present(previous, record):
            reason = "output missing"
        if reason is None:
            plan.fresh.append(unit)
        else:
            plan.stale.append((unit, reason))
    return plan


def _outputs_present(previous: int | None, record: UnitRecord) -> bool:
    """Return True when every output file of `record` exists in the previous output folder."""
    if previous is None:
        return False
    for name in record.outputs:
        try:
            os.stat(name, dir_fd=previous)
        except OSError:
            return False
    return True


def _write(settings: BuildSettings, options: BuildOptions, fingerprints: Fingerprints, previous: int | None,
           plan: Plan, progress: Progress) -> BuildReport:
    """Stage kept files, render the stale units, write the manifest and swap the new output in."""
    from generator.build.workers import (
        render_all,  # multiprocessing: loaded only when something is rendered
    )


    with Staging(settings.output) as staging:
        records = _carry(staging, previous, plan)
        results = render_all(plan.stale, settings, options.jobs or default_jobs(), progress,
                             into=staging.path) if plan.stale else {}
        raise_problems(results.values(), settings.content)
        for unit, _ in plan.stale:
            result = results[unit.name]
            outputs = staging.write_all(result.files) if result.written is None else result.written
            if MANIFEST in outputs or MARKER in outputs:
                raise AssertionError(f"unit {unit.name} may not write {MANIFEST} or {MARKER}")
            inputs = result.reads if result.reads is not None else plan.inputs[unit.name]
            assert inputs is not None
            records[unit.name] = fingerprints.record(unit, inputs, outputs)
        _check_overlaps(records)
        staging.write(MANIFEST, manifest_bytes(records))
        staging.commit()
    if any(unit.kind == "deck" for unit, _ in plan.stale):
        prune(cache_folder(settings, "charts"))
    if any(unit.kind in ("account", "index") for unit, _ in plan.stale):
        prune(cache_folder(settings, ACCOUNT_CACHE))
    if plan.stale:
        prune(cache_folder(settings, TEMPLATE_CACHE))
    if any(unit.kind in ("deck", "account") for unit, _ in plan.stale):
        prune(cache_folder(settings, "tickets"))  # summaries and parsed exports no build used for 30 days
    plan.previous = records
    return _report(plan, sorted(name for record in records.values() for name in record.outputs), written=True)


def _carry(staging: Staging, previous: int | None, plan: Plan) -> dict[str, UnitRecord]:
    """Link the files of fresh and kept units into `staging`; return their records.

    A fresh unit whose files cannot be carried unchanged (another build replaced them meanwhile) is
    moved to plan.stale; a kept unit is then dropped from the output.
    """
    records: dict[str, UnitRecord] = {}
    for unit in [*plan.fresh, *plan.kept]:
        record = plan.previous[unit.name]
        if previous is not None and all(staging.carry(name, previous, digest)
                                        for name, digest in sorted(record.outputs.items())):
            records[unit.name] = record
        elif unit in plan.fresh:
            plan.fresh.remove(unit)
            plan.stale.append((unit, "output changed"))
        else:
            plan.kept.remove(unit)
    return records


def _check_overlaps(records: dict[str, UnitRecord]) -> None:
    """Raise when two units claim the same output file (a bug: unit outputs are disjoint by design)."""
    owner: dict[str, str] = {}
    for unit, record in sorted(records.items()):
        for name in record.outputs:
            if name in owner:
                raise AssertionError(f"{name} is written by both {owner[name]} and {unit}")
            owner[name] = unit


def previous_files(plan: Plan) -> list[str]:
    """Return the output files recorded in the previous manifest."""
    return sorted(name for record in plan.previous.values() for name in record.outputs)


def _report(plan: Plan, files: list[str], *, written: bool) -> BuildReport:
    """Return the BuildReport of `plan`."""
    return BuildReport(files=files, built=sorted(unit.name for unit, _ in plan.stale),
                       up_to_date=sorted(unit.name for unit in plan.fresh),
                       kept=sorted(unit.name for unit in plan.kept), removed=plan.removed, written=written)
