"""The example final accounts (部门决算) of ``examples/``: written by ``python examples/make_examples.py``
(a development tool, not part of the package; reportlab is needed).

``examples/qingshi_culture_2024_final_accounts.pdf`` is the 2024 final accounts of 滨江市青石区文化旅游局
(the fictional department of the budget example) in the national 部门决算 template: 概况, the nine
决算 tables in 万元 (the two-sided 总表, coded tables with 合计 first or last, a table running over a
page break, the two-panel 基本支出决算表, the one-line 三公 table of 预算数/决算数 pairs, two empty
fund tables with their 说明), the 情况说明 with one item per 项, and 名词解释.  Its figures are
consistent except for the planted errors listed in ``examples/README.md``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from make_examples import DEPT, ECONOMIC_NAMES, NAMES, Writer

# The same fictional department's 2024 final accounts, in the national 部门决算 template: amounts in
# 万元, held here in cents (hundredths of 万元) so that every sum is exact.  Parents, totals,
# shares and completion percentages are computed; the planted errors are made where the page is
# written (examples/README.md lists them).

FA_YEAR = 2024

# 项 lines: (code, name, basic, project, general-budget part of the project spending, 年初预算).
# Everything is paid from the general budget appropriation but 10.00 of 文物保护, paid from 事业收入.
FA_ITEMS = [
    ("2070101", "行政运行", 61200, 0, 0, 62000),
    ("2070102", "一般行政管理事务", 0, 8500, 8500, 9000),
    ("2070109", "群众文化", 0, 12600, 12600, 13000),
    ("2070199", "其他文化和旅游支出", 0, 4300, 4300, 4300),
    ("2070204", "文物保护", 0, 9800, 8800, 11000),
    ("2080501", "行政单位离退休", 3120, 0, 0, 3120),
    ("2080505", "机关事业单位基本养老保险缴费支出", 6880, 0, 0, 7000),
    ("2080506", "机关事业单位职业年金缴费支出", 3440, 0, 0, 3500),
    ("2101101", "行政单位医疗", 4020, 0, 0, 4180),
    ("2210201", "住房公积金", 5160, 0, 0, 5200),
    ("2210203", "购房补贴", 2640, 0, 0, 2700),
]
FA_NAMES = dict(NAMES, **{"20702": "文物", "21011": "行政事业单位医疗"})
FA_USES = {"行政运行": "保障机关正常运转", "一般行政管理事务": "文化市场管理和行政执法",
           "群众文化": "全区群众文化活动", "其他文化和旅游支出": "旅游宣传推广", "文物保护": "区级文物保护单位修缮"}
# appropriation income by 项 (the general budget spending, but 群众文化 took in 4.00 more, carried
# over) and the 事业收入 of 文物保护
FA_EXTRA_INCOME = {"2070109": 400}
FA_BUSINESS_INCOME = {"2070204": 1200}
FA_OPENING, FA_OTHER_CLOSING = 800, 200        # 年初财政拨款结转 8.00; 事业收入 left 2.00
FA_ECONOMIC = [  # (code, name, amount): 301 and 303 are 人员经费, 302 and 310 公用经费
    ("30101", "基本工资", 19800), ("30102", "津贴补贴", 24100), ("30107", "绩效工资", 11500),
    ("30108", "机关事业单位基本养老保险缴费", 6880), ("30109", "职业年金缴费", 3440),
    ("30110", "职工基本医疗保险缴费", 4020), ("30113", "住房公积金", 5160),
    ("30302", "退休费", 3120), ("30399", "其他对个人和家庭的补助", 2640),
    ("30201", "办公费", 1240), ("30211", "差旅费", 460), ("30212", "因公出国（境）费用", 180),
    ("30217", "公务接待费", 240), ("30228", "工会经费", 980), ("30231", "公务用车运行维护费", 600),
    ("31002", "办公设备购置", 2100),
]
FA_ECONOMIC_NAMES = dict(ECONOMIC_NAMES)
# 三公 (预算, 决算): 因公出国（境）费, 公务用车购置费, 公务用车运行维护费, 公务接待费; last year's 决算 11.00
FA_THREE = {"overseas": (200, 180), "purchase": (0, 0), "operation": (700, 600), "reception": (300, 240)}
FA_THREE_PRIOR = 1100
FA_THREE_PRIOR_ITEMS = {"overseas": 200, "vehicle": 650, "reception": 250}   # last year's, by item
FA_CLASSES = ["一般公共服务支出", "外交支出", "国防支出", "公共安全支出", "教育支出", "科学技术支出",
              "文化旅游体育与传媒支出", "社会保障和就业支出", "卫生健康支出", "节能环保支出", "城乡社区支出",
              "农林水支出", "交通运输支出", "资源勘探工业信息等支出", "商业服务业等支出", "金融支出",
              "援助其他地区支出", "自然资源海洋气象等支出", "住房保障支出", "粮油物资储备支出",
              "国有资本经营预算支出", "灾害防治及应急管理支出", "其他支出"]
FA_CLASS_CODES = {"文化旅游体育与传媒支出": "207", "社会保障和就业支出": "208", "卫生健康支出": "210",
                  "住房保障支出": "221"}


def wan(cents: int) -> str:
    """An amount in 万元 as the 决算 prints it (two decimals, thousands separated)."""
    return f"{cents / 100:,.2f}"


def pct(part: int, whole: int) -> str:
    """part ÷ whole × 100, two decimals, half up (the template's rounding)."""
    return str((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def fa_rows() -> list[tuple[str, str, dict]]:
    """(code, name, columns) for every 类, 款 and 项 line, parents summed; columns: basic, project,
    general (general budget spending), gb_basic, gb_project, income (appropriation), business."""
    def columns(item):
        code, _, basic, project, gb_project, _ = item
        general = basic + gb_project
        return {"basic": basic, "project": project, "total": basic + project, "general": general,
                "gb_basic": basic, "gb_project": gb_project,
                "income": general + FA_EXTRA_INCOME.get(code, 0), "business": FA_BUSINESS_INCOME.get(code, 0)}

    def summed(items):
        out: dict = {}
        for item in items:
            for key, value in columns(item).items():
                out[key] = out.get(key, 0) + value
        return out

    rows = []
    for lei in sorted({i[0][:3] for i in FA_ITEMS}):
        items = [i for i in FA_ITEMS if i[0][:3] == lei]
        rows.append((lei, FA_NAMES[lei], summed(items)))
        for kuan in sorted({i[0][:5] for i in items}):
            sub = [i for i in items if i[0][:5] == kuan]
            rows.append((kuan, FA_NAMES[kuan], summed(sub)))
            rows.extend((i[0], i[1], columns(i)) for i in sub)
    return rows


def build_final_accounts() -> bytes:
    w = Writer()
    rows = fa_rows()
    leaves = [r for r in rows if len(r[0]) == 7]
    total = lambda key: sum(r[2][key] for r in leaves)          # noqa: E731
    basic, project, spent = total("basic"), total("project"), total("total")
    general, gb_basic, gb_project = total("general"), total("gb_basic"), total("gb_project")
    appropriation, business = total("income"), total("business")
    income = appropriation + business
    closing_app = FA_OPENING + appropriation - general
    closing = closing_app + FA_OTHER_CLOSING
    grand = income + FA_OPENING
    assert grand == spent + closing
    personnel = sum(e[2] for e in FA_ECONOMIC if e[0][:3] in ("301", "303"))
    public = sum(e[2] for e in FA_ECONOMIC if e[0][:3] in ("302", "310"))
    assert personnel + public == gb_basic
    budget = sum(i[5] for i in FA_ITEMS)
    three_budget = sum(b for b, _ in FA_THREE.values())
    three_final = sum(f for _, f in FA_THREE.values())
    vehicle_budget = FA_THREE["purchase"][0] + FA_THREE["operation"][0]
    vehicle_final = FA_THREE["purchase"][1] + FA_THREE["operation"][1]
    classes = [r for r in rows if len(r[0]) == 3]
    year, prior = FA_YEAR, FA_YEAR - 1
    unit = f"{DEPT}"

    # cover and contents
    w.top = 200
    w.title(DEPT, 22)
    w.title(f"{year}年度部门决算", 22)
    w.new_page()
    w.title("目 录")
    for entry in [f"第一部分 {DEPT}概况", "一、主要职能", "二、部门决算单位构成",
                  f"第二部分 {DEPT}{year}年度部门决算表", "一、收入支出决算总表", "二、收入决算表", "三、支出决算表",
                  "四、财政拨款收入支出决算总表", "五、一般公共预算财政拨款支出决算表",
                  "六、一般公共预算财政拨款基本支出决算表", "七、财政拨款“三公”经费支出决算表",
                  "八、政府性基金预算财政拨款收入支出决算表", "九、国有资本经营预算财政拨款收入支出决算表",
                  f"第三部分 {DEPT}{year}年度部门决算情况说明", "第四部分 名词解释"]:
        w.line(entry)

    w.new_page()
    w.title(f"第一部分 {DEPT}概况")
    w.line("一、主要职能", 12)
    w.paragraph(f"{DEPT}是负责本区文化和旅游工作的区政府工作部门，统筹规划本区文化事业、文化产业和旅游业发展，"
                "负责本区文物保护工作，指导、管理本区群众文化活动。")
    w.line("二、部门决算单位构成", 12)
    w.paragraph(f"纳入{DEPT}{year}年度部门决算编制范围的单位包括：{DEPT}（本级）、滨江市青石区文化馆。")

    # -- 第二部分: the nine tables --------------------------------------------------------------
    w.new_page()
    w.title(f"第二部分 {DEPT}{year}年度部门决算表")

    def heading(title):
        w.new_page()
        w.title(f"{DEPT}{year}年度部门决算表", 12)
        w.title(title, 14)
        w.line("单位：万元", 9)

    def side_rows(right):
        """The 23 function classes of the right side, with *right*(class row) → its columns."""
        by_name = {r[1]: r for r in classes}
        return [[f"{NUMERALS[i]}、{name}"] + (right(by_name[name]) if name in by_name else [])
                for i, name in enumerate(FA_CLASSES)]

    # 1. 收入支出决算总表
    heading("收入支出决算总表")
    left = [("一、一般公共预算财政拨款收入", appropriation), ("二、政府性基金预算财政拨款收入", None),
            ("三、国有资本经营预算财政拨款收入", None), ("四、上级补助收入", None), ("五、事业收入", business),
            ("六、经营收入", None), ("七、附属单位上缴收入", None), ("八、其他收入", None)]
    right = side_rows(lambda r: [wan(r[2]["total"])])
    body = []
    for i, row in enumerate(right):
        label, value = left[i] if i < len(left) else ("", None)
        body.append([label, wan(value) if value else "", row[0], row[1] if len(row) > 1 else ""])
    body += [["本年收入合计", wan(income), "本年支出合计", wan(spent)],
             ["使用非财政拨款结余", "", "结余分配", ""],
             ["年初结转和结余", wan(FA_OPENING), "年末结转和结余", wan(closing)],
             ["总计", wan(grand), "总计", wan(grand)]]
    w.table([("收入", 0, 1, 0, 0), ("支出", 2, 3, 0, 0), ("项目", 0, 0, 1, 1), ("决算数", 1, 1, 1, 1),
             ("项目", 2, 2, 1, 1), ("决算数", 3, 3, 1, 1)], [230, 90, 230, 90], body,
            align=["l", "r", "l", "r"], row_height=14, size=8)
    w.line("注：本表反映部门本年度的总收支和年末结转结余情况。", 9)

    # 2. 收入决算表 (合计 first, as the template prints it)
    heading("收入决算表")
    income_rows = [["合计", "", wan(income), wan(appropriation), "", wan(business), "", "", ""]]
    for code, name, c in rows:
        income_rows.append([code, name, wan(c["income"] + c["business"]), wan(c["income"]), "",
                            wan(c["business"]) if c["business"] else "", "", "", ""])
    w.table([("项目", 0, 1, 0, 0), ("功能分类\n科目编码", 0, 0, 1, 2), ("科目名称", 1, 1, 1, 2),
             ("本年收入合计", 2, 2, 0, 2), ("财政拨款收入", 3, 3, 0, 2), ("上级补助收入", 4, 4, 0, 2),
             ("事业收入", 5, 5, 0, 2), ("经营收入", 6, 6, 0, 2), ("附属单位\n上缴收入", 7, 7, 0, 2),
             ("其他收入", 8, 8, 0, 2)],
            [70, 190, 70, 70, 60, 60, 60, 60, 60], income_rows, header_lines=3,
            align=["l", "l", "r", "r", "r", "r", "r", "r", "r"], row_height=16, size=8)
    w.line("注：本表反映部门本年度取得的各项收入情况。", 9)

    # 3. 支出决算表; planted error 1: 群众文化 prints 合计 162.00 (its 项目支出 126.00, digits swapped)
    heading("支出决算表")
    spending = [["合计", "", wan(spent), wan(basic), wan(project), "", "", ""]]
    for code, name, c in rows:
        shown = 16200 if code == "2070109" else c["total"]
        spending.append([code, name, wan(shown), wan(c["basic"]) if c["basic"] else "",
                         wan(c["project"]) if c["project"] else "", "", "", ""])
    w.table([("项目", 0, 1, 0, 0), ("功能分类\n科目编码", 0, 0, 1, 2), ("科目名称", 1, 1, 1, 2),
             ("本年支出合计", 2, 2, 0, 2), ("基本支出", 3, 3, 0, 2), ("项目支出", 4, 4, 0, 2),
             ("上缴上级支出", 5, 5, 0, 2), ("经营支出", 6, 6, 0, 2), ("对附属单位\n补助支出", 7, 7, 0, 2)],
            [70, 210, 75, 75, 75, 70, 60, 70], spending, header_lines=3,
            align=["l", "l", "r", "r", "r", "r", "r", "r"], row_height=16, size=8)
    w.line("注：本表反映部门本年度各项支出情况。", 9)

    # 4. 财政拨款收入支出决算总表
    heading("财政拨款收入支出决算总表")
    left = [("一、一般公共预算财政拨款", appropriation), ("二、政府性基金预算财政拨款", None),
            ("三、国有资本经营预算财政拨款", None)]
    right = side_rows(lambda r: [wan(r[2]["general"]), wan(r[2]["general"])])
    body = []
    for i, row in enumerate(right):
        label, value = left[i] if i < len(left) else ("", None)
        cells = row[1:] + [""] * (4 - len(row[1:]))
        body.append([label, wan(value) if value else "", row[0]] + cells)
    body += [["本年收入合计", wan(appropriation), "本年支出合计", wan(general), wan(general), "", ""],
             ["年初财政拨款结转和结余", wan(FA_OPENING), "年末财政拨款结转和结余", wan(closing_app), wan(closing_app), "", ""],
             ["一、一般公共预算财政拨款", wan(FA_OPENING), "", "", "", "", ""],
             ["二、政府性基金预算财政拨款", "", "", "", "", "", ""],
             ["三、国有资本经营预算财政拨款", "", "", "", "", "", ""],
             ["总计", wan(appropriation + FA_OPENING), "总计", wan(general + closing_app), wan(general + closing_app), "", ""]]
    w.table([("收入", 0, 1, 0, 0), ("支出", 2, 6, 0, 0), ("项目", 0, 0, 1, 1), ("决算数", 1, 1, 1, 1),
             ("项目", 2, 2, 1, 1), ("合计", 3, 3, 1, 1), ("一般公共预算\n财政拨款", 4, 4, 1, 1),
             ("政府性基金预算\n财政拨款", 5, 5, 1, 1), ("国有资本经营\n预算财政拨款", 6, 6, 1, 1)],
            [180, 75, 200, 70, 75, 75, 75], body, align=["l", "r", "l", "r", "r", "r", "r"], row_height=14, size=8)
    w.line("注：本表反映部门本年度财政拨款总收支和结转结余情况。", 9)

    # 5. 一般公共预算财政拨款支出决算表 (合计 last)
    heading("一般公共预算财政拨款支出决算表")
    gb_rows = [[code, name, wan(c["general"]), wan(c["gb_basic"]) if c["gb_basic"] else "",
                wan(c["gb_project"]) if c["gb_project"] else ""] for code, name, c in rows]
    gb_rows.append(["合计", "", wan(general), wan(gb_basic), wan(gb_project)])
    w.table([("项目", 0, 1, 0, 0), ("功能分类\n科目编码", 0, 0, 1, 2), ("科目名称", 1, 1, 1, 2),
             ("合计", 2, 2, 0, 2), ("基本支出", 3, 3, 0, 2), ("项目支出", 4, 4, 0, 2)],
            [80, 260, 110, 110, 110], gb_rows, header_lines=3, align=["l", "l", "r", "r", "r"],
            row_height=16, size=8)
    w.line("注：本表反映部门本年度一般公共预算财政拨款支出情况。", 9)

    # 6. 一般公共预算财政拨款基本支出决算表: two panels (人员经费 classes | 公用经费 classes)
    heading("一般公共预算财政拨款基本支出决算表")

    def panel(classes_):
        out = []
        for lei in classes_:
            items = [e for e in FA_ECONOMIC if e[0][:3] == lei]
            out.append([lei, FA_ECONOMIC_NAMES[lei], wan(sum(e[2] for e in items))])
            out.extend([code, name, wan(amount)] for code, name, amount in items)
        return out

    first, second = panel(("301", "303")), panel(("302", "310"))
    body = [(first[i] if i < len(first) else ["", "", ""]) + (second[i] if i < len(second) else ["", "", ""])
            for i in range(max(len(first), len(second)))]
    body.append(["", "人员经费合计", wan(personnel), "", "公用经费合计", wan(public)])
    w.table([("经济分类\n科目编码", 0, 0, 0, 1), ("科目名称", 1, 1, 0, 1), ("决算数", 2, 2, 0, 1),
             ("经济分类\n科目编码", 3, 3, 0, 1), ("科目名称", 4, 4, 0, 1), ("决算数", 5, 5, 0, 1)],
            [70, 200, 80, 70, 200, 80], body, header_lines=2, align=["l", "l", "r", "l", "l", "r"],
            row_height=15, size=8)
    w.line("注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。", 9)

    # 7. 财政拨款“三公”经费支出决算表; planted error 3: the 决算数 合计 prints 10.02 (10.20)
    heading("财政拨款“三公”经费支出决算表")
    pairs = [(three_budget, 1002), FA_THREE["overseas"], (vehicle_budget, vehicle_final), FA_THREE["purchase"],
             FA_THREE["operation"], FA_THREE["reception"]]
    assert three_final == 1020
    figures = [wan(v) for pair in pairs for v in pair]
    header = [("财政拨款“三公”经费", 0, 11, 0, 0), ("合计", 0, 1, 1, 2), ("因公出国（境）费", 2, 3, 1, 2),
              ("公务用车购置及运行维护费", 4, 9, 1, 1), ("小计", 4, 5, 2, 2), ("公务用车购置费", 6, 7, 2, 2),
              ("公务用车运行维护费", 8, 9, 2, 2), ("公务接待费", 10, 11, 1, 2)]
    header += [(("预算数", "决算数")[i % 2], i, i, 3, 3) for i in range(12)]
    w.table(header, [60] * 12, [figures], header_lines=4, align=["r"] * 12, size=8)
    w.line("注：本表反映部门本年度“三公”经费支出预决算情况。", 9)

    # 8, 9. the two fund tables, empty, with the template's note
    for title, fund in (("政府性基金预算财政拨款收入支出决算表", "政府性基金预算财政拨款"),
                        ("国有资本经营预算财政拨款收入支出决算表", "国有资本经营预算财政拨款")):
        heading(title)
        w.table([("项目", 0, 1, 0, 0), ("功能分类\n科目编码", 0, 0, 1, 2), ("科目名称", 1, 1, 1, 2),
                 ("年初结转和结余", 2, 2, 0, 2), ("本年收入", 3, 3, 0, 2), ("本年支出", 4, 6, 0, 1),
                 ("合计", 4, 4, 2, 2), ("基本支出", 5, 5, 2, 2), ("项目支出", 6, 6, 2, 2),
                 ("年末结转和结余", 7, 7, 0, 2)],
                [80, 200, 80, 80, 70, 70, 70, 80], [["合计", "", "", "", "", "", "", ""]], header_lines=3,
                size=8)
        w.line(f"注：本表反映部门本年度{fund}收入支出及结转和结余情况。", 9)
        w.line(f"说明：{DEPT}本年度没有{fund}收入和支出，故本表无数据。", 9)

    # -- 第三部分: 情况说明 ---------------------------------------------------------------------
    w.new_page()
    w.title(f"第三部分 {DEPT}{year}年度部门决算情况说明")
    prior_total, prior_app, prior_general = 117000, 117000, 115000
    w.line("一、收入支出决算总体情况说明", 12)
    w.paragraph(f"{DEPT}{year}年度收入支出总计{wan(grand)}万元。与{prior}年度相比，收入支出总计增加"
                f"{wan(grand - prior_total)}万元，增长{pct(grand - prior_total, prior_total)}%。主要原因：群众文化活动和"
                "文物保护修缮项目增加。")
    w.line("二、收入决算情况说明", 12)
    w.paragraph(f"本年收入合计{wan(income)}万元，其中：财政拨款收入{wan(appropriation)}万元，占"
                f"{pct(appropriation, income)}%；事业收入{wan(business)}万元，占{pct(business, income)}%。")
    w.line("三、支出决算情况说明", 12)
    w.paragraph(f"本年支出合计{wan(spent)}万元，其中：基本支出{wan(basic)}万元，占{pct(basic, spent)}%；"
                f"项目支出{wan(project)}万元，占{pct(project, spent)}%。")
    w.line("四、财政拨款收入支出决算总体情况说明", 12)
    app_total = appropriation + FA_OPENING
    w.paragraph(f"{DEPT}{year}年度财政拨款收入支出总计{wan(app_total)}万元。与{prior}年度相比，财政拨款收入支出总计"
                f"增加{wan(app_total - prior_app)}万元，增长{pct(app_total - prior_app, prior_app)}%。主要原因：群众文化"
                "活动经费增加。")
    w.line("五、一般公共预算财政拨款支出决算情况说明", 12)
    w.line("（一）一般公共预算财政拨款支出决算总体情况")
    w.paragraph(f"一般公共预算财政拨款支出{wan(general)}万元，占本年支出合计的{pct(general, spent)}%。与{prior}年度"
                f"相比，一般公共预算财政拨款支出增加{wan(general - prior_general)}万元，增长"
                f"{pct(general - prior_general, prior_general)}%。主要原因：群众文化活动经费增加。")
    w.line("（二）一般公共预算财政拨款支出决算结构情况")
    parts = "；".join(f"{name}（类）{wan(c['general'])}万元，占{pct(c['general'], general)}%" for _, name, c in classes)
    w.paragraph(f"一般公共预算财政拨款支出{wan(general)}万元，主要用于以下方面：{parts}。")
    w.line("（三）一般公共预算财政拨款支出决算具体情况")
    # planted error 2: the completion printed 95.63% (96.53%, two digits swapped)
    assert pct(general, budget) == "96.53"
    w.paragraph(f"一般公共预算财政拨款支出年初预算为{wan(budget)}万元，支出决算为{wan(general)}万元，完成年初预算的"
                "95.63%。决算数小于预算数的主要原因：部分项目按实际进度支付，厉行节约压减一般性支出。其中：")
    for n, (code, name, b, p, gp, plan) in enumerate(FA_ITEMS, 1):
        final = b + gp
        use = FA_USES.get(name, "按规定缴纳和发放相关经费")
        text = (f"{n}、{FA_NAMES[code[:3]]}（类）{FA_NAMES[code[:5]]}（款）{name}（项）。主要用于：{use}。"
                f"年初预算为{wan(plan)}万元，支出决算为{wan(final)}万元，完成年初预算的{pct(final, plan)}%。")
        if final < plan:
            text += "决算数小于预算数的主要原因：按实际需要支出，节约了经费。"
        else:
            text += "决算数与预算数持平。"
        w.paragraph(text)
    w.line("六、一般公共预算财政拨款基本支出决算情况说明", 12)
    w.paragraph(f"一般公共预算财政拨款基本支出{wan(gb_basic)}万元。其中：人员经费{wan(personnel)}万元，主要包括：基本工资、"
                f"津贴补贴、绩效工资、机关事业单位基本养老保险缴费、职业年金缴费、职工基本医疗保险缴费、住房公积金、"
                f"退休费、其他对个人和家庭的补助；公用经费{wan(public)}万元，主要包括：办公费、差旅费、因公出国（境）"
                "费用、公务接待费、工会经费、公务用车运行维护费、办公设备购置。")
    w.line("七、财政拨款“三公”经费支出决算情况说明", 12)
    w.line("（一）“三公”经费财政拨款支出决算总体情况说明。")
    o, r = FA_THREE["overseas"], FA_THREE["reception"]
    w.paragraph(f"“三公”经费财政拨款支出年初预算为{wan(three_budget)}万元，支出决算为{wan(three_final)}万元，完成预算的"
                f"{pct(three_final, three_budget)}%，其中：因公出国（境）费决算为{wan(o[1])}万元，完成预算的{pct(*o[::-1])}%；"
                f"公务用车购置及运行维护费支出决算为{wan(vehicle_final)}万元，完成预算的{pct(vehicle_final, vehicle_budget)}%；"
                f"公务接待费支出决算为{wan(r[1])}万元，完成预算的{pct(*r[::-1])}%。{year}年度“三公”经费支出决算数小于预算数的"
                "主要原因：严格控制公务用车使用和公务接待。")
    assert sum(FA_THREE_PRIOR_ITEMS.values()) == FA_THREE_PRIOR
    finals = {"overseas": o[1], "vehicle": vehicle_final, "reception": r[1]}
    items = "；".join(f"{label}支出决算减少{wan(FA_THREE_PRIOR_ITEMS[k] - finals[k])}万元，下降"
                     f"{pct(FA_THREE_PRIOR_ITEMS[k] - finals[k], FA_THREE_PRIOR_ITEMS[k])}%"
                     for k, label in (("overseas", "因公出国（境）费"), ("vehicle", "公务用车购置及运行维护费"),
                                      ("reception", "公务接待费")))
    w.paragraph(f"{year}年度“三公”经费财政拨款支出决算数比{prior}年度减少{wan(FA_THREE_PRIOR - three_final)}万元，下降"
                f"{pct(FA_THREE_PRIOR - three_final, FA_THREE_PRIOR)}%，其中：{items}。主要原因是厉行节约。")
    w.line("（二）“三公”经费财政拨款支出决算具体情况说明。")
    w.paragraph(f"“三公”经费财政拨款支出决算中，因公出国（境）费支出决算{wan(o[1])}万元，占{pct(o[1], three_final)}%；"
                f"公务用车购置及运行维护费支出决算{wan(vehicle_final)}万元，占{pct(vehicle_final, three_final)}%；"
                f"公务接待费支出决算{wan(r[1])}万元，占{pct(r[1], three_final)}%。具体情况如下：")
    w.paragraph(f"1、因公出国（境）费支出{wan(o[1])}万元。全年安排因公出国（境）团组1个、累计3人次。开支内容包括："
                "赴外开展文化交流活动。")
    w.paragraph(f"2、公务用车购置及运行维护费支出{wan(vehicle_final)}万元。其中：公务用车购置支出为"
                f"{wan(FA_THREE['purchase'][1])}万元。公务用车运行维护支出{wan(FA_THREE['operation'][1])}万元。主要用于"
                f"文化市场执法检查等公务用车的燃料、维修、保险等支出。{year}年，{DEPT}所属各预算单位开支财政拨款的"
                "公务用车保有量为3辆。")
    w.paragraph(f"3、公务接待费支出{wan(r[1])}万元。其中：国内公务接待支出{wan(r[1])}万（含外宾接待支出0.00万元）。"
                "主要用于接待兄弟区县文化旅游部门考察交流，公务接待20批次、160人次，其中：接待外宾0批次、0人次。")
    w.line("八、政府性基金预算财政拨款收入支出决算情况说明", 12)
    w.paragraph(f"{DEPT}{year}年度无政府性基金预算财政拨款收入和支出。")
    w.line("九、国有资本经营预算财政拨款收入支出决算情况说明", 12)
    w.paragraph(f"{DEPT}{year}年度无国有资本经营预算财政拨款收入和支出。")
    w.line("十、预算绩效管理情况", 12)
    w.paragraph(f"{DEPT}{year}年度预算绩效管理工作开展情况如下：全过程绩效管理实施情况：编报绩效目标的{year}年度项目"
                f"4个，涉及预算金额{wan(project)}万元；绩效跟踪评价的{year}年度项目4个，涉及预算金额{wan(project)}万元；"
                f"绩效自评的{year}年度项目4个，涉及预算金额{wan(project)}万元，平均得分92分（其中，绩效评级为“优”的项目"
                "2个；绩效评级为“良”的项目2个；绩效评级为“合格”的项目0个；绩效评级为“不合格”的项目0个。绩效自评中"
                "共发现问题3个，已经完成整改的2个，正在整改的1个）。")
    w.line("十一、其他重要事项的情况说明", 12)
    w.line("（一）机关运行经费支出情况")
    # planted error 4: a doubled full stop
    w.paragraph(f"机关运行经费支出{wan(public)}万元，比{prior}年度减少2.00万元，下降{pct(200, public + 200)}%。。主要原因是"
                "压减办公费等一般性支出。")
    w.line("（二）政府采购支出情况")
    w.paragraph(f"{DEPT}{year}年度政府采购金额（以合同签订为准）为60.00万元，其中：货物采购金额21.00万元、工程采购金额"
                f"0.00万元、服务采购金额39.00万元。")
    w.paragraph(f"{year}年度本部门面向中小企业预留政府采购项目预算金额39.00万元，面向小微企业预留政府采购项目预算金额"
                "30.00万元。在面向中小企业预留的政府采购项目中，由中小企业供应商中标或成交的，采购金额39.00万元；在面向"
                "小微企业预留政府采购项目中，由小微企业供应商中标或成交的，采购金额30.00万元；在其他政府采购项目中，"
                "由中小企业供应商中标或成交的，采购金额21.00万元。")
    w.line("（三）国有资产占有使用情况说明")
    w.paragraph(f"截至{year}年12月31日，{unit}共有车辆3辆，其中：部级领导干部用车0辆、主要领导干部用车0辆、机要通信用车"
                "0辆、应急保障用车0辆、执法执勤用车1辆、特种专业技术用车0辆、离退休干部用车0辆、其他用车2辆。单价100"
                "万元（含）以上设备（不含车辆）0台（套）。")

    w.new_page()
    w.title("第四部分 名词解释")
    for text in ["一、财政拨款收入：指单位本年度从本级财政部门取得的财政拨款，包括一般公共预算财政拨款、政府性基金预算"
                 "财政拨款和国有资本经营预算财政拨款。",
                 "二、事业收入：指事业单位开展专业业务活动及其辅助活动取得的收入。",
                 "三、年初结转和结余：指以前年度尚未完成、结转到本年按有关规定继续使用的资金。",
                 "四、年末结转和结余：指本年度或以前年度预算安排、因客观条件发生变化无法按原计划实施，需延迟到以后年度"
                 "按有关规定继续使用的资金。",
                 "五、基本支出：指单位为保障机构正常运转、完成日常工作任务而发生的各项支出。",
                 "六、项目支出：指单位为完成特定的行政工作任务或事业发展目标，在基本支出之外发生的各项支出。",
                 "七、机关运行经费：指行政单位和参照公务员法管理的事业单位使用一般公共预算财政拨款安排的基本支出中的"
                 "日常公用经费支出。"]:
        w.paragraph(text)
    return w.pdf()


NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五",
            "十六", "十七", "十八", "十九", "二十", "二十一", "二十二", "二十三", "二十四"]
