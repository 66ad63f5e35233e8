"""Contacts as plain Python objects, and the ``crm.contacts`` collection.

A :class:`Contact` is a dataclass: build one, pass it to ``crm.contacts.add``, change its
attributes, hand it back to ``crm.contacts.update``. Nothing is written until you do.
"""

from __future__ import annotations

import builtins
import dataclasses
import datetime as _dt
import json
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Union

from . import _refs
from ._refs import paged, record_id
from ._core import InvalidInput

if TYPE_CHECKING:
    import pandas  # type: ignore[import]  # optional, and without type stubs on Debian
    from matplotlib.axes import Axes  # type: ignore[import]

    from . import _core

__all__ = [
    "Address",
    "Property",
    "Contact",
    "Contacts",
    "LabeledValue",
    "Name",
    "Note",
    "PartialDate",
]


@dataclass(frozen=True)
class PartialDate:
    """A calendar date whose year may be unknown, as birthdays on cards often are.

    >>> PartialDate(4, 15)
    PartialDate(month=4, day=15, year=None)
    >>> str(PartialDate(4, 15)), str(PartialDate(4, 15, 1985))
    ('--04-15', '1985-04-15')

    A birthday with a known year is stored and returned as a plain :class:`datetime.date`.
    """

    month: int
    day: int
    year: int | None = None

    def __post_init__(self) -> None:
        from . import _core

        text = f"{self.year:04d}-{self.month:02d}-{self.day:02d}" if self.year is not None else f"--{self.month:02d}-{self.day:02d}"
        _core.parse_partial_date(text)  # raises InvalidInput for Feb 30 and friends

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Reads ``--04-15``, ``--0415``, ``1985-04-15`` or ``19850415``."""
        from . import _core

        if not isinstance(text, str):
            raise TypeError(f"a partial date is read from a str such as '--04-15', not {type(text).__name__}")
        if not text.isascii():
            raise InvalidInput(f"{text!r} is not a date: expected e.g. --04-15, --0415, 1985-04-15 or 19850415")
        year, month, day = _core.parse_partial_date(text)
        return cls(month, day, year)

    def to_date(self, year: int | None = None) -> _dt.date:
        """The date in ``year`` (or its own year); Feb 29 falls on Feb 28 in common years."""
        y = self.year if year is None else year
        if y is None:
            raise InvalidInput("this date has no year: pass one, e.g. to_date(2027)")
        day = self.day
        if self.month == 2 and day == 29 and not (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)):
            day = 28
        return _dt.date(y, self.month, day)

    def __str__(self) -> str:
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


Birthday = Union[_dt.date, PartialDate]


@dataclass
class Name:
    """The parts of a person's name, in vCard's order.

    >>> str(Name(given="Ada", family="Lovelace", prefix="Countess"))
    'Countess Ada Lovelace'
    """

    given: str = ""
    family: str = ""
    additional: str = ""
    prefix: str = ""
    suffix: str = ""

    def __str__(self) -> str:
        return " ".join(p for p in (self.prefix, self.given, self.additional, self.family, self.suffix) if p)


@dataclass
class LabeledValue:
    """An email address, phone number, URL or IM handle, with a label such as ``"work"`` or
    ``"linkedin"`` (for an IM handle, its service: ``"skype"``, ``"xmpp"`` ...).

    Anywhere a list of these is expected, a plain ``str`` or a ``(value, kind)`` tuple also works.

    >>> str(LabeledValue("ada@example.com", "work"))
    'ada@example.com (work)'

    ``e164`` is set on the phones of a contact the store returns: the number in E.164
    (``"+33612345678"``) when libphonenumber can place it, read with the country of the contact's
    first address that is an ISO code (``"FR"``) or else the store's ``default_region``; ``""``
    otherwise. The store derives it from ``value`` at every write, so it is not compared and what
    you set is ignored.
    """

    value: str
    kind: str = ""
    e164: str = field(default="", compare=False, repr=False)

    def __str__(self) -> str:
        return f"{self.value} ({self.kind})" if self.kind else self.value


@dataclass
class Address:
    """A postal address; ``kind`` is its label (``"work"``, ``"home"`` ...).

    >>> str(Address(street="10 rue de Rivoli", postal_code="75004", locality="Paris", country="France"))
    '10 rue de Rivoli, 75004 Paris, France'
    """

    street: str = ""
    locality: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""
    kind: str = ""
    po_box: str = ""
    extended: str = ""

    def __str__(self) -> str:
        parts = [self.po_box, self.extended, self.street, " ".join(p for p in (self.postal_code, self.locality) if p),
                 self.region, self.country]
        return ", ".join(p for p in parts if p)


@dataclass
class Note:
    """Something you learnt about the person, and when: what they said, need, care about.

    ``at`` is an aware :class:`datetime.datetime`; left as ``None`` it becomes the time of saving.

    >>> str(Note("Needs a designer", datetime.datetime(2026, 3, 2, 18, 30, tzinfo=datetime.timezone.utc)))
    '[2026-03-02 18:30 UTC] Needs a designer'
    """

    text: str
    at: _dt.datetime | None = None

    def __str__(self) -> str:
        when = self.at.astimezone(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC") if self.at else "unsaved"
        return f"[{when}] {self.text}"


@dataclass
class Property:
    """Something a card carried that no contact field holds: a vCard ``UID``, ``X-`` property,
    ``PHOTO`` ... kept as read so nothing is lost and exports can write it back.

    ``parameters`` are ``(name, values)`` pairs, e.g. ``[("TYPE", ["work"])]``.

    >>> Property("X-TWITTER", "@ada", parameters=[("TYPE", ["work"])])
    Property(name='X-TWITTER', value='@ada', group='', parameters=[('TYPE', ['work'])])
    """

    name: str
    value: str
    group: str = ""
    parameters: list[tuple[str, list[str]]] = field(default_factory=list)


def _property(x: object, i: int) -> Property:
    if not isinstance(x, Property):
        raise TypeError(f"extra[{i}] must be a netcrm.Property, not {type(x).__name__}")
    return x


def _note(x: object, i: int) -> Note:
    if isinstance(x, str):
        return Note(x)
    if not isinstance(x, Note):
        raise TypeError(f"notes[{i}] must be a netcrm.Note or a str, not {type(x).__name__}")
    return x


def _labeled(values: Iterable[LabeledValue | str | tuple[str, str]], what: str) -> list[LabeledValue]:
    out = []
    if isinstance(values, str):
        raise TypeError(f"{what} must be a list, e.g. [{values!r}], not a single str")
    for v in values:
        if isinstance(v, LabeledValue):
            out.append(v)
        elif isinstance(v, str):
            out.append(LabeledValue(v))
        elif isinstance(v, tuple) and len(v) == 2:
            out.append(LabeledValue(v[0], v[1]))
        else:
            raise TypeError(f"{what} items must be str, (value, kind) or LabeledValue, not {type(v).__name__}")
    return out


ChannelInput = Union[LabeledValue, str, "tuple[str, str]"]


@dataclass(init=False, eq=True)
class Contact:
    """A person you met. Only ``display_name`` is needed, or else something to make it from: a name,
    organization, email, phone, IM handle, URL, address or photo (see the README's "Contacts").
    Blanks at the ends of text fields are stripped when the contact is stored.

    >>> c = Contact("Hélène Lefèvre", organization="Atelier L", emails=["helene@atelier.fr"],
    ...             tags=["potential-client"])
    >>> c.emails
    [LabeledValue(value='helene@atelier.fr', kind='')]

    ``emails``, ``phones``, ``urls`` and ``ims`` accept plain ``str`` and ``(value, kind)`` tuples and
    hold :class:`LabeledValue` items; ``notes`` accepts ``str`` and holds :class:`Note` items.
    ``ims`` are instant-messaging handles with their service as kind (``("ada.l", "skype")``); a
    handle without a kind must be a URI such as ``"xmpp:ada@example.org"``, whose scheme names the
    service. ``id``, ``created_at`` and ``updated_at`` are set by the store, and so is a ``UID``
    among ``extra`` when the contact has none (every vCard export carries it).
    """

    display_name: str
    name: Name
    organization: str
    title: str
    emails: list[LabeledValue]
    phones: list[LabeledValue]
    urls: list[LabeledValue]
    ims: list[LabeledValue]
    addresses: list[Address]
    tags: list[str]
    birthday: Birthday | None
    notes: list[Note]
    how_met: str
    introduced_by: int | None
    source: str
    extra: list[Property]
    id: int | None
    created_at: _dt.datetime | None
    updated_at: _dt.datetime | None

    def __init__(
        self,
        display_name: str = "",
        name: Name | None = None,
        organization: str = "",
        title: str = "",
        emails: Iterable[ChannelInput] = (),
        phones: Iterable[ChannelInput] = (),
        urls: Iterable[ChannelInput] = (),
        addresses: Iterable[Address] = (),
        tags: Iterable[str] = (),
        birthday: Birthday | None = None,
        notes: Iterable[Note | str] = (),
        how_met: str = "",
        introduced_by: int | None = None,
        source: str = "",
        extra: Iterable[Property] = (),
        id: int | None = None,
        created_at: _dt.datetime | None = None,
        updated_at: _dt.datetime | None = None,
        ims: Iterable[ChannelInput] = (),
    ) -> None:
        if isinstance(name, str):
            raise TypeError("name holds the parts of a name (Name(given=..., family=...)); "
                            "put the full name in display_name")
        if isinstance(tags, str):
            raise TypeError(f"tags must be a list, e.g. [{tags!r}], not a single str")
        if isinstance(notes, str):
            raise TypeError(f"notes must be a list, e.g. [{notes!r}], not a single str")
        self.display_name = display_name
        self.name = Name() if name is None else name
        self.organization = organization
        self.title = title
        self.emails = _labeled(emails, "emails")
        self.phones = _labeled(phones, "phones")
        self.urls = _labeled(urls, "urls")
        self.ims = _labeled(ims, "ims")
        self.addresses = builtins.list(addresses)
        self.tags = builtins.list(tags)
        self.birthday = birthday
        self.notes = [Note(n) if isinstance(n, str) else n for n in notes]
        self.how_met = how_met
        self.introduced_by = introduced_by
        self.source = source
        self.extra = builtins.list(extra)
        self.id = id
        self.created_at = created_at
        self.updated_at = updated_at

    def __repr__(self) -> str:
        bits = [f"id={self.id}" if self.id is not None else "unsaved", repr(self.display_name)]
        if self.organization:
            bits.append(f"organization={self.organization!r}")
        if self.emails:
            bits.append(f"emails={[e.value for e in self.emails]!r}")
        if self.tags:
            bits.append(f"tags={self.tags!r}")
        return f"Contact({', '.join(bits)})"

    def __str__(self) -> str:
        lines = self._card_lines()
        lines.extend("  " + str(n).replace("\n", "\n    ") for n in self.notes)
        return "\n".join(lines)

    def _card_lines(self) -> list[str]:
        # The printed card without its notes: str() and the command line's `contacts show` share it.
        lines = [self.display_name + (f" (#{self.id})" if self.id is not None else "")]
        role = " at ".join(p for p in (self.title, self.organization) if p)
        if role:
            lines.append("  " + role)
        for label, values in (("email", self.emails), ("phone", self.phones), ("url", self.urls), ("im", self.ims)):
            lines.extend(f"  {label}: {v}" for v in values)
        lines.extend(f"  address: {a}" for a in self.addresses)
        if self.birthday is not None:
            lines.append(f"  birthday: {self.birthday}")
        if self.tags:
            lines.append("  tags: " + ", ".join(self.tags))
        if self.how_met:
            lines.append(f"  met: {self.how_met}")
        return lines

    def _repr_html_(self) -> str:
        """Jupyter shows the contact as a small table (every value escaped)."""
        from . import _html

        return _html.contact(self)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: emails, phones, URLs and IM handles as ``{"value", "kind"}`` dicts
        (phones with their ``"e164"`` too), the birthday
        as :class:`PartialDate` writes it (``"1985-04-15"`` or ``"--04-15"``), instants in ISO 8601.

        >>> Contact("Ada Lovelace", emails=[("ada@example.com", "work")]).to_dict()["emails"]
        [{'value': 'ada@example.com', 'kind': 'work'}]
        """
        def iso(t: _dt.datetime | None) -> str | None:
            return None if t is None else t.isoformat()

        def channels(values: Iterable[LabeledValue]) -> builtins.list[dict[str, str]]:
            return [{"value": v.value, "kind": v.kind} for v in values]

        def phones(values: Iterable[LabeledValue]) -> builtins.list[dict[str, str]]:
            return [{"value": v.value, "kind": v.kind, "e164": v.e164} for v in values]

        notes = [Note(n) if isinstance(n, str) else n for n in self.notes]
        return {"id": self.id, "display_name": self.display_name, "name": dataclasses.asdict(self.name),
                "organization": self.organization, "title": self.title,
                "emails": channels(_labeled(self.emails, "emails")),
                "phones": phones(_labeled(self.phones, "phones")),
                "urls": channels(_labeled(self.urls, "urls")),
                "ims": channels(_labeled(self.ims, "ims")),
                "addresses": [dataclasses.asdict(a) for a in self.addresses], "tags": builtins.list(self.tags),
                "birthday": None if self.birthday is None else str(self.birthday),
                "notes": [{"text": n.text, "at": iso(n.at)} for n in notes], "how_met": self.how_met,
                "introduced_by": self.introduced_by, "source": self.source,
                "extra": [{"name": p.name, "value": p.value, "group": p.group,
                           "parameters": [[n, builtins.list(v)] for n, v in p.parameters]} for p in self.extra],
                "created_at": iso(self.created_at), "updated_at": iso(self.updated_at)}

    # -- crossing to and from the C++ core --------------------------------------------------

    def _to_core(self) -> dict[str, Any]:
        b = self.birthday
        birthday: tuple[int | None, int, int] | None
        if b is None:
            birthday = None
        elif isinstance(b, PartialDate):
            birthday = (b.year, b.month, b.day)
        elif isinstance(b, _dt.date) and not isinstance(b, _dt.datetime):
            birthday = (b.year, b.month, b.day)
        else:
            raise TypeError(f"birthday must be a datetime.date or netcrm.PartialDate, not {type(b).__name__}")
        return {
            "id": self.id,
            "display_name": self.display_name,
            "name": dataclasses.asdict(self.name),
            "organization": self.organization,
            "title": self.title,
            "emails": [(v.value, v.kind) for v in _labeled(self.emails, "emails")],
            "phones": [(v.value, v.kind) for v in _labeled(self.phones, "phones")],
            "urls": [(v.value, v.kind) for v in _labeled(self.urls, "urls")],
            "ims": [(v.value, v.kind) for v in _labeled(self.ims, "ims")],
            "addresses": [dataclasses.asdict(a) for a in self.addresses],
            "tags": list(self.tags),
            "birthday": birthday,
            "notes": [(n.at, n.text) for n in (_note(x, i) for i, x in enumerate(self.notes))],
            "how_met": self.how_met,
            "introduced_by": None if self.introduced_by is None else record_id(
                self.introduced_by, "contact", Contact, field="introduced_by"),
            "source": self.source,
            "extra": [(p.group, p.name, [(n, builtins.list(v)) for n, v in p.parameters], p.value)
                      for p in (_property(x, i) for i, x in enumerate(self.extra))],
        }

    @classmethod
    def _from_core(cls, d: dict[str, Any]) -> Contact:
        year, month, day = d["birthday"] if d["birthday"] is not None else (None, 0, 0)
        birthday: Birthday | None = None
        if d["birthday"] is not None:
            birthday = _dt.date(year, month, day) if year is not None else PartialDate(month, day)
        return cls(
            id=d["id"],
            display_name=d["display_name"],
            name=Name(**d["name"]),
            organization=d["organization"],
            title=d["title"],
            emails=[LabeledValue(v, k) for v, k in d["emails"]],
            phones=[LabeledValue(v, k, e) for v, k, e in d["phones"]],
            urls=[LabeledValue(v, k) for v, k in d["urls"]],
            ims=[LabeledValue(v, k) for v, k in d["ims"]],
            addresses=[Address(**a) for a in d["addresses"]],
            tags=list(d["tags"]),
            birthday=birthday,
            notes=[Note(text, at) for at, text in d["notes"]],
            how_met=d["how_met"],
            introduced_by=d["introduced_by"],
            source=d["source"],
            extra=[Property(name, value, group, [(n, builtins.list(v)) for n, v in params])
                   for group, name, params, value in d["extra"]],
            created_at=d["created_at"],
            updated_at=d["updated_at"],
        )


ContactRef = Union[int, Contact]


def _id(ref: ContactRef) -> int:
    return record_id(ref, "contact", Contact)


class Contacts:
    """The contacts of an open database: ``crm.contacts``.

    >>> ada = crm.contacts.add(Contact("Ada Lovelace", emails=["ada@example.com"]))  # doctest: +SKIP
    >>> crm.contacts.search("lovelace")                                              # doctest: +SKIP
    [Contact(id=1, 'Ada Lovelace', emails=['ada@example.com'])]

    ``len(crm.contacts)``, ``for c in crm.contacts``, ``crm.contacts[id]`` and ``id in crm.contacts``
    work as on a dict keyed by id.
    """

    def __init__(self, core: _core.Store) -> None:
        self._core = core

    def add(self, contact: Contact | None = None, /, **fields: Any) -> Contact:
        """Saves a new contact and returns it as stored (with ``id`` and times).

        Pass a :class:`Contact`, or its fields as keywords: ``add(display_name="Ada", tags=["vip"])``.
        Raises :class:`netcrm.InvalidInput` when the contact breaks a rule.

        >>> ada = crm.contacts.add(display_name="Ada Lovelace", tags=["math"])   # doctest: +SKIP
        >>> ada.id                                                               # doctest: +SKIP
        1
        """
        if contact is None:
            contact = Contact(**fields)
        elif fields:
            contact = dataclasses.replace(contact, **fields)
        return Contact._from_core(self._core.contact_add(contact._to_core()))

    def get(self, contact: ContactRef) -> Contact:
        """The stored contact with this id; raises :class:`netcrm.NotFound` if there is none.

        >>> crm.contacts.get(1).display_name                                # doctest: +SKIP
        'Ada Lovelace'
        """
        return Contact._from_core(self._core.contact_get(_id(contact)))

    def find(self, contact: ContactRef) -> Contact | None:
        """Like :meth:`get`, but ``None`` when there is no such contact.

        >>> crm.contacts.find(12345) is None                                # doctest: +SKIP
        True
        """
        d = self._core.contact_find(_id(contact))
        return None if d is None else Contact._from_core(d)

    def update(self, contact: Contact, /, **fields: Any) -> Contact:
        """Saves the changes to a stored contact (all its fields) and returns it as stored.

        ``update(c, title="CTO")`` changes just that field of ``c`` first.

        >>> ada.tags.append("vip")                                          # doctest: +SKIP
        >>> ada = crm.contacts.update(ada, title="CTO")                     # doctest: +SKIP
        """
        if not isinstance(contact, Contact):
            raise TypeError(f"update takes the stored Contact (get it first), not {type(contact).__name__}")
        if fields:
            contact = dataclasses.replace(contact, **fields)
        _id(contact)
        return Contact._from_core(self._core.contact_update(contact._to_core()))

    def remove(self, contact: ContactRef) -> None:
        """Deletes the contact with its notes; raises :class:`netcrm.NotFound` if there is none.
        (Named as on every other collection: ``crm.events.remove``, ``crm.goals.remove`` ...)

        >>> crm.contacts.remove(ada)                                        # doctest: +SKIP
        """
        self._core.contact_remove(_id(contact))

    def delete(self, contact: ContactRef) -> None:
        """Deprecated name of :meth:`remove` (emits ``DeprecationWarning``).

        >>> crm.contacts.delete(ada)                                        # doctest: +SKIP
        """
        warnings.warn("crm.contacts.delete() is deprecated: use crm.contacts.remove(), as on the other "
                      "collections", DeprecationWarning, stacklevel=2)
        self.remove(contact)

    def add_note(self, contact: ContactRef, text: str, *, at: _dt.datetime | None = None) -> Contact:
        """Appends a timestamped note (``at`` defaults to now) and returns the updated contact.

        >>> ada = crm.contacts.add_note(ada, "Wants an intro to a hardware founder")   # doctest: +SKIP
        """
        return Contact._from_core(self._core.contact_add_note(_id(contact), text, at))

    def list(self, *, tag: str | None = None, organization: str | None = None, limit: int | None = None,
             offset: int = 0) -> builtins.list[Contact]:
        """Contacts in name order, optionally only those with a tag or at an organization.

        >>> crm.contacts.list(tag="vip", limit=10)                          # doctest: +SKIP
        [Contact(id=1, 'Ada Lovelace', tags=['math', 'vip'])]
        """
        n, offset = _refs.limit(limit), _refs.whole(offset, "offset")
        if n == 0:
            return []
        return [Contact._from_core(d) for d in self._core.contact_list(tag, organization, n or 0, offset)]

    def count(self, *, tag: str | None = None, organization: str | None = None) -> int:
        """How many contacts match the same filters as :meth:`list`.

        >>> crm.contacts.count(organization="Atelier L")                    # doctest: +SKIP
        2
        """
        return self._core.contact_count(tag, organization)

    def tags(self) -> dict[str, int]:
        """Every tag in use, with how many contacts carry it.

        >>> crm.contacts.tags()                                             # doctest: +SKIP
        {'math': 1, 'vip': 1}
        """
        return dict(self._core.contact_tags())

    def search(self, query: str, *, limit: int = 100) -> builtins.list[Contact]:
        """Full-text search over names, emails, phones, organization, title, tags and notes.

        Every word must match the start of a word; case and accents are ignored, so
        ``search("helene")`` finds "Hélène". Best matches first.

        >>> crm.contacts.search("helene atel", limit=5)                     # doctest: +SKIP
        [Contact(id=4, 'Hélène Lefèvre', organization='Atelier L', ...)]
        """
        if _refs.whole(limit, "limit") == 0:
            return []
        return [Contact._from_core(d) for d in self._core.contact_search(query, limit)]

    def merge(self, survivor: ContactRef, other: ContactRef) -> Contact:
        """Merges ``other`` into ``survivor`` and deletes ``other``; returns the survivor.

        Nothing is lost: emails, phones, URLs, addresses, tags and notes are united, empty fields
        are filled from ``other``, fields that differ are recorded in a note, and whatever pointed at
        ``other`` now points at the survivor. :meth:`merge_history` keeps ``other`` as it was.

        >>> ada = crm.contacts.merge(ada, ada_twice)                        # doctest: +SKIP
        """
        return Contact._from_core(self._core.contact_merge(_id(survivor), _id(other)))

    def merge_history(self, contact: ContactRef) -> builtins.list[dict[str, Any]]:
        """The contacts merged into this one, each as it was just before its merge (plain dicts).

        >>> [d["display_name"] for d in crm.contacts.merge_history(ada)]     # doctest: +SKIP
        ['Ada King']
        """
        return [json.loads(s) for s in self._core.contact_merge_history(_id(contact))]

    def __getitem__(self, contact: int) -> Contact:
        return self.get(contact)

    def __contains__(self, contact: object) -> bool:
        if isinstance(contact, Contact):
            return contact.id is not None and self._core.contact_contains(contact.id)
        if isinstance(contact, int) and not isinstance(contact, bool):
            return self._core.contact_contains(contact)
        return False

    def __iter__(self) -> Iterator[Contact]:
        # Pages, so a large address book is not loaded into memory at once.
        return paged(lambda limit, offset: self._core.contact_list(None, None, limit, offset), Contact._from_core)

    def __len__(self) -> int:
        return self.count()

    def __repr__(self) -> str:
        return f"<netcrm.Contacts: {len(self)} contacts>"

    def _repr_html_(self) -> str:
        """Jupyter shows how many contacts there are and a table of the first 20 by name."""
        from . import _html

        return _html.contacts(self.list(limit=_html.CONTACTS_SHOWN), len(self))

    def to_pandas(self, *, tag: str | None = None, organization: str | None = None) -> pandas.DataFrame:
        """The contacts (those with ``tag`` or at ``organization``, as :meth:`list` filters) as a
        pandas DataFrame, one row per contact in name order, indexed by ``id``. Needs pandas
        (``apt install python3-pandas``); raises ``ImportError`` saying so when it is missing.

        Columns: ``display_name``, ``organization``, ``title``, ``how_met``, ``source`` (``string``);
        ``emails``, ``phones``, ``urls``, ``tags`` (Python lists of the values, labels dropped:
        ``df.explode("tags")`` gives one row per tag); ``birthday`` (``string``: ``"1985-04-15"``,
        or ``"--04-15"`` when the year is unknown, as :class:`PartialDate` writes it; ``<NA>`` when
        none); ``introduced_by`` and ``first_met_event`` (``Int64``, nullable); ``first_met`` (the
        first meeting at an event), ``created_at`` and ``updated_at`` (``datetime64[ns, UTC]``).

        >>> df = crm.contacts.to_pandas()                                      # doctest: +SKIP
        >>> df.explode("tags").groupby("tags").size()                          # doctest: +SKIP
        """
        from ._analysis import contacts_frame

        return contacts_frame(self._core, tag, organization)

    def plot_growth(self, *, every: str = "month", ax: Axes | None = None) -> Axes:
        """Plots how your network grew: the cumulative number of contacts at the end of each
        ``"day"``, ``"week"`` (ending Sunday) or ``"month"`` of your calendar (``crm.time_zone``),
        up to now. A contact counts from when you first met them at an event, else from when it was
        added (the rule of the ``new_contacts`` goal metric), so the cards of an old address book
        imported today do not all look new, and a card imported after a meetup counts from the
        meetup. Draws on ``ax`` (a new figure when ``None``) and returns it; never shows it. Needs
        matplotlib (``apt install python3-matplotlib``).

        >>> ax = crm.contacts.plot_growth(every="week")                        # doctest: +SKIP
        >>> ax.figure.savefig("network.png")                                   # doctest: +SKIP
        """
        from ._analysis import plot_growth

        return plot_growth(self._core, every, ax)


