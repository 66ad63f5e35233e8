"""Importing cards: :meth:`CRM.import_file`, :meth:`CRM.import_text` and ``crm.imports``.

Every import is a batch: it lands whole or not at all, says what it added, merged, skipped and
rejected (with file and line), and can be undone in one call.
"""

from __future__ import annotations

import builtins
import datetime as _dt
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Literal, Mapping, Protocol, Union

from ._refs import record_id
from ._core import InvalidInput

if TYPE_CHECKING:
    from . import _core

__all__ = ["MAX_LISTED_REJECTED", "ImportBatch", "ImportReport", "Imports", "Rejected", "SuggestedDuplicate"]

#: How many rejected records an import lists with their file, line and reason (in its report and in
#: the database); the ones after them are only counted (:attr:`ImportReport.more_rejected`).
MAX_LISTED_REJECTED = 1000

OnDuplicate = Literal["merge", "skip", "create"]


class _ProgressBar(Protocol):
    """What netcrm uses of a tqdm bar: ``total``, ``n`` and ``update``."""

    total: Any
    n: Any

    def update(self, n: int = ...) -> Any: ...


Progress = Union[Callable[[int, int], object], _ProgressBar]


@dataclass(frozen=True)
class Rejected:
    """A record that was not imported, and why (``column`` 0 when unknown).

    >>> str(Rejected("cards.vcf", 12, 0, "END:VCARD missing"))
    'cards.vcf:12: END:VCARD missing'
    """

    source: str
    line: int
    column: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``{"source", "line", "column", "reason"}``."""
        return {"source": self.source, "line": self.line, "column": self.column, "reason": self.reason}

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" + (f":{self.column}" if self.column else "")
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class SuggestedDuplicate:
    """Two contacts that may be the same person; netcrm did not merge them. Merge with
    ``crm.contacts.merge(existing, contact)`` if they are.

    >>> print(SuggestedDuplicate(8, 3, "same name at the same organization", "cards.vcf", 40))
    contact 8 may be contact 3: same name at the same organization (cards.vcf line 40)
    """

    contact: int
    existing: int
    reason: str
    source: str
    line: int

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``{"contact", "existing", "reason", "source", "line"}``."""
        return {"contact": self.contact, "existing": self.existing, "reason": self.reason, "source": self.source,
                "line": self.line}

    def __str__(self) -> str:
        return f"contact {self.contact} may be contact {self.existing}: {self.reason} ({self.source} line {self.line})"


@dataclass(frozen=True)
class ImportReport:
    """What an import did. ``print(report)`` gives a summary a person can read.

    >>> print(crm.import_file("cards.vcf", tags=["conf-2026"]))                # doctest: +SKIP
    Import 1 of cards.vcf (vcard): 12 read, 11 added, 1 merged, 0 skipped, 0 rejected
    """

    batch: int
    source: str
    format: str
    read: int
    added: int
    merged: int
    skipped: int
    suggested: list[SuggestedDuplicate] = field(default_factory=list)
    #: The first :data:`MAX_LISTED_REJECTED` rejected records by line; the rest are counted in
    #: ``more_rejected``.
    rejected: list[Rejected] = field(default_factory=list)
    more_rejected: int = 0

    @property
    def rejected_count(self) -> int:
        """Every rejected record, listed or not: ``len(rejected) + more_rejected``."""
        return len(self.rejected) + self.more_rejected

    @classmethod
    def _from_core(cls, d: dict[str, Any]) -> ImportReport:
        return cls(batch=d["batch"], source=d["source"], format=d["format"], read=d["read"], added=d["added"],
                   merged=d["merged"], skipped=d["skipped"],
                   suggested=[SuggestedDuplicate(*s) for s in d["suggested"]],
                   rejected=[Rejected(*r) for r in d["rejected"]], more_rejected=d["more_rejected"])

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for JSON)."""
        return {"batch": self.batch, "source": self.source, "format": self.format, "read": self.read,
                "added": self.added, "merged": self.merged, "skipped": self.skipped,
                "suggested": [s.to_dict() for s in self.suggested], "rejected": [r.to_dict() for r in self.rejected],
                "more_rejected": self.more_rejected}

    def __str__(self) -> str:
        lines = [f"Import {self.batch} of {self.source} ({self.format or 'unknown format'}): {self.read} read, "
                 f"{self.added} added, {self.merged} merged, {self.skipped} skipped, {self.rejected_count} rejected"]
        if self.suggested:
            lines.append(f"  {len(self.suggested)} possible duplicates to review:")
            lines.extend(f"    {s}" for s in self.suggested)
        if self.rejected:
            lines.append("  rejected:")
            lines.extend(f"    {r}" for r in self.rejected)
            if self.more_rejected:
                lines.append(f"    and {self.more_rejected:,} more")
        return "\n".join(lines)


@dataclass(frozen=True)
class ImportBatch:
    """One recorded import: when, of what, with which options, what it did, whether it was undone.

    >>> for batch in crm.imports: print(batch)                                  # doctest: +SKIP
    #1 2026-03-01 09:00 UTC cards.vcf (vcard): 11 added, 1 merged, 0 skipped, 0 rejected
    """

    id: int
    source: str
    format: str
    on_duplicate: str
    tags: list[str]
    how_met: str
    started_at: _dt.datetime
    finished_at: _dt.datetime
    added: int
    merged: int
    skipped: int
    rejected: int
    undone_at: _dt.datetime | None
    event: int | None = None  # the id of the event these people were met at

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the batch's fields, instants as ISO 8601 strings.

        >>> crm.imports.get(1).to_dict()["added"]                              # doctest: +SKIP
        11
        """
        def iso(t: _dt.datetime | None) -> str | None:
            return None if t is None else t.isoformat()

        return {"id": self.id, "source": self.source, "format": self.format, "on_duplicate": self.on_duplicate,
                "tags": builtins.list(self.tags), "how_met": self.how_met, "started_at": iso(self.started_at),
                "finished_at": iso(self.finished_at), "added": self.added, "merged": self.merged,
                "skipped": self.skipped, "rejected": self.rejected, "undone_at": iso(self.undone_at),
                "event": self.event}

    def __str__(self) -> str:
        state = f", undone {self.undone_at:%Y-%m-%d %H:%M} UTC" if self.undone_at else ""
        return (f"#{self.id} {self.finished_at:%Y-%m-%d %H:%M} UTC {self.source} ({self.format}): {self.added} added, "
                f"{self.merged} merged, {self.skipped} skipped, {self.rejected} rejected{state}")


def _progress_callback(progress: Progress | None) -> Callable[[int, int, int], None] | None:
    if progress is None:
        return None
    if callable(progress):
        fn = progress

        def call(done: int, total: int, cards: int) -> None:
            fn(done, total)
        return call
    bar = progress
    if not hasattr(bar, "update"):
        raise TypeError("progress must be a callable (done, total) or a tqdm-like bar with update()")

    def advance(done: int, total: int, cards: int) -> None:
        if total and not bar.total:
            bar.total = total
        bar.update(done - (bar.n or 0))
    return advance


def _check_policy(on_duplicate: str) -> str:
    if on_duplicate not in ("merge", "skip", "create"):
        raise InvalidInput(f'on_duplicate must be "merge", "skip" or "create", not {on_duplicate!r}')
    return on_duplicate


def _check_format(format: str | None) -> str | None:
    if format is not None and format not in ("vcard", "mecard", "csv"):
        raise InvalidInput(f'format must be "vcard", "mecard" or "csv" (or None to detect it), not {format!r}')
    return format


def import_file(core: _core.Store, path: str | bytes | os.PathLike[str] | os.PathLike[bytes], *, tags: Iterable[str], how_met: str,
                on_duplicate: OnDuplicate, format: str | None, columns: Mapping[str, str] | None,
                progress: Progress | None, event: int | None = None) -> ImportReport:
    if isinstance(tags, str):
        raise TypeError(f"tags must be a list, e.g. [{tags!r}], not a single str")
    # As bytes, the way os.open would pass it: a name that is not UTF-8 (surrogate-escaped in a str)
    # opens as it is on the disk.
    return ImportReport._from_core(core.import_file(
        os.fsencode(path), _check_policy(on_duplicate), builtins.list(tags), how_met, _check_format(format),
        dict(columns) if columns is not None else None, _progress_callback(progress), event))


def import_text(core: _core.Store, text: str, *, source: str, tags: Iterable[str], how_met: str,
                on_duplicate: OnDuplicate, format: str | None, columns: Mapping[str, str] | None,
                progress: Progress | None, event: int | None = None) -> ImportReport:
    if isinstance(tags, str):
        raise TypeError(f"tags must be a list, e.g. [{tags!r}], not a single str")
    return ImportReport._from_core(core.import_text(
        text, source, _check_policy(on_duplicate), builtins.list(tags), how_met, _check_format(format),
        dict(columns) if columns is not None else None, _progress_callback(progress), event))


#: A batch as its id, its :class:`ImportBatch` or the :class:`ImportReport` of the import.
BatchRef = Union[int, ImportReport, ImportBatch]


def _batch_id(batch: BatchRef) -> int:
    if isinstance(batch, ImportReport):
        return batch.batch
    return record_id(batch, "import batch", ImportBatch)


class Imports:
    """The import batches of a database: ``crm.imports``.

    >>> for batch in crm.imports: print(batch)      # doctest: +SKIP
    >>> crm.imports.undo(3)                          # doctest: +SKIP
    """

    def __init__(self, core: _core.Store) -> None:
        self._core = core

    def list(self) -> builtins.list[ImportBatch]:
        """Every batch, oldest first.

        >>> [b.source for b in crm.imports.list()]                             # doctest: +SKIP
        ['cards.vcf', 'linkedin.csv']
        """
        return [ImportBatch(**b) for b in self._core.import_batches()]

    def get(self, batch: BatchRef) -> ImportBatch:
        """One batch; :class:`netcrm.NotFound` if there is none.

        >>> crm.imports.get(1).added                                           # doctest: +SKIP
        11
        """
        return ImportBatch(**self._core.import_batch(_batch_id(batch)))

    def report(self, batch: BatchRef) -> ImportReport:
        """The report of a past import, as it was recorded.

        >>> print(crm.imports.report(1))                                       # doctest: +SKIP
        """
        return ImportReport._from_core(self._core.import_report(_batch_id(batch)))

    def changes(self, batch: BatchRef) -> builtins.list[tuple[int, str]]:
        """``(contact_id, "added" | "merged")`` for every contact the batch touched.

        >>> crm.imports.changes(1)[:2]                                         # doctest: +SKIP
        [(1, 'added'), (2, 'merged')]
        """
        return self._core.import_changes(_batch_id(batch))

    def undo(self, batch: BatchRef, *, force: bool = False) -> None:
        """Reverts a batch: contacts it added are deleted, contacts it merged into are restored.

        Refuses with :class:`netcrm.Error` when one of them changed after the import, unless
        ``force=True`` (those later changes are then lost), and when it was already undone.

        >>> report = crm.import_file("cards.vcf")                              # doctest: +SKIP
        >>> crm.imports.undo(report)                                           # doctest: +SKIP
        """
        self._core.import_undo(_batch_id(batch), force)

    def __getitem__(self, batch: int) -> ImportBatch:
        return self.get(batch)

    def __iter__(self) -> Iterator[ImportBatch]:
        return iter(self.list())

    def __len__(self) -> int:
        return len(self._core.import_batches())

    def __repr__(self) -> str:
        return f"<netcrm.Imports: {len(self)} batches>"
