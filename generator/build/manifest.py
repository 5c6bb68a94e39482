"""The build manifest: what each unit's output was made from, so that unchanged units are not rebuilt.

`output/.storypack-build.json` is written with the output, in the same atomic swap:

    {"format": 1, "storypack": "0.1.0",
     "units": {"deck:main": {"code": "<sha256>", "templates": "<sha256>", "settings": {...},
                             "inputs": {"story.yaml": "<sha256>", ...},
                             "outputs": {"success-story.pptx": "<sha256>"}}}}

Input paths are relative to the content folder, output paths to the output folder.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import generator
from generator.build.fingerprint import code_hash, source_hashes
from generator.build.kinds import KINDS, excluded_stages
from generator.build.reads import GLOB, glob_hash
from generator.build.units import Unit
from generator.hashing import MISSING, digest, file_hash, rel, tree_names

MANIFEST = ".storypack-build.json"
FORMAT = 1


@dataclass(frozen=True)
class UnitRecord:
    """What one unit's outputs were made from, and the outputs themselves (path -> SHA-256)."""

    code: str
    templates: str
    settings: dict[str, str]
    inputs: dict[str, str]
    outputs: dict[str, str]


def parse_manifest(text: str) -> dict[str, UnitRecord]:
    """Return the unit records of a manifest's text; {} when it is unreadable or of another format."""
    try:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            return {}
        return {name: UnitRecord(**record) for name, record in data["units"].items()}
    except (ValueError, TypeError, KeyError, AttributeError):
        return {}


def read_manifest(folder_fd: int | None) -> dict[str, UnitRecord]:
    """Return the records of the manifest in the open output folder `folder_fd`; {} when there is none."""
    if folder_fd is None:
        return {}
    try:
        fd = os.open(MANIFEST, os.O_RDONLY, dir_fd=folder_fd)
    except OSError:
        return {}
    with open(fd, encoding="utf-8") as handle:
        return parse_manifest(handle.read())


def manifest_bytes(records: dict[str, UnitRecord]) -> bytes:
    """Return the manifest for `records`: canonical JSON, the same bytes for the same build."""
    data = {"format": FORMAT, "storypack": generator.__version__,
            "units": {name: asdict(records[name]) for name in sorted(records)}}
    return (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8")


class Fingerprints:
    """Computes, once per build, what units are made from: code, templates, settings, content files."""

    def __init__(self, content: Path, templates: Path, settings: dict[str, str]) -> None:
        self.content, self.templates, self.common = content, templates, settings
        self._files: dict[Path, str] = {}
        self._code: dict[str, str] = {}
        self._sources: dict[str, str] = {}
        self._templates: dict[str, str] = {}

    def file(self, path: Path) -> str:
        """Return the SHA-256 of a content file, read once per build."""
        if path not in self._files:
            self._files[path] = file_hash(path)
        return self._files[path]

    def entry(self, name: str) -> str:
        """Return the fingerprint of a recorded input: a content file's, or a `glob:` entry's (the files it matches)."""
        if name.startswith(GLOB):
            return glob_hash(self.content, name[len(GLOB):])
        return self.file(self.content / name)

    def code(self, unit: Unit) -> str:
        """Return the hash of the tool's code and packages that this kind of unit depends on."""
        excluded = excluded_stages(unit.kind)
        key = "/".join(excluded)
        if key not in self._code:
            self._sources = self._sources or source_hashes()
            self._code[key] = code_hash(self._sources, excluded)
        return self._code[key]

    def template_hash(self, unit: Unit) -> str:
        """Return the hash of the templates this kind of unit reads."""
        sub = KINDS[unit.kind].templates
        if sub not in self._templates:
            folder = self.templates / sub if sub else self.templates
            self._templates[sub] = digest({name: self.file(p) for name, p in tree_names(folder, folder)})
        return self._templates[sub]

    def settings(self, unit: Unit) -> dict[str, str]:
        """Return the build settings this unit's output depends on."""
        keys = KINDS[unit.kind].settings
        if keys is not None:
            return {key: value for key, value in self.common.items() if key in keys}
        return {key: value for key, value in self.common.items() if key not in ("as_of",)}

    def inputs(self, unit: Unit, previous: UnitRecord | None) -> dict[str, str] | None:
        """Return the unit's content files with their hashes now; None when unknown until it is rendered.

        A unit that reads its whole folder also depends on the files outside it that it recorded when last
        built (an account's ticket export)."""
        if KINDS[unit.kind].watches_folder:
            found = {name: self.file(p) for name, p in tree_names(unit.folder, self.content)}
            inside = rel(unit.folder, self.content) + "/"
            if previous is not None:
                found.update((name, self.entry(name)) for name in previous.inputs
                             if not name.startswith(inside) and name not in found)
            return dict(sorted(found.items()))
        if previous is None:
            return None
        return {name: self.entry(name) for name in previous.inputs}

    def stale(self, unit: Unit, previous: UnitRecord | None, inputs: dict[str, str] | None) -> str | None:
        """Return why the unit must be rebuilt ('new', 'templates changed', 'story.yaml changed'...), or None."""
        if previous is None or inputs is None:
            return "new"
        checks = [(previous.code, self.code(unit), "storypack changed"),
                  (previous.templates, self.template_hash(unit), "templates changed"),
                  (previous.settings, self.settings(unit), "settings changed")]
        for before, now, reason in checks:
            if before != now:
                return reason
        if previous.inputs != inputs:
            return _changed_files(previous.inputs, inputs)
        return None

    def record(self, unit: Unit, inputs: dict[str, str], outputs: dict[str, str]) -> UnitRecord:
        """Return the manifest record of a unit just built."""
        return UnitRecord(self.code(unit), self.template_hash(unit), self.settings(unit), inputs, outputs)


def _changed_files(before: dict[str, str], now: dict[str, str]) -> str:
    """Return e.g. 'metrics.yaml changed' or '3 files changed' for two input sets."""
    changed = sorted(name for name in set(before) | set(now)
                     if before.get(name, MISSING) != now.get(name, MISSING))
    if len(changed) == 1:
        return f"{changed[0]} {'removed' if now.get(changed[0], MISSING) == MISSING else 'changed'}"
    return f"{len(changed)} files changed"
