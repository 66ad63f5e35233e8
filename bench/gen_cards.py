"""Writes a deterministic .vcf file of N cards shaped like what phones and address books export.

    gen_cards.py COUNT OUT.vcf

The same COUNT always gives the same bytes (one seeded random.Random, no clock, no hash order).
The mix, chosen to exercise every path of netcrm's import:

- vCard 2.1 (30 %), as Nokia, Sony Ericsson and Outlook write it: bare TYPE words (TEL;CELL;PREF),
  non-ASCII names and notes in QUOTED-PRINTABLE with CHARSET=UTF-8 or CHARSET=ISO-8859-1, notes with
  soft line breaks, X-IRMC-LUID.
- vCard 3.0 (45 %), as iOS and macOS Contacts write it: item1.EMAIL + item1.X-ABLabel groups,
  type=INTERNET;type=pref parameters, BDAY with X-APPLE-OMIT-YEAR, X-SOCIALPROFILE, PRODID, REV.
- vCard 4.0 (25 %), RFC 6350: KIND, TEL;VALUE=uri:tel:+1-..., BDAY:--MMDD, UID:urn:uuid:..., X- props.
- 1 to 3 emails, 1 to 3 phones (US numbers written nationally "(415) 555-0134" or as "+1 415-555-0134"
  or "+14155550134"; French, British, German and Indian numbers as +E.164 or formatted international),
  0 to 2 URLs, ORG/TITLE for most, NOTE for half (some long enough to be folded), CATEGORIES, X- props.
- About 1.5 % of cards carry a PHOTO of 2 to 6 KB in base64.
- About 6 % of cards are people seen earlier again (another version, one shared email with the
  domain in capitals, or one shared phone written another way): the import merges them. About 0.5 %
  are new people with the name and organization of an earlier one: suggested duplicates.
Lines are CRLF; 3.0 and 4.0 lines longer than 75 octets are folded at character boundaries.
"""

from __future__ import annotations

import base64
import sys
import unicodedata
import uuid

import random

GIVEN = ["Ada", "Hélène", "Zoë", "José", "François", "Omar", "Kenji", "Rahul", "Łukasz", "Søren", "Jürgen",
         "Chloé", "María", "Björn", "Priya", "Wei", "Fatima", "Noah", "Liam", "Emma", "Olivia", "Lucas",
         "Mia", "Sofia", "Mateo", "Aiko", "Ines", "Tomás", "Anaïs", "Élodie", "Grace", "Samuel", "Yuki",
         "Amara", "Leila", "Nils", "Oskar", "Clara", "Hugo", "Mathéo", "Ronan", "Siobhán", "Dmitri"]
FAMILY = ["Lovelace", "Lefèvre", "Martin", "García", "Müller", "Nakamura", "Iyer", "Haddad", "Kowalski",
          "Jørgensen", "Dubois", "Smith", "Johnson", "Brown", "Nguyen", "Rossi", "Fernández", "Schmidt",
          "O'Brien", "Silva", "Bernard", "Petit", "Moreau", "Fischer", "Weber", "Tanaka", "Suzuki", "Khan",
          "Sharma", "Cohen", "Novák", "Horváth", "Lindqvist", "Virtanen", "Popescu", "Yılmaz", "Ferreira"]
CJK = [("中村", "健二"), ("山田", "花子"), ("王", "伟"), ("李", "娜"), ("김", "민준")]
ORGS = ["Atelier Lefèvre", "Acme Corp", "Globex", "Initech", "Umbrella Labs", "Stark Industries", "Hooli",
        "Pied Piper", "Wayne Enterprises", "Soylent", "Cyberdyne", "Tyrell", "Wonka Industries", "Vandelay",
        "Massive Dynamic", "Aperture Science", "Black Mesa", "Oscorp", "Gringotts", "Monsters Inc",
        "Café Brûlé", "Société Générale de Design", "Nordisk Håndværk", "Müller & Söhne"]
TITLES = ["Founder", "CTO", "Product Designer", "Freelance developer", "Head of Sales", "Engineer",
          "Consultant", "Marketing lead", "Directrice artistique", "Investor", "Recruiter", "Student"]
DOMAINS = ["gmail.example", "outlook.example", "proton.example", "yahoo.example", "free.example"]
ORG_WORDS = ["Blue", "North", "Bright", "Little", "Open", "Quiet", "Red", "Silver", "Swift", "Wild", "Golden",
             "Iron", "Paper", "Copper", "Lunar", "Urban", "Green", "Clear", "Deep", "Happy", "Atlas", "Pixel",
             "Maple", "Harbor", "Summit", "Cedar", "Orbit", "Prism", "Velvet", "Zenith"]
ORG_NOUNS = ["Fox", "Studio", "Forge", "Works", "Lab", "Garden", "Bridge", "Signal", "Canvas", "Anchor", "Beacon",
             "Compass", "Harvest", "Lantern", "Meadow", "Pine", "River", "Stone", "Thread", "Wave", "Café", "Atelier",
             "Bureau", "Collective", "Kitchen", "Press", "Robotics", "Systems", "Ventures", "Design"]
ORG_SUFFIXES = ["", " Inc", " Ltd", " GmbH", " SAS", " & Co", " Labs", " Partners"]
CATEGORIES = ["potential-client", "design", "meetup", "investor", "friend", "conference", "paris", "remote",
              "hiring", "mentor", "cofounder", "press"]
NOTES = ["Met at the Paris Design Meetup", "Wants her booking site rebuilt before spring",
         "Introduced by Omar at the dinner", "Looking for a freelance iOS developer", "Follow up in March",
         "Runs a small studio; two people", "Interested in the newsletter", "Café near Bastille, great espresso",
         "Talked about pricing for maintenance contracts", "Knows everyone at the incubator",
         "Prefers email; answers on Fridays", "Speaker at the conference, talk on accessibility"]
US_AREAS = ["212", "213", "312", "415", "503", "512", "617", "646", "702", "718", "206", "303", "404", "305",
            "619"]


def strip_accents_ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("ø", "o").replace("ß", "ss"))
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower() or "x"


_ascii_cache: dict[str, str] = {}


def ascii_of(text: str) -> str:
    out = _ascii_cache.get(text)
    if out is None:
        out = _ascii_cache[text] = strip_accents_ascii(text)
    return out


def fold(line: str) -> list[str]:
    """RFC 6350 3.2: lines over 75 octets continue on lines starting with a space; never inside a character."""
    if len(line.encode()) <= 75:
        return [line]
    out: list[str] = []
    cur, size, limit = [], 0, 75
    for ch in line:
        n = len(ch.encode())
        if size + n > limit:
            out.append("".join(cur))
            cur, size, limit = [" "], 1, 75
        cur.append(ch)
        size += n
    out.append("".join(cur))
    return out


def qp(text: str, charset: str, soft_breaks: bool = False) -> str:
    """Quoted-printable as vCard 2.1 producers write it; soft line breaks ('=' CRLF) every ~70 chars."""
    data = text.replace("\n", "\r\n").encode(charset)
    out, line = [], 0
    for b in data:
        piece = chr(b) if 32 < b < 127 and b != 61 else f"={b:02X}"
        if soft_breaks and line + len(piece) > 70:
            out.append("=\r\n")
            line = 0
        out.append(piece)
        line += len(piece)
    return "".join(out)


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


class Person:
    __slots__ = ("i", "given", "family", "org", "title", "emails", "phones", "urls", "bday", "note", "tags",
                 "uid")


def us_number(n: int) -> tuple[str, str, str]:
    area = US_AREAS[n % len(US_AREAS)]
    rest = n // len(US_AREAS)
    exchange = f"{200 + rest // 10000:03d}"
    line = f"{rest % 10000:04d}"
    return area, exchange, line


def phone_text(rng: random.Random, n: int) -> tuple[str, str]:
    """A phone number unique to n, written the way people type it, and its kind."""
    kind = rng.choice(["cell", "work", "home", "cell", "cell"])
    r = rng.random()
    country = rng.random()
    if country < 0.60:
        a, e, l = us_number(n)
        if r < 0.30:
            return f"+1{a}{e}{l}", kind
        if r < 0.55:
            return f"+1 {a}-{e}-{l}", kind
        return rng.choice([f"({a}) {e}-{l}", f"{a}-{e}-{l}", f"{a}.{e}.{l}", f"({a}) {e} {l}"]), kind
    if country < 0.75:
        d = f"{n:08d}"
        return (f"+336{d}" if r < 0.5 else f"+33 6 {d[0:2]} {d[2:4]} {d[4:6]} {d[6:8]}"), kind
    if country < 0.85:
        d = f"{n:09d}"
        return (f"+447{d}" if r < 0.5 else f"+44 7{d[0:3]} {d[3:9]}"), kind
    if country < 0.95:
        d = f"{n:08d}"
        return (f"+49151{d}" if r < 0.5 else f"+49 151 {d}"), kind
    d = f"{n:09d}"
    return (f"+919{d}" if r < 0.5 else f"+91 9{d[0:4]} {d[4:9]}"), kind


def make_person(rng: random.Random, i: int) -> Person:
    p = Person()
    p.i = i
    if rng.random() < 0.02:
        p.family, p.given = rng.choice(CJK)
    else:
        p.given, p.family = rng.choice(GIVEN), rng.choice(FAMILY)
    if rng.random() < 0.8:
        p.org = (rng.choice(ORGS) if rng.random() < 0.1 else
                 f"{rng.choice(ORG_WORDS)} {rng.choice(ORG_NOUNS)}{rng.choice(ORG_SUFFIXES)}")
    else:
        p.org = ""
    p.title = rng.choice(TITLES) if p.org and rng.random() < 0.8 else ""
    g, f = ascii_of(p.given), ascii_of(p.family)
    org_domain = ascii_of(p.org.split()[0]) + ".example" if p.org else "home.example"
    emails = [(f"{g}.{f}.{i}@{org_domain}", "work"), (f"{g}{i}@{rng.choice(DOMAINS)}", "home"),
              (f"{f}.{g}.{i}@{rng.choice(DOMAINS)}", "other")]
    p.emails = emails[: rng.choice([1, 1, 2, 2, 3])]
    p.phones = [phone_text(rng, i * 4 + k) for k in range(rng.choice([1, 1, 2, 2, 3]))]
    urls = []
    if rng.random() < 0.4:
        urls.append((f"https://www.linkedin.com/in/{g}-{f}-{i}", "linkedin"))
    if rng.random() < 0.3:
        urls.append((f"https://{g}{f}{i}.example/", "home"))
    p.urls = urls
    p.bday = None
    if rng.random() < 0.4:
        p.bday = (rng.randint(1950, 2004) if rng.random() < 0.7 else None, rng.randint(1, 12), rng.randint(1, 28))
    p.note = None
    if rng.random() < 0.5:
        n = rng.choice(NOTES)
        if rng.random() < 0.4:  # long: folded in 3.0/4.0, soft-broken in 2.1
            n = n + "\n" + ". ".join(rng.sample(NOTES, 4)) + "."
        p.note = n
    p.tags = rng.sample(CATEGORIES, rng.choice([1, 2, 3])) if rng.random() < 0.4 else []
    p.uid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    return p


def photo(rng: random.Random) -> str:
    size = rng.randint(2000, 6000) * 3 // 4
    return base64.b64encode(b"\xff\xd8\xff\xe0" + rng.randbytes(size)).decode()


def card_21(rng: random.Random, p: Person, pic: str | None) -> list[str]:
    lines = ["BEGIN:VCARD", "VERSION:2.1"]
    name = f"{p.given} {p.family}"
    if (name + p.org).isascii():
        lines += [f"N:{p.family};{p.given};;;", f"FN:{name}"]
    else:
        try:
            (name + p.org).encode("iso-8859-1")
            cs = "ISO-8859-1" if rng.random() < 0.5 else "UTF-8"
        except UnicodeEncodeError:
            cs = "UTF-8"
        lines += [f"N;CHARSET={cs};ENCODING=QUOTED-PRINTABLE:{qp(p.family, cs)};{qp(p.given, cs)};;;",
                  f"FN;CHARSET={cs};ENCODING=QUOTED-PRINTABLE:{qp(name, cs)}"]
    for k, (number, kind) in enumerate(p.phones):
        words = {"cell": "CELL", "work": "WORK;VOICE", "home": "HOME;VOICE"}[kind]
        lines.append(f"TEL;{words}{';PREF' if k == 0 else ''}:{number}")
    for k, (email, kind) in enumerate(p.emails):
        lines.append(f"EMAIL;INTERNET{';' + kind.upper() if kind != 'other' else ''}{';PREF' if k == 0 else ''}:{email}")
    if p.org:
        if p.org.isascii():
            lines.append(f"ORG:{p.org}")
        else:
            lines.append(f"ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{qp(p.org, 'utf-8')}")
    if p.title:
        lines.append(f"TITLE:{p.title}")
    for url, _ in p.urls:
        lines.append(f"URL:{url}")
    if p.bday and p.bday[0]:
        y, m, d = p.bday
        lines.append(f"BDAY:{y:04d}{m:02d}{d:02d}" if rng.random() < 0.5 else f"BDAY:{y:04d}-{m:02d}-{d:02d}")
    if p.note:
        if p.note.isascii() and "\n" not in p.note:
            lines.append(f"NOTE:{p.note}")
        else:
            lines.append(f"NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{qp(p.note, 'utf-8', soft_breaks=True)}")
    if pic:
        lines.append("PHOTO;ENCODING=BASE64;TYPE=JPEG:")
        lines += [" " + pic[k:k + 76] for k in range(0, len(pic), 76)]
        lines.append("")
    lines.append(f"X-IRMC-LUID:{p.i % 65536:04X}")
    lines.append("END:VCARD")
    return lines


APPLE = {"work": "type=WORK", "home": "type=HOME", "cell": "type=CELL;type=VOICE", "other": "type=OTHER"}


def card_30(rng: random.Random, p: Person, pic: str | None) -> list[str]:
    lines = ["BEGIN:VCARD", "VERSION:3.0", "PRODID:-//Apple Inc.//iPhone OS 17.4//EN",
             f"N:{escape(p.family)};{escape(p.given)};;;", f"FN:{escape(p.given + ' ' + p.family)}"]
    if p.org:
        lines.append(f"ORG:{escape(p.org)};")
    if p.title:
        lines.append(f"TITLE:{escape(p.title)}")
    item = 0
    for k, (email, kind) in enumerate(p.emails):
        pref = ";type=pref" if k == 0 else ""
        if kind == "other":
            item += 1
            lines += [f"item{item}.EMAIL;type=INTERNET{pref}:{email}", f"item{item}.X-ABLabel:_$!<Other>!$_"]
        else:
            lines.append(f"EMAIL;type=INTERNET;{APPLE[kind]}{pref}:{email}")
    for k, (number, kind) in enumerate(p.phones):
        pref = ";type=pref" if k == 0 else ""
        if kind == "home" and rng.random() < 0.3:
            item += 1
            lines += [f"item{item}.TEL{pref}:{number}", f"item{item}.X-ABLabel:Studio"]
        else:
            lines.append(f"TEL;{APPLE[kind]}{pref}:{number}")
    for url, kind in p.urls:
        if kind == "linkedin":
            lines.append(f"X-SOCIALPROFILE;type=linkedin:{url}")
        else:
            item += 1
            lines += [f"item{item}.URL;type=pref:{url}", f"item{item}.X-ABLabel:_$!<HomePage>!$_"]
    if p.bday:
        y, m, d = p.bday
        if y:
            lines.append(f"BDAY:{y:04d}-{m:02d}-{d:02d}")
        else:
            lines.append(f"BDAY;X-APPLE-OMIT-YEAR=1604:1604-{m:02d}-{d:02d}")
    if p.note:
        lines.append(f"NOTE:{escape(p.note)}")
    if p.tags:
        lines.append("CATEGORIES:" + ",".join(p.tags))
    if pic:
        lines.append(f"PHOTO;ENCODING=b;TYPE=JPEG:{pic}")
    lines.append(f"UID:{p.uid.upper()}")
    lines.append("REV:2024-03-01T10:20:30Z")
    lines.append("END:VCARD")
    return lines


def card_40(rng: random.Random, p: Person, pic: str | None) -> list[str]:
    lines = ["BEGIN:VCARD", "VERSION:4.0", "KIND:individual", f"FN:{escape(p.given + ' ' + p.family)}",
             f"N:{escape(p.family)};{escape(p.given)};;;"]
    for k, (email, kind) in enumerate(p.emails):
        lines.append(f"EMAIL;TYPE={kind}{';PREF=1' if k == 0 else ''}:{email}")
    for number, kind in p.phones:
        if number.startswith("+") and rng.random() < 0.5:
            uri = "tel:" + number.replace(" ", "-")
            kinds = '"cell,voice"' if kind == "cell" else f"{kind},voice"
            lines.append(f"TEL;VALUE=uri;TYPE={kinds}:{uri}")
        else:
            lines.append(f"TEL;TYPE={kind}:{number}")
    for url, kind in p.urls:
        lines.append(f"URL;TYPE={kind}:{url}")
    if p.org:
        lines.append(f"ORG:{escape(p.org)}")
    if p.title:
        lines.append(f"TITLE:{escape(p.title)}")
    if p.bday:
        y, m, d = p.bday
        lines.append(f"BDAY:{y:04d}{m:02d}{d:02d}" if y else f"BDAY:--{m:02d}{d:02d}")
    if p.note:
        lines.append(f"NOTE:{escape(p.note)}")
    if p.tags:
        lines.append("CATEGORIES:" + ",".join(escape(t) for t in p.tags))
    if pic:
        lines.append(f"PHOTO:data:image/jpeg;base64,{pic}")
    lines.append(f"X-MASTODON:@{ascii_of(p.given)}{p.i}@mastodon.example")
    lines.append(f"UID:urn:uuid:{p.uid}")
    lines.append("END:VCARD")
    return lines


def again(rng: random.Random, old: Person, i: int) -> Person:
    """The same person seen again, with one email or one phone in common and something new."""
    p = Person()
    p.i, p.given, p.family, p.org = old.i, old.given, old.family, old.org
    p.title = rng.choice(TITLES) if rng.random() < 0.3 else old.title
    if rng.random() < 0.6:
        local, domain = old.emails[0][0].split("@")
        p.emails = [(f"{local}@{domain.upper()}", old.emails[0][1])]
        p.phones = [phone_text(rng, 4_000_000_000 + i)] if rng.random() < 0.5 else []
    else:
        number = old.phones[0][0]
        digits = "".join(c for c in number if c.isdigit())
        # The other way of writing it: E.164 for a national or formatted number, formatted for E.164.
        if number.startswith("+") and not any(c in number for c in " -"):
            number = "+" + digits[:2] + " " + digits[2:]
        else:
            number = "+" + digits if number.startswith("+") else "+1" + digits
        p.phones = [(number, old.phones[0][1])]
        p.emails = [(f"new.{i}@{DOMAINS[i % len(DOMAINS)]}", "home")]
    p.urls = []
    p.bday = old.bday
    p.note = "Seen again at the conference" if rng.random() < 0.5 else None
    p.tags = ["conference"]
    p.uid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    return p


def generate(count: int, out) -> None:
    rng = random.Random(20261008)
    people: list[Person] = []
    writers = (card_21, card_30, card_40)
    weights = (30, 45, 25)
    buf: list[str] = []
    for i in range(count):
        r = rng.random()
        if people and r < 0.06:
            p = again(rng, people[rng.randrange(len(people))], i)
        elif people and r < 0.065:
            old = people[rng.randrange(len(people))]
            p = make_person(rng, i)
            p.given, p.family, p.org = old.given, old.family, old.org or rng.choice(ORGS)
        else:
            p = make_person(rng, i)
            # Keep a bounded sample of earlier people to repeat (memory stays flat for 1M cards).
            if len(people) < 50_000:
                people.append(p)
            else:
                people[rng.randrange(len(people))] = p
        pic = photo(rng) if rng.random() < 0.015 else None
        write = rng.choices(writers, weights)[0]
        lines = write(rng, p, pic)
        if write is not card_21:
            lines = [piece for line in lines for piece in fold(line)]
        buf.append("\r\n".join(lines))
        buf.append("\r\n")
        if len(buf) >= 2000:
            out.write("".join(buf).encode())
            buf.clear()
    out.write("".join(buf).encode())


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    count = int(sys.argv[1])
    with open(sys.argv[2], "wb") as out:
        generate(count, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
