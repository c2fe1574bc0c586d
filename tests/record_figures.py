"""The figures of a record as (path, value) pairs, for tests comparing two readings of one
document (a PDF and its -layout text, a text and its web page or workbook)."""

from __future__ import annotations

from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "bureau_2025.txt"


def figure_values(node, path: str = "", *, skip=("source", "_meta"), rows_by_code: bool = False):
    """(path, value) of every figure under *node*, keys in *skip* left out; a table's rows by
    position, or with *rows_by_code* by their code (or name) where they have one."""
    if isinstance(node, dict):
        if "value" in node and not isinstance(node["value"], (dict, list)):
            yield path, node["value"]
            return
        for key, value in node.items():
            if key not in skip:
                yield from figure_values(value, f"{path}.{key}", skip=skip, rows_by_code=rows_by_code)
    elif isinstance(node, list):
        for at, value in enumerate(node):
            key = (value.get("code") or value.get("name")) if rows_by_code and isinstance(value, dict) else None
            yield from figure_values(value, f"{path}[{key if key is not None else at}]", skip=skip,
                                     rows_by_code=rows_by_code)


def assert_reads_as_the_example(path, capsys, skip=("source", "_meta")) -> dict:
    """The fictional example written into another form at *path* (a workbook, a Word document)
    reads every figure of its text (198 of 198), the same figures, and its audit fails the same
    rules (7 不一致), given alone and as the folder holding it.  Returns the record read."""
    from fiscalrules.cli import main
    from fiscalrules.readers import read_document
    from_form, from_text = read_document(path), read_document(EXAMPLE)
    assert dict(figure_values(from_form, skip=skip)) == dict(figure_values(from_text, skip=skip))
    assert from_form["_meta"]["coverage"]["figures"] == {"read": 198, "printed": 198}
    assert main(["audit", "--no-progress", str(path)]) == 1
    assert "不一致 7" in capsys.readouterr().out
    assert main(["audit", "--no-progress", str(Path(path).parent)]) == 1   # (a folder's files of that form too)
    assert capsys.readouterr().out.count("不一致 7") == 1
    return from_form
