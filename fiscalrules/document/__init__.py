"""The one document model every reader works on (template-agnostic: knows nothing of budgets).

``model``: the document's lines, original and normalised; ``stream``: the running text of a range
of lines with each character's origin.
"""

from .model import Document, Line, compact, normalise
from .stream import Stream

__all__ = ["Document", "Line", "Stream", "compact", "normalise"]
