"""python -m warehouse (warehouse.cli). The command line's entry point, like app.py for the pages,
and the one module of the warehouse package that reaches display/ and access/: `briefing` draws
the 周调度 pack and 通报, which display builds, with the 督办事项 the app database holds (access);
`backup` and `restore` take the app database's default URL from access.
Imported only when that command runs: the others never load plotly."""

import os

from warehouse.cli import main


def _write_briefing(query, scope, thresholds, folder):
    from access import supervision
    from display import supervision as supervision_table
    from display.briefing_pack import write

    items = supervision.items_as_of(townships=list(scope.townships) if scope.townships else None)
    return write(query, scope, thresholds, folder, supervision_table.table(items))


def _app_db_url() -> str:
    from access.db import DEFAULT_URL

    return os.environ.get("APP_DB_URL") or DEFAULT_URL


raise SystemExit(main(write_briefing=_write_briefing, app_db_url=_app_db_url))
