"""netcrm: a networking-contact CRM for people who grow a business by meeting people.

Open a database and work with its collections::

    import netcrm
    with netcrm.open() as crm:                      # ~/.local/share/netcrm/netcrm.db
        ada = crm.contacts.add(netcrm.Contact("Ada Lovelace", emails=["ada@example.com"]))
        crm.contacts.add_note(ada, "Wants an intro to a hardware founder")
        print(crm.contacts.search("lovelace"))

Errors are :class:`netcrm.Error` subclasses: :class:`InvalidInput` (also ``ValueError``),
:class:`NotFound` (also ``KeyError``), :class:`StorageError`, :class:`FileError` and
:class:`IncompatibleDatabase` (also ``OSError``).
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
