"""The pure-Python peer netcrm is measured against: vobject (Debian's python3-vobject) parses the
cards and the standard library's sqlite3 stores the same fields the floor stores - one contact row
per card (FN), one row per EMAIL and per TEL - with executemany in one transaction, into a file
opened as netcrm opens its own (WAL, synchronous=NORMAL). Values are vobject's decoded values.

    peer.py CARDS.vcf OUT.db     prints one JSON line: cards, emails, phones, unreadable, seconds, max_rss_kb
"""

from __future__ import annotations

import json
import resource
import sqlite3
import sys
import time

import vobject


def main() -> int:
    path, db = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = NORMAL")
    con.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, fn TEXT NOT NULL)")
    con.execute("CREATE TABLE emails (contact_id INTEGER NOT NULL REFERENCES contacts(id), value TEXT NOT NULL)")
    con.execute("CREATE TABLE phones (contact_id INTEGER NOT NULL REFERENCES contacts(id), value TEXT NOT NULL)")
    contacts: list[tuple[int, str]] = []
    emails: list[tuple[int, str]] = []
    phones: list[tuple[int, str]] = []
    with open(path, encoding="utf-8", newline="") as f:
        # allowQP: vCard 2.1 quoted-printable soft line breaks; ignoreUnreadable: a line vobject cannot
        # parse is dropped instead of ending the whole file.
        for n, card in enumerate(vobject.readComponents(f, allowQP=True, ignoreUnreadable=True), 1):
            fn = card.contents.get("fn")
            contacts.append((n, str(fn[0].value) if fn else ""))
            emails.extend((n, str(e.value)) for e in card.contents.get("email", ()))
            phones.extend((n, str(t.value)) for t in card.contents.get("tel", ()))
    con.execute("BEGIN")
    con.executemany("INSERT INTO contacts(id, fn) VALUES (?, ?)", contacts)
    con.executemany("INSERT INTO emails(contact_id, value) VALUES (?, ?)", emails)
    con.executemany("INSERT INTO phones(contact_id, value) VALUES (?, ?)", phones)
    con.execute("COMMIT")
    con.close()
    seconds = time.perf_counter() - start
    print(json.dumps({"cards": len(contacts), "emails": len(emails), "phones": len(phones), "seconds": seconds,
                      "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
