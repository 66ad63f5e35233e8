"""The last line of netcrm's errors: what the C++ core raises in Python's own terms is said in
netcrm's, on every method of ``_core.Store``.

- Text read from the database reaches Python as ``str``; when a row holds bytes that are not UTF-8
  (a damaged file, or another program writing with raw SQL) pybind11 raises ``UnicodeDecodeError``
  before netcrm's error translation can see it. That is a damaged database: :class:`StorageError`.
- An argument that the core cannot convert makes pybind11 raise ``TypeError`` quoting the C++
  signature ("incompatible function arguments"). The public methods check their arguments first,
  with messages naming them; this keeps the C++ out of the message should one slip through.

Installed once, when netcrm is imported (``install()``); it wraps the class, so every store
opened afterwards is covered.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

from . import _core

DAMAGED_TEXT = ("the database holds text that is not valid UTF-8 (the file is damaged, or another program "
                "wrote to it): run integrity_check() and restore a backup")


def _translated(fn: Callable[..., Any], name: str) -> Callable[..., Any]:
    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except UnicodeDecodeError:
            err = _core.StorageError(DAMAGED_TEXT)
            err.sqlite_code = 11  # SQLITE_CORRUPT
            raise err from None
        except TypeError as e:
            if "incompatible function arguments" not in str(e):
                raise
            raise TypeError(f"{name.replace('_', ' ')}: an argument has the wrong type or is out of range") from None
    return call


def install() -> None:
    """Wraps every method and property of ``_core.Store`` (once)."""
    cls: Any = _core.Store
    if getattr(cls, "_netcrm_errors_installed", False):
        return
    for name, member in list(vars(cls).items()):
        if name.startswith("__"):
            continue
        if isinstance(member, property):
            setattr(cls, name, property(
                None if member.fget is None else _translated(member.fget, name),
                None if member.fset is None else _translated(member.fset, name), member.fdel, member.__doc__))
        elif isinstance(member, staticmethod):
            setattr(cls, name, staticmethod(_translated(member.__func__, name)))
        elif callable(member):
            setattr(cls, name, _translated(member, name))
    cls._netcrm_errors_installed = True
