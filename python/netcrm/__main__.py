"""``python -m netcrm``: the command line (see :mod:`netcrm.cli`); the ``netcrm`` console script
calls :func:`main` here.

>>> main(["contacts", "search", "helene"])   # doctest: +SKIP
0
"""

from __future__ import annotations

import sys

from .cli import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
