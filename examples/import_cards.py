#!/usr/bin/env python3
"""Import every business card file in a folder into netcrm.

After a conference the cards come in several shapes: vCards shared from phones (.vcf), a CSV
exported from Google Contacts or a card-scanner app (.csv), and the payloads of QR codes scanned
from the backs of printed cards (.txt, one MECARD per line). Drop them in one folder and run:

    python3 examples/import_cards.py ~/cards/paris-web --event 12 --tag paris-web

Each file is imported as its own batch (``crm.imports.undo(batch)`` takes it back) and its report
is printed; people already known are merged, not doubled. ``--event`` records everyone on the cards
as met at that event (see examples/event_goals.py), which is what the event's goals count.

A file netcrm cannot read is reported and the other files are imported all the same. Exit status:
0 when every file was imported, 1 when any file could not be, 2 for a wrong command line (no such
folder, no such event).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import netcrm

# What a card file can be called; netcrm reads the format from the content, the suffix only picks
# the files (so README.md or a photo of a card lying in the folder is left alone).
CARD_SUFFIXES = (".vcf", ".vcard", ".csv", ".txt")


def card_files(folder: Path) -> list[Path]:
    """The card files directly in ``folder``, by name; hidden files are left out."""
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in CARD_SUFFIXES)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("folder", type=Path, help="the folder holding .vcf, .csv and .txt (QR code) files")
    parser.add_argument("--event", type=int, metavar="ID", help="the id of the event where you met these people")
    parser.add_argument("--tag", action="append", default=[], metavar="T",
                        help="a tag for every new contact (repeat for several)")
    # None lets netcrm.open() use its default file and create the folder for it.
    parser.add_argument("--db", type=Path, default=None, metavar="PATH",
                        help=f"the database (default: {netcrm.default_path()})")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        parser.error(f"{args.folder} is not a folder")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    folder: Path = args.folder
    files = card_files(folder)
    if not files:
        print(f"No card files ({', '.join(CARD_SUFFIXES)}) in {folder}")
        return 0

    with netcrm.open(args.db) as crm:
        event: netcrm.Event | None = None
        if args.event is not None:
            event = crm.events.find(args.event)
            if event is None:
                print(f"import_cards: there is no event #{args.event} in {crm.path} "
                      "(examples/event_goals.py prepare makes one)", file=sys.stderr)
                return 2
            print(f"Cards from {event.name} ({event.local_starts:%Y-%m-%d}):")

        tags: list[str] = args.tag
        in_folder = os.path.join(folder, "")  # reports and errors name files by full path; show names
        imported: list[netcrm.ImportReport] = []
        failed: list[Path] = []
        for path in files:
            try:
                report = crm.import_file(path, event=event, tags=tags)
            except (netcrm.Error, OSError) as e:
                # Not a card file, unreadable, not UTF-8 nor any charset a card uses ...: this
                # file is left out (its import wrote nothing) and the next one is tried.
                print(f"Not imported: {str(e).replace(in_folder, '')}", file=sys.stderr)
                failed.append(path)
                continue
            imported.append(report)
            print(str(report).replace(in_folder, ""))

        added = sum(r.added for r in imported)
        merged = sum(r.merged for r in imported)
        rejected = sum(len(r.rejected) for r in imported)
        suggested = sum(len(r.suggested) for r in imported)
        print(f"Total: {len(imported)} of {len(files)} files imported from {folder}: {added} added, "
              f"{merged} merged, {rejected} records rejected, {suggested} possible duplicates to review")
        if failed:
            print(f"{len(failed)} not imported: {', '.join(p.name for p in failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
