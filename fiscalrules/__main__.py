"""``python -m fiscalrules`` and the ``fiscalrules`` command: the command line (:func:`.cli.run`).

The regular expressions of the last run are rebuilt first (:mod:`.patterncache`), before the
library's modules are imported: many of them compile their patterns as they load.
"""

from .patterncache import preload  # not "from . import": that would ask the package first

preload()

from .cli import run  # noqa: E402 -- once the patterns are in place

__all__ = ["run"]

if __name__ == "__main__":
    run()
