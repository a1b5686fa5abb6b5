"""Run one command as a child and report its wall time and peak RSS as JSON on stdout.

    python -m bench.measure -- python -m warehouse load DIR --warehouse PATH

This wrapper is a fresh process whose only child is the command, so
`getrusage(RUSAGE_CHILDREN).ru_maxrss` is exactly the child's peak RSS (KiB on Linux).
The child's own output goes to stderr so stdout stays one line of JSON.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        print("usage: python -m bench.measure -- COMMAND...", file=sys.stderr)
        return 2
    started = time.perf_counter()
    completed = subprocess.run(argv, stdout=sys.stderr, stderr=sys.stderr)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_rss_mb": peak_kib / 1024, "returncode": completed.returncode}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
