"""The deck's charts: a story's `ChartSpec` drawn as a PNG picture (matplotlib, cached: `picture`, with `artists`,
`legend`, `layout`, `axes`, `titles`, `labels`) or as an editable PowerPoint chart (`native` and the `native_*`
modules), in the colours and fonts of the deck (`theme`)."""
