"""What each page shows, built from its named queries: cards, charts and Chinese-headed tables.

A build is `build(query, *inputs)`: `query(name, **params)` runs a named query and the inputs
(scope, thresholds, a chosen indicator) are all it reads. ui.data.built keeps its output per
(load, inputs) for every user alike, so a build never reads a user, a session or the page.
"""
