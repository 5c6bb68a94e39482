"""The meetings stage: the operations-review meeting pack, from content to the files of the site.

Takes the content folder's accounts/ (each account.yaml and its meetings/*.md, through generator.read)
and the site templates; gives checked `model.Account`s with their meetings and action items
(`schema`, `reader`, `tracker`, `tasklist`), KPIs computed from a ticket export (`exports`, through
generator.tickets), the KPI report and the dry-run warnings (`report`,
`rules`), the rendered pages, KPI charts and calendar files (`site`, `notes`, `charts`, `ical`,
`formatting`), the build's units of work (`pages`: one account's pages, the index) and the
`new meeting` command (`command`, `scaffold`). Knows nothing of the success story or its deck.
"""
