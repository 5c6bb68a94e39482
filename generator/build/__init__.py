"""The build stage: find the units of a content folder, render those whose inputs changed, write output/ at once.

Takes `BuildSettings` and `BuildOptions` (`settings`); gives a `BuildReport` and the output folder.
The flow: `units.discover` and `units.select` (--only, --shard) -> `manifest.Fingerprints` (what each
unit is made from; unchanged units are kept) -> `kinds.render_unit` for the others, in worker
processes (`workers`) -> `output.Staging` (kept files linked, new ones written, one atomic swap).
`run` drives it, `incremental` decides and writes, `watch` repeats it on every change. `reads`
records what a unit read (ticket exports and their globs among it); `exports` is `storypack tickets
summary --content`: what each unit computes from its export.
"""
