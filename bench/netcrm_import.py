"""netcrm's import as users run it: a fresh database, the default region set (so national phone
numbers are normalized too), one crm.import_file with everything on - normalization, duplicate
matching and merging, indexes, full-text search. Run in a child process of run.py, so its peak
memory is its own.

    netcrm_import.py CARDS.vcf OUT.db     prints one JSON line: the report's counts, seconds, max_rss_kb
"""

from __future__ import annotations

import json
import resource
import sys
import time

import netcrm


def main() -> int:
    path, db = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    with netcrm.open(db) as crm:
        crm.default_region = "US"
        t = time.perf_counter()
        report = crm.import_file(path)
        import_seconds = time.perf_counter() - t
    seconds = time.perf_counter() - start  # closed: the WAL checkpoint counts, as for the baselines
    print(json.dumps({"cards": report.read, "added": report.added, "merged": report.merged,
                      "skipped": report.skipped, "rejected": len(report.rejected),
                      "suggested": len(report.suggested), "seconds": seconds, "import_seconds": import_seconds,
                      "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
