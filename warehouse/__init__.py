"""The center's exports → a DuckDB warehouse → exact figures: the read side (named queries,
scope, figures, weeks, run-rate, snapshots, thresholds) and the command line.

Loading lives in warehouse.load, the demo generator in warehouse.demo; what users see is in
the display package.
"""
