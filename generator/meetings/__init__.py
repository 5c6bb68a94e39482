"""The operations-review meeting pack: agenda and minutes pages, action items, calendars.

The flow, one module per step: `schema` (what the files may hold) -> `reader` (files into a
checked `model.Account`) -> `tracker` and `report` (action items and KPIs, computed) ->
`notes`, `charts`, `ical`, `site` (rendering) -> `part` (the build's meeting-pack part).
"""
