"""``python -m fiscalrules``: the command line."""

from .cli import run

run()
