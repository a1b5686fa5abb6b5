"""python -m warehouse (warehouse.cli). The command line's entry point, like app.py for the pages,
and the one module of the warehouse package that reaches display/: `briefing` draws the 周调度
pack, which display builds. Imported only when that command runs: the others never load plotly."""

from warehouse.cli import main


def _write_briefing(*args):
    from display.briefing_pack import write

    return write(*args)


raise SystemExit(main(write_briefing=_write_briefing))
