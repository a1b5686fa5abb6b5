"""Loading the center's exports: read, stage, type, validate, then swap the live warehouse.

The read side (runner, figures, pages) never imports this package; the loader imports the
read side's contract and schema version.
"""
