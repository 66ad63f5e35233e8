#!/usr/bin/env python3
"""The morning follow-up routine: today's netcrm digest, printed or emailed.

Run by cron on weekday mornings, it prints the digest (cron mails what a job prints), or sends it
itself as a mail with a plain-text part and an HTML one:

    # crontab -e
    30 7 * * 1-5  python3 /path/to/examples/morning_follow_ups.py --mail-to me@example.com --smtp localhost

The digest lists the follow-ups due (the overdue first), those coming up this week, favours to say
thank you for, people going cold and goals at risk (see ``crm.digest()``). Keep-in-touch cadences
are brought up to date on the way. A day with nothing to do prints one line and sends no mail,
unless ``--always``.

Exit status: 0, 1 when the mail could not be sent, 2 for a wrong command line.
"""

from __future__ import annotations

import argparse
import smtplib
import sys
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import netcrm


def smtp_address(text: str) -> tuple[str, int]:
    """``HOST``, ``HOST:PORT`` or ``[IPv6]:PORT``; the port defaults to 25 (a local or relay MTA)."""
    host, sep, port = text.rpartition(":")
    if not sep or (":" in host and not host.endswith("]")):  # no port, or a bare IPv6 address
        host, port = text, "25"
    host = host.strip("[]")
    if not host or not port.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r}: expected HOST or HOST:PORT, e.g. smtp.example.com:25")
    return host, int(port)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    # None lets netcrm.open() use its default file and create the folder for it.
    parser.add_argument("--db", type=Path, default=None, metavar="PATH",
                        help=f"the database (default: {netcrm.default_path()})")
    parser.add_argument("--mail-to", metavar="ADDR", help="mail the digest to this address instead of printing it")
    parser.add_argument("--smtp", type=smtp_address, default=("localhost", 25), metavar="HOST[:PORT]",
                        help="the mail server to send through (default: localhost:25)")
    parser.add_argument("--from", dest="sender", metavar="ADDR", help="the sender (default: the --mail-to address)")
    parser.add_argument("--cold-days", type=int, default=90, metavar="N",
                        help="someone is going cold after N days without a word (default: 90)")
    parser.add_argument("--always", action="store_true", help="mail the digest even when there is nothing in it")
    args = parser.parse_args(argv)
    if args.sender and not args.mail_to:
        parser.error("--from needs --mail-to")
    return args


def subject(digest: netcrm.Digest) -> str:
    """``netcrm 2026-12-01: 3 follow-ups due (1 overdue), 2 coming up``: what matters, at a glance."""
    overdue = sum(1 for d in digest.due if d.overdue)
    bits = [f"{len(digest.due)} follow-up{'s' if len(digest.due) != 1 else ''} due"
            + (f" ({overdue} overdue)" if overdue else "")]
    if digest.upcoming:
        bits.append(f"{len(digest.upcoming)} coming up")
    if digest.thank:
        bits.append(f"{len(digest.thank)} to thank")
    if digest.goals_at_risk:
        bits.append(f"{len(digest.goals_at_risk)} goal{'s' if len(digest.goals_at_risk) != 1 else ''} at risk")
    return f"netcrm {digest.today.isoformat()}: " + ", ".join(bits)


def message(digest: netcrm.Digest, *, to: str, sender: str) -> EmailMessage:
    """The digest as a mail: the readable text, and the HTML a notebook shows as an alternative."""
    msg = EmailMessage()
    msg["Subject"] = subject(digest)
    msg["From"] = sender
    msg["To"] = to
    msg["Date"] = format_datetime(digest.as_of)  # aware UTC: "+0000", never the server's local time
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] if "@" in sender else None)
    msg.set_content(str(digest))
    msg.add_alternative(digest._repr_html_(), subtype="html")
    return msg


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    with netcrm.open(args.db) as crm:
        digest = crm.digest(cold_days=args.cold_days)

    if not args.mail_to:
        print(digest if digest else f"netcrm {digest.today.isoformat()}: nothing to follow up today")
        return 0
    if not digest and not args.always:
        print(f"netcrm {digest.today.isoformat()}: nothing to follow up today; no mail sent")
        return 0

    to: str = args.mail_to
    host, port = args.smtp
    msg = message(digest, to=to, sender=args.sender or to)
    try:
        # A provider that wants a login on port 587: smtp.starttls(); smtp.login(user, password) first.
        with smtplib.SMTP(host, port, timeout=30) as smtp:
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as e:  # refused, unreachable, a recipient rejected ...
        print(f"morning_follow_ups: could not mail the digest to {to} through {host}:{port}: {e}", file=sys.stderr)
        return 1
    print(f"Mailed to {to}: {msg['Subject']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
