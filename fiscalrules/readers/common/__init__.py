"""Helpers every template's reader shares: amount phrases and units (``amounts``), classification
codes (``classes``) and the record builder with its unread list (``record``)."""
