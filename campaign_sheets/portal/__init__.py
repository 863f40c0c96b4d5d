"""The collection portal: teams submit workbooks in a browser, analysts see the portfolio; one database.

`db` (schema, engine, migrations), `store` (original bytes, content-addressed), `codec` (a FileSummary
as JSON), `service` (submit, list, current state, portfolio: the library the app and the CLI share),
`auth` (users, sessions, tokens), `app` (the FastAPI app: JSON API and pages).
"""
