"""The deck's charts: a story's `ChartSpec` drawn as a PNG picture (matplotlib, cached) or as an
editable PowerPoint chart (`native`), in the colours and fonts of the deck (`theme`)."""
