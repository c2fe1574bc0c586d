"""Record shapes: the skeleton of a record being grown (which fields, tables, rows, cells and
stated changes exist; texts, flags and classification codes) and its repairs (a figure added or
left out, a text set).  The numeric variables of a shape are :mod:`~fiscalrules.testing.variables`'
concern, printing solved values into it :mod:`~fiscalrules.testing.printing`'s.
"""

from __future__ import annotations

import random

from .paths import _CELL_PATH, _is_figure
from .plan import _Plan
from .requirements import _Changes


FUNCTION_CLASSES = {
    "201": "一般公共服务支出", "204": "公共安全支出", "205": "教育支出", "206": "科学技术支出",
    "207": "文化旅游体育与传媒支出", "208": "社会保障和就业支出", "210": "卫生健康支出",
    "211": "节能环保支出", "212": "城乡社区支出", "213": "农林水支出", "214": "交通运输支出",
    "216": "商业服务业等支出", "220": "自然资源海洋气象等支出", "221": "住房保障支出",
    "224": "灾害防治及应急管理支出", "229": "其他支出",
}
ECONOMIC_CLASSES = {
    "301": "工资福利支出", "302": "商品和服务支出", "303": "对个人和家庭的补助",
    "307": "债务利息及费用支出", "309": "资本性支出（基本建设）", "310": "资本性支出",
    "312": "对企业补助", "399": "其他支出",
}
KNOWN_NAMES = {
    "20101": "人大事务", "20103": "政府办公厅（室）及相关机构事务", "2010301": "行政运行",
    "2010302": "一般行政管理事务", "20805": "行政事业单位养老支出",
    "2080505": "机关事业单位基本养老保险缴费支出", "2080506": "机关事业单位职业年金缴费支出",
    "21011": "行政事业单位医疗", "2101101": "行政单位医疗", "22102": "住房改革支出",
    "2210201": "住房公积金", "30101": "基本工资", "30102": "津贴补贴", "30103": "奖金",
    "30108": "机关事业单位基本养老保险缴费", "30112": "其他社会保障缴费", "30113": "住房公积金",
    "30201": "办公费", "30211": "差旅费", "30213": "维修（护）费", "30215": "会议费",
    "30216": "培训费", "30217": "公务接待费", "30228": "工会经费", "30229": "福利费",
    "30231": "公务用车运行维护费", "30239": "其他交通费用", "30299": "其他商品和服务支出",
    "30302": "退休费", "30309": "奖励金", "31002": "办公设备购置",
}
_SUB_CODES = ("01", "02", "03", "04", "05", "06", "07", "08", "11", "13", "17", "31", "99")
_TEXT_POOL = ("示范市农业农村局", "说明", "本单位", "按规定执行", "详见附表", "市本级", "项目",
              "有所提升", "≥95%", "办公室", "其他")


class _Shape:
    """A record skeleton being grown: figures present, tables and rows, texts and flags."""

    def __init__(self, plan: _Plan, rnd: random.Random, rounded: bool, optional_absent: bool):
        self.plan, self.rnd, self.rounded, self.optional_absent = plan, rnd, rounded, optional_absent
        self.data: dict = {}
        self.slots: dict = {}        # figure path → (container, key)
        self.kinds: dict = {}        # figure path → (decl, kind)
        self.tables: dict = {}       # table path → list of rows
        self.trees: dict = {}        # classification scheme → the record's code tree
        self.invented = 0
        # the rules' conditions derived on the shape so far, and what changed since (see
        # requirements._conditions: only the rules reading a changed part are derived again)
        self.conditions: dict = {}
        self.changes = _Changes()
        self.record = None           # the record of the shape as of the last round (_reload)
        # the linear systems of its equalities solved so far (see solve._equality_system)
        self.systems: dict = {}
        # id(atom) → (atom, the path whose last year's figure it makes zero, or None): see
        # generate._zero_priors_of_stated_rates (the atoms are held here, so their ids stay theirs)
        self.zero_priors: dict = {}

    def touch(self, path: str) -> None:
        """Note that the figure at *path* (a field or a table's cell) changed."""
        match = _CELL_PATH.match(path)
        if match is None:
            self.changes.field(path)
        else:
            self.changes.cell(match.group("table"), match.group("column"))

    def take_changes(self) -> _Changes:
        """What changed since the last call (and start noting afresh)."""
        changes, self.changes = self.changes, _Changes()
        return changes

    # -- building
    def p_present(self) -> float:
        return 0.7 if self.optional_absent else 1.0

    def build(self):
        plan, rnd = self.plan, self.rnd
        for path, decl in sorted(plan.scalars.items()):
            if rnd.random() < self.p_present():
                self.add_field(path, decl)
        for prefix, decl in sorted(plan.wildcards.items()):
            explicit = [p for p in plan.scalars if p.rpartition(".")[0] == prefix]
            extra = rnd.randint(1, 4) if not explicit else (1 if rnd.random() < 0.15 else 0)
            for _ in range(extra):
                self.add_wild(prefix)
        for path, decl in sorted(plan.tables.items()):
            if rnd.random() < (0.85 if self.optional_absent else 1.0):
                self.add_table(path)
        by_group: dict = {}    # the figures' paths by what add_meta_everywhere matches them on
        by_column: dict = {}   # (adding stated changes adds no figure: one pass over them serves all)
        for path in self.slots:
            by_group.setdefault(path.rpartition(".")[0], []).append(path)
            if "]." in path:
                by_column.setdefault(path.rpartition("].")[2], []).append(path)
        for entry in sorted(plan.meta, key=str):
            if self.optional_absent and rnd.random() < 0.2:
                continue
            self.add_meta_everywhere(entry, by_group, by_column)

    def _container(self, path: str, create: bool):
        parts = path.split(".")
        node = self.data
        for part in parts[:-1]:
            child = node.get(part)
            if child is None:
                if not create:
                    return None, None
                child = node[part] = {}
            if not isinstance(child, dict) or _is_figure(child):
                return None, None
            node = child
        return node, parts[-1]

    def add_field(self, path: str, decl=None) -> bool:
        decl = decl or self.plan.decl_for(path)
        if decl is None or decl.kind == "table":
            return False
        container, key = self._container(path, True)
        if container is None:
            return False
        existing = container.get(key)
        if existing is not None:
            return False
        container[key] = self.initial(decl, ("f", path))
        self.touch(path)
        self.slots[path] = (container, key)
        self.kinds[path] = decl
        return True

    def add_wild(self, prefix: str) -> bool:
        explicit = [p for p in self.plan.scalars if p.rpartition(".")[0] == prefix]
        absent = [p for p in explicit if p not in self.slots]
        if absent:
            return self.add_field(self.rnd.choice(sorted(absent)))
        if prefix in self.plan.wildcards:
            container, _ = self._container(prefix + ".x", True)
            if container is None:
                return False
            while True:
                self.invented += 1
                name = f"part{self.invented}"
                if name not in container:
                    break
            return self.add_field(f"{prefix}.{name}", self.plan.wildcards[prefix])
        return False

    def initial(self, decl, target):
        kind = decl.kind
        if kind == "text":
            return self.text_for(target, decl)
        if kind == "flag":
            return self.rnd.random() < 0.5
        if self.rnd.random() < 0.15 and kind in ("amount", "count"):
            unit = self.plan.unit_of(decl)
            return {"value": "0", "unit": unit} if unit else "0"
        return "0"

    def text_for(self, target, decl=None, code=None):
        rnd = self.rnd
        name = target[-1] if target[0] == "c" else target[1].rpartition(".")[2]
        if code is not None and name in ("name", "standard_name"):
            return _standard_name(code)
        candidates = sorted(self.plan.text_candidates.get(target, ()))
        needles = sorted(self.plan.contains.get(target, ()))
        roll = rnd.random()
        if candidates and roll < 0.75:
            return rnd.choice(candidates)
        if needles and roll < 0.85:
            return "示范市" + rnd.choice(needles)
        return rnd.choice(_TEXT_POOL)

    def add_table(self, path: str, codes=()) -> bool:
        decl = self.plan.tables.get(path)
        if decl is None:
            return False
        container, key = self._container(path, True)
        if container is None or container.get(key) is not None:
            return False
        rows = container[key] = []
        self.tables[path] = rows
        self.changes.table(path)
        coded = any(c.name == "code" for c in decl.columns)
        if coded:
            for code in self.draw_codes(path):
                self.add_row(path, code)
        else:
            for _ in range(self.rnd.randint(0, 4)):
                self.add_row(path, None)
        for code in codes:
            self.add_row(path, code)
        return True

    def code_tree(self, scheme: str) -> list:
        """The record's classification codes for *scheme*, drawn once: a department reports the
        same classes in its narrative and in every table."""
        tree = self.trees.get(scheme)
        if tree is None and scheme == "unit":
            # a department (3 digits) over its units (本级 and each 所属单位: 6 digits under it)
            department = self.rnd.choice(("101", "118", "302"))
            tree = self.trees[scheme] = [(department, [(f"{department}{unit:03d}", [])
                                                       for unit in range(1, self.rnd.randint(1, 3) + 1)])]
        if tree is None:
            rnd = self.rnd
            classes = sorted(ECONOMIC_CLASSES if scheme == "economic" else FUNCTION_CLASSES)
            tree = []
            for cls in sorted(rnd.sample(classes, rnd.randint(1, 4))):
                subs = []
                for sub in sorted(rnd.sample(_SUB_CODES, rnd.randint(0, 3))):
                    items = []
                    if scheme == "function":
                        items = [cls + sub + item for item in sorted(rnd.sample(_SUB_CODES, rnd.randint(0, 2)))]
                    subs.append((cls + sub, items))
                tree.append((cls, subs))
            self.trees[scheme] = tree
        return tree

    def draw_codes(self, path: str) -> list:
        rnd = self.rnd
        scheme = self.plan.code_scheme(path)
        tree = self.code_tree(scheme)
        nested = path in self.plan.nested
        if scheme == "unit":   # the units, with the department row over them or not
            units = [unit for unit, _ in tree[0][1]]
            return ([tree[0][0]] if nested and rnd.random() < 0.5 else []) + units
        partial = rnd.random() < 0.2
        codes = []
        for cls, subs in tree:
            if partial and len(tree) > 1 and rnd.random() < 0.3:
                continue
            codes.append(cls)
            if not nested:
                continue
            for sub, items in subs:
                if partial and rnd.random() < 0.3:
                    continue
                codes.append(sub)
                codes.extend(items)
        return codes or [tree[0][0]]

    def add_row(self, path: str, code) -> bool:
        rows = self.tables.get(path)
        if rows is None:
            return self.add_table(path, codes=[code] if code is not None else ())
        if code is not None and any(r.get("code") == code for r in rows):
            return False
        decl = self.plan.tables[path]
        row: dict = {}
        rows.append(row)
        self.changes.table(path)
        row_code = code if code is not None else str(len(rows))
        if code is not None:
            row["code"] = code
        for column in decl.columns:
            if column.name == "code":
                continue
            optional = column.default is not None or self.optional_absent
            if optional and self.rnd.random() > (0.95 if column.default is not None else 0.9):
                continue
            self.add_cell(path, row_code, column.name, row)
        return True

    def find_row(self, path: str, code: str):
        rows = self.tables.get(path)
        if rows is None:
            return None
        for i, row in enumerate(rows, start=1):
            row_code = row.get("code") if isinstance(row, dict) else None
            if (row_code if row_code is not None else str(i)) == code:
                return row
        return None

    def add_cell(self, path: str, code: str, column: str, row=None) -> bool:
        row = row if row is not None else self.find_row(path, code)
        if row is None or column in row:
            return False
        decl = self.plan.column_decl(path, column)
        if decl is None:
            return False
        cell_path = f"{path}[{code}].{column}"
        self.changes.cell(path, column)
        if decl.kind == "text":
            row[column] = self.text_for(("c", path, column), decl, code=row.get("code"))
        elif decl.kind == "flag":
            row[column] = self.rnd.random() < 0.5
        elif decl.kind == "number" and (path, column) in self.plan.categories:
            # a category the rules compare with numbers (`r.level = 1`), or another one
            options = sorted(self.plan.categories[(path, column)])
            row[column] = str(self.rnd.choice(options + [max(options) + 1]))
        else:
            row[column] = "0"
        self.slots[cell_path] = (row, column)
        self.kinds[cell_path] = decl
        return True

    def add_meta(self, path: str, meta: str) -> bool:
        slot = self.slots.get(path)
        if slot is None:
            return False
        container, key = slot
        value = container[key]
        if isinstance(value, dict):
            if meta in value:
                return False
            value[meta] = "0"
        else:
            container[key] = {"value": value, meta: "0"}
        self.touch(path)
        return True

    def add_meta_everywhere(self, entry, by_group: dict, by_column: dict):
        """Add a stated change (or rate) to every figure *entry* names: a field, a group's
        members or a table column's cells (*by_group*, *by_column*: the shape's figure paths by
        group and by the column after their last ``].``, in the shape's order)."""
        if entry[0] == "f":
            self.add_meta(entry[1], entry[2])
        elif entry[0] == "w":
            for path in by_group.get(entry[1], ()):
                self.add_meta(path, entry[2])
        else:
            _, table, column, meta = entry
            for path in by_column.get(column, ()):
                if path.startswith(table + "[") and path.endswith("]." + column):
                    self.add_meta(path, meta)

    # -- repairs
    def apply(self, action) -> bool:
        kind = action[0]
        if kind == "add":
            return self.add_missing(action[1])
        if kind == "text":
            _, var, spec = action
            return self.set_text(var[1], spec)
        if kind == "flag":
            _, path, value = action
            slot = self.slots.get(path)
            if slot is None:
                return self.add_field(path)
            container, key = slot
            if container[key] == value:
                return False
            container[key] = value
            self.touch(path)
            return True
        return False

    def add_missing(self, entry) -> bool:
        kind = entry[0]
        if kind == "field":
            return self.add_field(entry[1])
        if kind == "meta":
            return self.add_meta(entry[1], entry[2])
        if kind == "table":
            return self.add_table(entry[1])
        if kind == "row":
            return self.add_row(entry[1], entry[2])
        if kind == "cell":
            return self.add_cell(entry[1], entry[2], entry[3])
        if kind == "wild":
            return self.add_wild(entry[1])
        if kind == "parent":
            code = entry[2]
            parent = code[:5] if len(code) == 7 else code[:3]
            return len(parent) < len(code) and self.add_row(entry[1], parent)
        return False

    def add_path(self, path: str) -> bool:
        """Add the figure at *path* (a field or a table's cell), as a rule found it missing."""
        match = _CELL_PATH.match(path)
        if match is None:
            return self.add_field(path)
        table, code, column = match.groups()
        if self.find_row(table, code) is None:
            return False
        return self.add_cell(table, code, column)

    def remove_figure(self, path: str, meta: str = "value") -> bool:
        """Leave a figure (or its stated change or rate) out of the record: a share of a total
        the structure fixes at zero is not printed.  Emptied groups go with it."""
        slot = self.slots.get(path)
        if slot is None:
            return False
        container, key = slot
        value = container[key]
        self.touch(path)
        if meta != "value":
            if not isinstance(value, dict) or meta not in value:
                return False
            del value[meta]
            return True
        del container[key]
        del self.slots[path]
        del self.kinds[path]
        if _CELL_PATH.match(path) is None:  # a field: drop the groups it leaves empty
            parts = path.split(".")[:-1]
            while parts:
                parent, _ = self._container(".".join(parts), False)
                if parent is None or parent.get(parts[-1]) != {}:
                    break
                del parent[parts[-1]]
                parts.pop()
        return True

    def set_text(self, path: str, spec) -> bool:
        slot = self.slots.get(path)
        if slot is None:
            return False
        container, key = slot
        current = container[key]
        rnd = self.rnd
        if isinstance(spec, str):
            new = spec
        elif spec[0] == "one of":
            new = rnd.choice(sorted(spec[1]))
        elif spec[0] == "contains":
            new = current if spec[1] in str(current) else "示范市" + spec[1]
        elif spec[0] == "lacks":   # the text without the part (or another text, where nothing is left)
            new = str(current).replace(spec[1], "") if spec[1] else current
            if not new or spec[1] in new:
                new = rnd.choice([t for t in _TEXT_POOL if spec[1] not in t] or ["其他说明"])
        else:  # ("other", values): anything else
            options = [t for t in _TEXT_POOL if t not in spec[1]]
            new = rnd.choice(options) if options else "其他说明"
        if new == current:
            return False
        container[key] = new
        self.touch(path)
        return True

    # -- variables


def _standard_name(code) -> str:
    code = str(code)
    if code in KNOWN_NAMES:
        return KNOWN_NAMES[code]
    if code[:3] in FUNCTION_CLASSES and len(code) == 3:
        return FUNCTION_CLASSES[code]
    if code[:3] in ECONOMIC_CLASSES and len(code) == 3:
        return ECONOMIC_CLASSES[code]
    base = FUNCTION_CLASSES.get(code[:3]) or ECONOMIC_CLASSES.get(code[:3]) or "其他"
    return f"{base.rstrip('支出')}·{code[3:]}"
