"""Shipped reference data: the standard classification code-name lists (政府收支分类科目).

The lists are plain TSV files beside this module, one per classification and year, each naming its
source in its header and saying what it covers.  :mod:`.classification` loads them and answers
the questions readers and rules need: the standard name of a code, whether a printed name is that
name, and which code a printed name stands for.
"""

from .classification import (SCHEMES, Classification, classification, code_level, normalise_name,
                             standard_name)

__all__ = ["SCHEMES", "Classification", "classification", "standard_name", "normalise_name",
           "code_level"]
