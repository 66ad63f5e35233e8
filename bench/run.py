"""Measures netcrm's card import against its baselines, all in one run, and prints a table.

    scripts/bench [--cards N] [--repeat K] [--memory | --no-memory] [--memory-cards N] [--check]

scripts/bench builds what this needs first; see bench/README.md for what each figure means.
Every program runs in its own child process on the same generated file, into a fresh database file:

  netcrm (Python)  bench/netcrm_import.py: crm.import_file, as users run it
  netcrm (C++)     bench_import: store::imports().import_file, the same work without Python
  peer             bench/peer.py: vobject parses, sqlite3 stores FN, EMAIL and TEL rows
  floor            bench_floor: lines in, the same rows out, no vCard semantics

and, with --memory, netcrm (Python) again on a file of --memory-cards cards for its peak RSS.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# The targets (issue 3, "Speed").
TARGET_PEER_RATIO = 50.0
TARGET_FLOOR_RATIO = 0.5
TARGET_RSS_MB = 200.0


def card_file(data: Path, count: int) -> Path:
    """The generated file of `count` cards, made again only when gen_cards.py changed."""
    generator = HERE / "gen_cards.py"
    digest = hashlib.sha256(generator.read_bytes()).hexdigest()
    path = data / f"cards-{count}.vcf"
    stamp = path.with_suffix(".vcf.sha256")
    if path.exists() and stamp.exists() and stamp.read_text().strip() == digest:
        return path
    print(f"generating {count:,} cards into {path.relative_to(ROOT)} ...", flush=True)
    t = time.perf_counter()
    subprocess.run([sys.executable, str(generator), str(count), str(path)], check=True)
    stamp.write_text(digest + "\n")
    print(f"  {path.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - t:.1f} s", flush=True)
    return path


def fresh_db(data: Path, name: str) -> Path:
    db = data / "db" / f"{name}.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    return db


def run(name: str, command: list[str], data: Path, repeat: int) -> dict:
    """Runs `command` + [cards, db] `repeat` times; the fastest run's figures."""
    best: dict | None = None
    for _ in range(repeat):
        db = fresh_db(data, name)
        out = subprocess.run(command + [str(db)], check=True, capture_output=True, text=True)
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        if best is None or figures["seconds"] < best["seconds"]:
            best = figures
        fresh_db(data, name)  # the databases are large; keep the disk clean
    assert best is not None
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-dir", type=Path, required=True, help="CMake build tree with bench_floor and bench_import")
    parser.add_argument("--data", type=Path, default=ROOT / "build" / "bench", help="where card files and databases go")
    parser.add_argument("--cards", type=int, default=100_000, help="cards in the timed file (default 100,000)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each program; the fastest counts (default 1)")
    parser.add_argument("--memory", action=argparse.BooleanOptionalAction, default=False,
                        help="also import a --memory-cards file for netcrm's peak RSS (default off: a few minutes)")
    parser.add_argument("--memory-cards", type=int, default=1_000_000)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target of the issue is missed")
    args = parser.parse_args()
    args.build_dir = args.build_dir.resolve()

    try:
        import vobject  # noqa: F401  (the peer; fail before the long runs)
    except ImportError:
        print("bench: the peer needs vobject (Debian python3-vobject): run scripts/deps as root", file=sys.stderr)
        return 1

    data = args.data.resolve()
    data.mkdir(parents=True, exist_ok=True)
    cards = card_file(data, args.cards)
    floor_exe = args.build_dir / "bench" / "bench_floor"
    import_exe = args.build_dir / "bench" / "bench_import"
    python = sys.executable
    load = os.getloadavg()[0]

    rows: list[tuple[str, dict]] = []
    for key, name, command in [
        ("netcrm-python", "netcrm, Python crm.import_file", [python, str(HERE / "netcrm_import.py"), str(cards)]),
        ("netcrm-cpp", "netcrm, C++ import_file", [str(import_exe), str(cards)]),
        ("peer", "peer: vobject + sqlite3", [python, str(HERE / "peer.py"), str(cards)]),
        ("floor", "floor: lines + SQLite, no semantics", [str(floor_exe), str(cards)]),
    ]:
        print(f"running {name} ...", flush=True)
        rows.append((name, run(key, command, data, args.repeat)))
    memory: dict | None = None
    if args.memory:
        big = card_file(data, args.memory_cards)
        print(f"running netcrm, Python crm.import_file on {args.memory_cards:,} cards for its peak RSS ...", flush=True)
        memory = run("memory", [python, str(HERE / "netcrm_import.py"), str(big)], data, 1)

    for name, r in rows:
        if r["cards"] != args.cards:
            print(f"bench: {name} read {r['cards']:,} cards, not {args.cards:,}", file=sys.stderr)
            return 1
    py, cpp, peer, floor = (r["cards"] / r["seconds"] for _, r in rows)  # cards/s
    cpp_figures = rows[1][1]

    print()
    print(f"netcrm import benchmark: {args.cards:,} cards ({cards.stat().st_size / 1e6:.1f} MB), "
          f"{cards.relative_to(ROOT) if cards.is_relative_to(ROOT) else cards}")
    print(f"machine: {os.cpu_count()} cores, load average {load:.2f} when the bench started"
          + (f"; each figure the fastest of {args.repeat} runs" if args.repeat > 1 else ""))
    report = rows[0][1]
    print(f"netcrm's report: {report['added']:,} added, {report['merged']:,} merged, "
          f"{report['suggested']:,} suggested duplicates, {report['rejected']:,} rejected")
    print()
    print(f"{'':40}{'seconds':>9}{'cards/s':>11}{'peak RSS':>11}")
    for name, r in rows:
        print(f"{name:40}{r['seconds']:9.2f}{r['cards'] / r['seconds']:11,.0f}{r['max_rss_kb'] / 1024:8.0f} MB")
    print()
    verdicts = []

    def ratio(label: str, value: float, target: float) -> None:
        met = value >= target
        verdicts.append(met)
        print(f"{label:40}{value:9.2f}x   target >= {target:g}x: {'met' if met else 'MISSED'}")

    ratio("netcrm (Python) / peer", py / peer, TARGET_PEER_RATIO)
    ratio("netcrm (Python) / floor", py / floor, TARGET_FLOOR_RATIO)
    print(f"{'netcrm (C++) / peer':40}{cpp / peer:9.2f}x")
    print(f"{'netcrm (C++) / floor':40}{cpp / floor:9.2f}x")
    # netcrm's bottleneck is its writing thread (the other one parses and normalizes): that thread's
    # CPU time is what the import would take on an otherwise idle machine.
    writer = cpp_figures["writer_cpu_seconds"]
    print(f"{'netcrm (C++) writing thread CPU':40}{writer:9.2f}{cpp_figures['cards'] / writer:11,.0f}"
          "   (cards/s if nothing else ran)")
    if memory is not None:
        mb = memory["max_rss_kb"] / 1024
        met = mb < TARGET_RSS_MB
        verdicts.append(met)
        print(f"{'peak RSS importing ' + format(args.memory_cards, ',') + ' cards':40}{mb:6.0f} MB   "
              f"target < {TARGET_RSS_MB:g} MB: {'met' if met else 'MISSED'}  "
              f"({memory['seconds']:.1f} s, {memory['cards'] / memory['seconds']:,.0f} cards/s)")
    else:
        print("peak RSS for 1,000,000 cards: not measured (add --memory)")
    return 1 if args.check and not all(verdicts) else 0


if __name__ == "__main__":
    sys.exit(main())
