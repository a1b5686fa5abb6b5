"""Benchmark harness: load time and memory, page renders, concurrent sessions.

`python -m bench` (or `make bench`) runs every part and writes results.md / results.json;
see README「基准测试」. Nothing here is imported by the app.
"""
