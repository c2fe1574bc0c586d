"""Instructions per stage under callgrind: the marks a child process makes, and reading them back.

Shared by ``bench_start.py --stages`` and ``bench_read_stages.py``.  The child runs under
``valgrind --tool=callgrind --dump-before=getppid --callgrind-out-file=DIR/out.%p`` and calls
``os.getppid()`` at every mark, so callgrind writes the instructions since the last mark to a dump
of its own: dump *i* holds the instructions between mark *i-1* and mark *i*.  :class:`Marks` makes
the marks (a function wrapped, every import of a module); :func:`dump_costs` and :func:`per_stage`
read the dumps back into instructions per stage.  It imports nothing the child would not have
imported anyway (the child imports it before its first stage).
"""

from __future__ import annotations

import os


class Marks:
    """The child's side: ``<label`` as a stage is entered and ``>label`` as it is left, in order."""

    def __init__(self) -> None:
        self.labels: list[str] = []

    def mark(self, label: str) -> None:
        self.labels.append(label)
        os.getppid()   # (callgrind's dump trigger)

    def wrap(self, owner, name: str, label: str | None = None) -> None:
        """*owner*'s function (or method) *name* marked as the stage *label* (its name by default)."""
        function, label = getattr(owner, name), label or name
        mark = self.mark

        def wrapped(*args, **kwargs):
            mark("<" + label)
            try:
                return function(*args, **kwargs)
            finally:
                mark(">" + label)
        setattr(owner, name, wrapped)

    def wrap_spec(self, spec: str) -> None:
        """``MODULE:NAME`` or ``MODULE:Class.method`` (the benchmarks' ``--wrap``) marked as a stage."""
        import importlib
        module, _, path = spec.partition(":")
        owner = importlib.import_module(module)
        *outer, name = path.split(".")
        for part in outer:
            owner = getattr(owner, part)
        self.wrap(owner, name)

    def mark_imports(self) -> None:
        """Every module imported from source from now on marked as the stage ``import NAME``."""
        import importlib._bootstrap_external as bootstrap
        execute, mark = bootstrap.SourceFileLoader.exec_module, self.mark

        def exec_module(loader, module):
            mark("<import " + module.__name__)
            try:
                return execute(loader, module)
            finally:
                mark(">import " + module.__name__)
        bootstrap.SourceFileLoader.exec_module = exec_module   # type: ignore[method-assign]


def dump_costs(folder: str) -> list[int]:
    """The instructions of each dump callgrind wrote to *folder* (``out.PID`` and ``out.PID.N``), in
    the order written."""
    dumps = sorted((name for name in os.listdir(folder) if name.startswith("out.")),
                   key=lambda name: int(name.split(".")[2]) if name.count(".") >= 2 else 10 ** 9)
    costs = []
    for name in dumps:
        with open(os.path.join(folder, name)) as handle:
            costs.append(next(int(line.split()[1]) for line in handle if line.startswith("summary:")))
    return costs


def per_stage(marked, between: str, own_imports: bool = False) -> dict[str, int]:
    """Instructions per stage from *marked*, (mark, the instructions after it) pairs: a stage inside another
    is named "outer/inner" and counted apart from it; with *own_imports* a module's import counts
    only its own (``import NAME``, whatever it is imported inside).  *between* names what is
    outside every stage."""
    found: dict[str, int] = {}
    stack: list[str] = []
    for label, cost in marked:
        if label.startswith("<"):
            stack.append(label[1:])
        elif stack and label[1:] == stack[-1]:
            stack.pop()
        if own_imports and stack and stack[-1].startswith("import "):
            name = stack[-1]
        else:
            name = "/".join(dict.fromkeys(stack)) or between
        found[name] = found.get(name, 0) + cost
    return found
