"""The readers' newer unread reasons (a table under an unknown title, coded rows outside any
table, a table printed without its unit) read in Chinese in a Chinese audit, and in English with
--lang en (messages in Chinese with English available)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from fiscalrules.cli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "bureau_2025.txt"

VARIANTS = [
    # (edit of the example, the Chinese reason expected, its English source)
    (lambda text: text.replace("\n一般公共预算支出表\n", "\n本级某某科目明细一览\n", 1),
     "行表格行不属于任何已识别的表格", "outside any table the reader knows"),
    (lambda text: text.replace("\n一般公共预算支出表\n", "\n部门支出预算明细表（按功能科目）\n", 1),
     "标题未能识别的表格", "a table under a title the reader does not know"),
    (lambda text: text.replace("\n单位：万元\n\n支出功能分类科目", "\n\n支出功能分类科目", 1),
     "本表未注明金额单位，按万元读取", "no unit printed for this table"),
]


@pytest.mark.parametrize("edit, chinese, english", VARIANTS)
def test_unread_reasons_in_chinese_and_english(tmp_path, capsys, edit, chinese, english):
    text = EXAMPLE.read_text(encoding="utf-8")
    changed = edit(text)
    assert changed != text
    path = tmp_path / "variant.txt"
    path.write_text(changed, encoding="utf-8")
    main(["audit", str(path), "--fail-on", "never"])
    out = capsys.readouterr().out
    assert chinese in out
    assert english not in out
    main(["audit", str(path), "--fail-on", "never", "--lang", "en"])
    out = capsys.readouterr().out
    assert english in out and not re.search(chinese, out)
