"""The 部门预算 / 单位预算 template: document model → ``budget_disclosure`` record.

``reader`` orchestrates; ``sections`` finds the template's parts, sections and table blocks;
``tables`` reads the standard tables; ``narrative``, ``headcount``, ``projects`` and
``performance`` read the 情况说明 and the performance tables; ``facts`` reads publisher, year,
kind and every year printed.
"""

from .reader import TEMPLATE, read_disclosure

__all__ = ["TEMPLATE", "read_disclosure"]
