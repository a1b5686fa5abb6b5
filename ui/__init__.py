"""Streamlit-side helpers shared by app.py and the pages (layout glue only)."""
