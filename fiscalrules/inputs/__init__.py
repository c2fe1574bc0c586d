"""Inputs: the bytes of a document (a path, text or bytes) → the one document model.

Template-agnostic: nothing here knows about budgets. ``source`` decides what was given and
refuses unreadable input.
"""
