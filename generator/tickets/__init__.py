"""The tickets stage: monthly support figures computed from a ticket system's raw export.

Takes export files (CSV, TSV, XLSX, Parquet, JSON lines) written by ServiceNow, Jira Service
Management, Zendesk, Freshdesk or any tool a `mapping` describes, plus the reporting months, time
zone, age buckets and SLA targets; gives a `summary.Summary`: one `MonthFigures` per month (opened,
resolved, backlog by age, support debt, Level-1 share, escalations, SLA attainment, CSAT, reopens),
each figure with the rule and the number of tickets behind it. `mapping` and `presets` describe the
export's columns and vocabularies, `export` opens the files in DuckDB, `rows` is the SQL reading each
value, `parse` reads every row once into a narrow table (shared by the summaries of one export),
`clean` reads the files again in file order when rows are bad, to report them with their line numbers,
`figures` computes the figures in SQL and `summary` ties it together (and caches it),
`content` resolves the exports content files name (globs, problems at their YAML line) for the
story and meetings stages, `command` is `storypack tickets summary`. Imports only generator.read and
the shared modules.
"""
