"""The 部门决算 / 单位决算 template: the nine 决算 tables and the 情况说明 (docs/final-accounts-record.md)."""

from .reader import TEMPLATE, read_final_accounts

__all__ = ["read_final_accounts", "TEMPLATE"]
