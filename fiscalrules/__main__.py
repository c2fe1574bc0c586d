"""``python -m fiscalrules`` and the ``fiscalrules`` command: the command line (:func:`.cli.run`).

The regular expressions of the last run are rebuilt first (:mod:`.patterncache`), before the
library's modules are imported: many of them compile their patterns as they load.
"""

import gc

# The start allocates some 75,000 objects (the modules, the ruleset's nodes and closures) that all
# live to the end: at its default first threshold (700) the cyclic collector walks them again and
# again and finds nothing.  Raised past what a start allocates, from here (before the imports);
# :func:`.cli.run` puts the start's objects out of the collector's sight and lowers it again once
# the rulesets are loaded (cli._START_THRESHOLD, cli._after_the_start).
gc.set_threshold(100_000, *gc.get_threshold()[1:])

from .patterncache import preload  # noqa: E402 -- not "from . import": that would ask the package first

preload()

from .cli import run  # noqa: E402 -- once the patterns are in place

__all__ = ["run"]

if __name__ == "__main__":
    run()
