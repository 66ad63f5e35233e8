"""netcrm: a networking-contact CRM for people who grow a business by meeting people.

Open a database and work with its collections::

    import netcrm
    with netcrm.open() as crm:                      # ~/.local/share/netcrm/netcrm.db
        ada = crm.contacts.add(netcrm.Contact("Ada Lovelace", emails=["ada@example.com"]))
        crm.contacts.add_note(ada, "Wants an intro to a hardware founder")
        print(crm.contacts.search("lovelace"))

The collections of a :class:`CRM` (each has ``add``/``get``/``find``/``update``/``remove``/``list``
where they make sense, ``len()``, iteration, ``crm.<collection>[id]`` and ``id in ...``):

- ``crm.contacts``: people (:class:`Contact`), full-text ``search``, ``merge``;
- ``crm.events``: meetups and conferences, their expenses and whom you ``met`` there;
- ``crm.interactions``: the log of conversations, calls, coffees (``log``, ``last``, ``not_heard_from``);
- ``crm.goals``: targets measured from the data (``add``, ``progress``, ``report``, ``history``, ``plot``);
- ``crm.follow_ups``: things to do by a due time, and the rules that make them (``schedule``, ``due``);
- ``crm.favors``: favours given and received, introductions, asks (``give``, ``receive``, ``owed``);
- ``crm.imports``: the batches of ``crm.import_file``/``crm.import_text`` (``undo``).

And on the CRM itself: ``crm.digest()`` (today's follow-ups, people going cold, goals at risk),
``crm.import_file(path)``, ``crm.export(path)``/``crm.restore(path)``, ``crm.time_zone``. Records
print readably, convert with ``to_dict()`` and compare by value; ``to_pandas()`` on the collections
gives DataFrames (pandas is optional). Every option is a keyword argument.

Errors are :class:`netcrm.Error` subclasses: :class:`InvalidInput` (also ``ValueError``),
:class:`NotFound` (also ``KeyError``), :class:`StorageError`, :class:`FileError` and
:class:`IncompatibleDatabase` (also ``OSError``)::

    try:
        crm.contacts.get(12345)
    except netcrm.NotFound as e:          # or KeyError
        print(e.kind, e.id)               # contact 12345
"""

from ._core import (
    Error,
    FileError,
    IncompatibleDatabase,
    InvalidInput,
    NotFound,
    ParseError,
    StorageError,
)
from ._core import SCHEMA_VERSION
from ._errors import install as _install_errors

_install_errors()

from .contact import Address, Contact, Contacts, LabeledValue, Name, Note, PartialDate, Property
from .crm import CRM, default_path, open
from .digest import Digest
from .favors import ASK_STATUSES, FAVOR_KINDS, FAVOR_STATUSES, Ask, Balance, Favor, Favors, Introduction
from .events import Attendance, Event, Events, Expense
from .follow_ups import (FOLLOW_UP_STATUSES, RULE_KINDS, STEP_UNITS, DueFollowUp, FollowUp, FollowUpChange,
                         FollowUps, Rule, Warmth)
from .goals import Goal, GoalProgress, GoalReport, Goals, MetricInfo, NetworkingReturn, Period, ProgressSample
from .importing import ImportBatch, ImportReport, Imports, Rejected, SuggestedDuplicate
from .interactions import INTERACTION_KINDS, Interaction, Interactions, LastInteraction, QuietContact

__version__ = "0.1.0"

__all__ = [
    "Digest",
    "DueFollowUp",
    "FOLLOW_UP_STATUSES",
    "FollowUp",
    "FollowUpChange",
    "FollowUps",
    "RULE_KINDS",
    "Rule",
    "STEP_UNITS",
    "Warmth",
    "ASK_STATUSES",
    "Ask",
    "Balance",
    "FAVOR_KINDS",
    "FAVOR_STATUSES",
    "Favor",
    "Favors",
    "Introduction",
    "CRM",
    "SCHEMA_VERSION",
    "Address",
    "Attendance",
    "Contact",
    "Contacts",
    "Error",
    "Event",
    "Events",
    "Expense",
    "FileError",
    "Goal",
    "GoalProgress",
    "GoalReport",
    "Goals",
    "MetricInfo",
    "NetworkingReturn",
    "Period",
    "ProgressSample",
    "ImportBatch",
    "ImportReport",
    "Imports",
    "IncompatibleDatabase",
    "INTERACTION_KINDS",
    "Interaction",
    "Interactions",
    "LastInteraction",
    "QuietContact",
    "InvalidInput",
    "LabeledValue",
    "Name",
    "Note",
    "NotFound",
    "ParseError",
    "PartialDate",
    "Rejected",
    "Property",
    "StorageError",
    "SuggestedDuplicate",
    "default_path",
    "open",
]
