"""PDF layouts other regions print, read by the template's structure (titles, headers, codes),
never by one document's layout: the fictional example disclosure (examples/make_examples.py)
drawn in another layout must read as the shipped one does."""

from __future__ import annotations

import pytest

pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")
pytest.importorskip("reportlab", reason="reportlab writes the test PDFs")

from pdfmaker import make_examples  # noqa: E402

from fiscalrules.readers import read_disclosure  # noqa: E402

THREE_PUBLIC = {"total": "8.40", "overseas": "0", "reception": "2.40", "vehicle": "6.00",
                "vehicle_purchase": "0", "vehicle_operation": "6.00", "operating_costs": "58.00"}


def _example(tmp_path, monkeypatch, name: str, *, rename: dict | None = None, **layout):
    """The example disclosure with every table drawn with *layout* (say ruled=False), header
    cells renamed by *rename*."""
    table = make_examples.Writer.table

    def drawn(self, header, *args, **kwargs):
        header = [((rename or {}).get(text, text),) + tuple(rest) for text, *rest in header]
        return table(self, header, *args, **{**kwargs, **layout})

    monkeypatch.setattr(make_examples.Writer, "table", drawn)
    path = tmp_path / name
    path.write_bytes(make_examples.build())
    monkeypatch.setattr(make_examples.Writer, "table", table)
    return read_disclosure(path)


def _values(row: dict) -> dict:
    return {k: v["value"] for k, v in row.items() if isinstance(v, dict) and "value" in v}


def test_unruled_tables_read_as_the_ruled_ones(tmp_path, monkeypatch):
    # Without ruling lines the 三公 header's cells spanning columns ("“三公”经费预算数" over six,
    # "公务用车购置及运行费" over three) and lines must still head the right columns, and the
    # 收支总表's "本年收入 | 本年支出" over 项目 | 预算数 must still give its two sides.
    ruled = _example(tmp_path, monkeypatch, "ruled.pdf")
    unruled = _example(tmp_path, monkeypatch, "unruled.pdf", ruled=False)
    assert [_values(r) for r in unruled["tables"]["three_public"]["rows"]] == [THREE_PUBLIC]
    assert [_values(r) for r in ruled["tables"]["three_public"]["rows"]] == [THREE_PUBLIC]
    for key in ("summary", "appropriation_summary"):
        for side in ("income", "expenditure"):
            assert _values(unruled["tables"][key][side]["totals"]) == _values(ruled["tables"][key][side]["totals"])
            assert len(unruled["tables"][key][side]["rows"]) == len(ruled["tables"][key][side]["rows"]) >= 3
    assert unruled["_meta"].get("unread", []) == ruled["_meta"].get("unread", []) == []
    coverage = unruled["_meta"]["coverage"]["table_lines"]
    assert coverage["read"] == coverage["with_amounts"] == ruled["_meta"]["coverage"]["table_lines"]["read"]


@pytest.mark.parametrize("ruled", [True, False])
def test_a_three_public_figure_under_a_header_not_understood_lists_the_row(tmp_path, monkeypatch, ruled):
    # "会议费" is no 三公 field: reading the row would leave 公务接待费 at 0 and report the
    # document's own figures as wrong; the row is listed unread instead.
    record = _example(tmp_path, monkeypatch, "renamed.pdf", rename={"公务接待费": "会议费"},
                      ruled=ruled)
    assert not record["tables"]["three_public"].get("rows")
    reasons = [u["reason"] for u in record["_meta"]["unread"] if "三公" in u["section"]]
    assert len(reasons) == 1 and reasons[0].startswith(
        "row not read: a figure stands under a column whose header was not understood (")
    assert "会议费" in reasons[0] and "8.40 0 2.40 6.00 0 6.00 58.00" in reasons[0]


@pytest.mark.parametrize("ruled", [True, False])
def test_a_name_wrapped_inside_its_cell_keeps_its_second_line(ruled):
    # "文化旅游体育与传媒 / 支出": the figures on the first line, the rest of the name on a line
    # of its own under it, in the name column only.
    import re

    from pdfmaker import pdf_bytes

    from fiscalrules.document.tables import read_grid
    from fiscalrules.inputs.pdf import read_pdf

    rows = [("科目编码", "科目名称", "合计", 60), ("207", "文化旅游体育与传媒", "162.00", 80),
            ("", "支出", "", 92), ("20701", "文化和旅游", "162.00", 110), ("", "注：本表无其他", "", 130)]
    items = [("text", x, top, text, 9.0) for code, name, total, top in rows
             for x, text in ((60, code), (140, name), (330, total)) if text]
    if ruled:
        items += [("vrule", x, 50, 140) for x in (56, 136, 300, 380)]
    doc = read_pdf(pdf_bytes([items]), "wrapped.pdf")
    grid = read_grid(doc, doc.lines, lambda line: bool(re.fullmatch(r"\d{3,7}", line.words[0].text)))
    assert [row.text(1) for row in grid.rows] == ["文化旅游体育与传媒支出", "文化和旅游"]
    assert [line.compact for line in grid.loose] == [doc.lines[-1].compact]
