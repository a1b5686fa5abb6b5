"""The center's exports → a DuckDB warehouse → exact figures.

No module in this package imports streamlit: the loader, contract, runner and command line
are used by the app, the tests and scripts alike.
"""
