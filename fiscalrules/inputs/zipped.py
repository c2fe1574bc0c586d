"""The zip container of the Office Open XML files (Word .docx, Excel .xlsx): which kind a zip is,
and how much it unpacks to -- looked at before anything is parsed."""

from __future__ import annotations

import io
import zipfile

__all__ = ["zip_holds", "BAD_ZIP"]

#: What a damaged or hostile zip raises (RuntimeError: an encrypted part; EOFError: a cut file).
BAD_ZIP = (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, RuntimeError)


def zip_holds(data: bytes, member: str) -> bool:
    """Whether *data* is a zip holding *member* (``word/document.xml``, ``xl/workbook.xml``)."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return member in archive.namelist()
    except BAD_ZIP:
        return False
