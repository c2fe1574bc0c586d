"""``python -m fiscalrules`` and the ``fiscalrules`` command: the command line (:func:`.cli.run`).

The regular expressions of the last run are rebuilt first (:mod:`.patterncache`), before the
library's modules are imported: many of them compile their patterns as they load.

The collector's young generation is collected every :data:`YOUNG_COLLECTION` allocations rather
than Python's 700: a command-line run keeps nearly all it makes until it ends (the modules, the
ruleset's nodes and closures, the document's model and record), so those ~100 collections of a
one-document audit found nothing to free and walked its survivors again and again (~7 % of its
CPU time).  Reference cycles a batch drops are still collected, every 100,000 allocations.  A
program importing the library keeps Python's settings: only the command line changes them.
"""

import gc

YOUNG_COLLECTION = 100_000
gc.set_threshold(YOUNG_COLLECTION, *gc.get_threshold()[1:])

from .patterncache import preload  # noqa: E402 -- not "from . import": that would ask the package first

preload()

from .cli import run  # noqa: E402 -- once the patterns are in place

__all__ = ["run", "YOUNG_COLLECTION"]

if __name__ == "__main__":
    run()
