"""Tables listed by unit (单位编码 | 单位名称): a department with subordinate units prints its
收入/支出总表 and its "三公" table one row per unit (本级 and each 所属单位), often under a
department row ("118 青山县自然资源局" over "118001 …（本级）", "118002 …").

Unit codes are no classification codes: a unit row of a coded table is written to
``tables.<kind>.units`` (never ``rows``, whose rules sum 类/款/项), keyed by its unit code as
``code`` so that the rules' ``children()`` nests units by prefix the way the template does
(a 6-digit unit under its 3-digit department). A row of the "三公" table, whose rows are units
anyway, keeps ``unit_code`` and gains the same ``code``.

A table by 科目 may also be printed unit by unit (review 20 C D9): "118001 青山县自然资源局（本级）"
and that unit's 类/款/项 rows, then the next unit. A 6-digit code opens a unit's group (no
function or economic code has 6 digits): :func:`by_unit_groups` turns the unit rows into unit
rows and the groups into the department's rows, each code's figures summed over the units that
print it (the sum and its terms in the row's source), so that every 科目 rule checks the
department's table -- a slip in one unit's rows breaks its 款 or 类 in the sum -- and the unit
rules (TBL-070…074) check the units against the 合计."""

from __future__ import annotations

import re
import weakref
from decimal import Decimal, InvalidOperation

from ...values import in_library_context
from ..common.record import RecordBuilder, cap_text
from .sections import Block, title_owner

__all__ = ["unit_row", "by_unit_groups", "is_unit_name", "unit_of_own_table", "write_unit_table", "UNIT_CODE"]

# A unit's code in a table of 科目 rows: six digits (类 3, 款 5, 项 7; economic 3 and 5).
UNIT_CODE = re.compile(r"^\d{6}$")
# A unit's name printed without its code where a table of 科目 rows is printed unit by unit
# ("青山县自然资源局（本级）", "青山县不动产登记中心"): 本级, or a place (省/市/县/区/镇/乡/旗/州)
# and one of the words that end the names of budget units. A 科目 name can end so too ("综合医院",
# "档案馆") but names no place; such a row is a unit only without a code, in a table whose other
# rows print codes, as the first row of a group, and when no classification list has its name.
_UNIT_NAME = re.compile(r"[（(]?本级[)）]?$|[省市县区镇乡旗州].*(?:局|委员会|委|办公室|中心|站|所|院|馆|队|处|学校|幼儿园)$")


def is_unit_name(text: str, scheme: str = "function") -> bool:
    """Whether *text*, printed without a code in a table of 科目 rows, names a budget unit."""
    if not text or not _UNIT_NAME.search(text):
        return False
    from ...data.classification import classification, normalise_name   # (read only for such a name)
    lists = classification(scheme)
    name = normalise_name(text)
    return name not in lists.aliases and all(normalise_name(n) != name for n in lists.names.values())


def unit_row(base: str, row: dict) -> str:
    """The list of *base* (``tables.<kind>``) that *row* belongs to: ``units`` for a row keyed by
    a unit code in a table of classification rows (or a unit printed by its name only, marked
    ``_unit``), else ``rows``. Sets the row's ``code`` to its unit code."""
    if row.pop("_unit", False):
        return "units"
    unit_code = row.get("unit_code")
    if unit_code is None or "code" in row:
        return "rows"
    if base == "tables.three_public":
        row["code"] = unit_code
        return "rows"
    row["code"] = row.pop("unit_code")
    return "units"


def by_unit_groups(rows: list) -> tuple[list, list] | None:
    """A table of 科目 rows printed unit by unit, as ``(rows, unit_rows)``: *rows* (``(line, row,
    printed)`` as the table reader makes them) with each unit row keyed by its unit code (so it is
    written to ``units``) and the 科目 rows of the groups replaced by one row per code, its figures
    the sums over the units; *unit_rows*: each unit's 科目 rows as printed (``unit_code``, ``item``
    = the 科目编码, name, figures), written to ``unit_rows`` beside them (what each sum was made of).  A row that cannot be placed (a unit printing a code twice with other figures, or the
    科目 rows of a table where a unit with figures prints none) is returned as not understood,
    so the table is listed, never summed in part.  None for a table whose rows are not grouped by
    unit (no 6-digit code, or 科目 rows before the first unit: the department's own rows, not to
    be summed with its units')."""
    kept = [i for i, (_, row, _) in enumerate(rows) if row is not None and not row.get("_total")]
    if not kept or not _opens_unit(rows[kept[0]][1]):
        return None
    out: list = []
    summed: dict = {}    # code → (line, its first row, [(unit code, row)]), in the order printed
    current = ""
    members: dict = {}   # unit code → (its row, how many 科目 rows it prints)
    unit_rows: list = []
    as_printed: list = []   # the rows line by line: what is listed when they cannot be summed
    problem = ""
    for line, row, printed in rows:
        if row is None or row.get("_total"):
            out.append((line, row, printed))
            as_printed.append((line, row, printed))
            continue
        code = str(row.get("code", ""))
        if _opens_unit(row):
            unit = dict(row)
            if row.get("_unit"):        # a unit printed by its name only: its name keys its group
                current = str(row.get("name"))
            else:
                current = code
                unit["unit_code"] = unit.pop("code")
            if current in members and _figures(members[current][0]) != _figures(row):
                # one unit printed twice with other figures: its groups cannot be told apart
                as_printed.append((line, None, f"{printed} (unit {current} printed twice with other figures)"))
                problem = problem or "twice"
                continue
            if current in members:      # (the same line again, as at a page break)
                continue
            members[current] = (unit, 0)
            out.append((line, unit, printed))
            as_printed.append((line, unit, printed))
            continue
        as_printed.append((line, row, printed))
        members[current] = (members[current][0], members[current][1] + 1)
        entry = summed.get(code)
        if entry is None or all(unit != current for unit, _ in entry[2]):
            unit_rows.append({**({} if members[current][0].get("_unit") else {"unit_code": current}),
                              "unit": members[current][0].get("name"), "item": code,
                              **{k: v for k, v in row.items() if k != "code"}})
            if entry is None:
                summed[code] = (line, row, [(current, row)])
            else:
                entry[2].append((current, row))
        elif _figures(row) != _figures(next(r for u, r in entry[2] if u == current)):
            # (the same line again, as at a page break, is left out; other figures are not)
            as_printed[-1] = (line, None, f"{printed} (code {code} printed twice in unit {current} "
                                          f"with other figures)")
            problem = problem or "clash"
    bare = [unit for unit, (row, count) in members.items() if not count and any(
        v not in (None, "0", "0.00") for v in _figures(row).values())]
    if bare and summed:
        # the sums would fall short of the 合计 (a false alarm): every row is listed
        first = next(i for i, (_, row, _) in enumerate(as_printed) if row is not None and not row.get("_total")
                     and not UNIT_CODE.match(str(row.get("code", row.get("unit_code", "")))))
        line, _, printed = as_printed[first]
        as_printed[first] = (line, None, f"{printed} (unit {bare[0]} prints no 科目 rows: the units' rows "
                                         f"cannot be summed)")
        problem = "bare"
    if problem:
        return as_printed, []
    for code, (line, row, terms) in summed.items():
        out.append((line, _summed(row, terms), line.original.strip()))
    out.sort(key=lambda entry: entry[0].number)
    return out, unit_rows


def _opens_unit(row: dict) -> bool:
    """A row opening a unit's group: a 6-digit code, or a unit's name without a code (``_unit``)."""
    return bool(row.get("_unit")) or bool(UNIT_CODE.match(str(row.get("code", ""))))


def _figures(row: dict) -> dict:
    return {k: v.get("value") for k, v in row.items() if isinstance(v, dict) and "value" in v}


def _summed(first: dict, terms: list) -> dict:
    """The department's row of a code: each figure the sum over the units printing the code, its
    source the first unit's line with every term named ("228.00（118001）+ 48.00（118002）")."""
    return first if len(terms) == 1 else summed_row(first, terms)


@in_library_context     # exact: the caller's context (28 digits) would round a long amount
def summed_row(first: dict, terms: list) -> dict:
    """A row keyed as *first* (its code and name) whose figures are the sums of *terms*' (``(tag,
    row)``: a unit's code, a 项's), each figure's source the first term's cell with every term named
    ("{code} {name}：228.00（118001）+ 48.00（118002）")."""
    out = {k: v for k, v in first.items() if not isinstance(v, dict)}
    columns: list = []
    for _, row in terms:
        columns += [k for k, v in row.items() if isinstance(v, dict) and "value" in v and k not in columns]
    for column in columns:
        total = Decimal(0)
        parts = []
        cell = None
        for unit, row in terms:
            value = row.get(column)
            if not isinstance(value, dict) or "value" not in value:
                continue
            cell = cell or value
            try:
                total += Decimal(str(value["value"]))
            except InvalidOperation:
                return first
            parts.append(f"{value.get('printed', value['value'])}（{unit}）")
        figure = {"value": str(total)}
        if cell.get("unit"):                                          # type: ignore[union-attr]
            figure["unit"] = cell["unit"]                             # type: ignore[index]
        src = dict(cell.get("source") or {})                          # type: ignore[union-attr]
        src.pop("box", None)
        src["text"] = cap_text(f"{first.get('code', first.get('item'))} {first.get('name', '')}：" + " + ".join(parts))
        figure["source"] = src
        out[column] = figure
    return out


def unit_of_own_table(builder: RecordBuilder, block: Block) -> str:
    """The unit a coded table belongs to when it is one of a unit's own set printed after the
    department's tables (review 20 C D3): a second table of a kind already read whose title names
    another owner than the first's ("青山县不动产登记中心单位收入总表" after "部门收入总表"); else ""."""
    first = builder.get(f"tables.{block.key}.title")
    if not isinstance(first, str):
        return ""
    owner = title_owner(block.title, block.key)
    return owner if owner and owner != title_owner(first, block.key) else ""


# Tables whose 科目 rows a unit's own table may print and the record keeps as ``unit_rows``.
_UNIT_ROW_TABLES = ("tables.expenditure",)
_OWN_ROW = "row of unit {unit}'s own table, not checked: {text}"
_VOIDED = "row of unit {unit}'s own table, not read: the own table of unit {other} was read in part: {text}"

# Per document (its builder): the rows each kind's unit tables wrote ({base: [(path, row, title,
# unit, line, printed)]}), and the kinds whose unit tables are void ({base: the unit read in part}).
_WRITTEN: "weakref.WeakKeyDictionary[RecordBuilder, dict]" = weakref.WeakKeyDictionary()


def write_unit_table(builder: RecordBuilder, base: str, title: str, unit: str, rows: list) -> None:
    """A unit's own table printed after the department's (review 20 C D3: "青山县不动产登记中心单位
    支出总表", "青山县自然资源局(本级)支出总表"; *unit* is the name its title gives): the unit's, never
    a duplicate of the department's table.

    * its unit rows (单位编码) join the department's ``units``, where TBL-070…079 check each against
      its columns and Σ units against the department's 合计;
    * its 科目 rows go to ``unit_rows`` (``unit`` = *unit*, ``item`` = the 科目编码), where TBL-080…082
      check each row, each unit's 合计 and each department row = Σ the units' rows of its code;
    * its 合计 is the unit's row in ``units`` when the table prints no unit row (a table by 科目),
      else listed as the unit's 合计 (its unit rows say the same).

    A row not understood, or a code printed twice with other figures, makes every row of every
    unit's own table of the kind listed, none read: the units summed without one would fall short
    of the department's figures (a false alarm on a correct document)."""
    state = _WRITTEN.setdefault(builder, {"written": {}, "void": {}})
    units = [(l, r, p) for l, r, p in rows if r is not None and not r.get("_total") and "code" not in r
             and r.get("unit_code")]
    items = [(l, r, p) for l, r, p in rows if r is not None and not r.get("_total") and "code" in r]
    totals = [(l, r, p) for l, r, p in rows if r is not None and r.get("_total")]
    first: dict = {}
    clash = False
    for _, row, _ in items:
        clash = clash or first.setdefault(row["code"], _figures(row)) != _figures(row)
    if clash or len(items) + len(units) + len(totals) < len(rows) or len(totals) > 1 \
            or (items and (units or base not in _UNIT_ROW_TABLES)):
        for line, row, printed in rows:
            why = _OWN_ROW if row is not None else "table row not understood: {text}"
            builder.add_unread(title, (line.number, line.number), why.format(unit=unit, text=printed))
        if not (items and base not in _UNIT_ROW_TABLES):     # (a kind whose 科目 rows are not kept)
            _void(builder, state, base, unit)
        return
    if base in state["void"]:
        for line, _, printed in rows:
            builder.add_unread(title, (line.number, line.number),
                               _VOIDED.format(unit=unit, other=state["void"][base], text=printed))
        return
    written = state["written"].setdefault(base, [])
    for line, row, printed in units:
        path = f"{base}.{unit_row(base, row)}"
        if builder.append(path, row, section=title):
            written.append((path, row, title, unit, line, printed))
    seen: set = set()
    for line, row, printed in items:
        if row["code"] in seen:     # the same line again (a page break): left out
            continue
        seen.add(row["code"])
        own = {"unit": unit, "item": row["code"], **{k: v for k, v in row.items() if k != "code"}}
        builder.append(f"{base}.unit_rows", own, section=title)
        written.append((f"{base}.unit_rows", own, title, unit, line, printed))
    for line, row, printed in totals:
        if units:
            builder.add_unread(title, (line.number, line.number),
                               f"the 合计 of unit {unit}'s own table, not the department's: {printed}")
            continue
        own = {k: v for k, v in row.items() if k not in ("_total", "code", "unit_code")}
        own["name"] = unit
        builder.append(f"{base}.units", own, section=title)
        written.append((f"{base}.units", own, title, unit, line, printed))


def _void(builder: RecordBuilder, state: dict, base: str, unit: str) -> None:
    """A unit's own table of *base* read in part: what the other units' own tables of the kind
    wrote is taken back and listed (and so will be what follows)."""
    state["void"].setdefault(base, unit)
    for path, row, title, owner, line, printed in state["written"].pop(base, []):
        rows = builder.get(path)
        if isinstance(rows, list):
            rows[:] = [r for r in rows if r is not row]
            if not rows:
                parent, _, key = path.rpartition(".")
                del builder.get(parent)[key]
        builder.add_unread(title, (line.number, line.number),
                           _VOIDED.format(unit=owner, other=unit, text=printed))
