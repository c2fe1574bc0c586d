"""Chinese for the English texts of diagnostics, errors, hints and evaluation reasons.

Messages are written in English where they are raised (one sentence per problem, close to the
code that knows the problem).  This catalog gives each its Chinese, keyed by the English
template, as gettext keys a catalog by its source text: ``{name}`` stands for the part that
varies and is carried over, itself translated when it is one of the known fragments ("a number",
"money" …).  :func:`to_zh` is applied when a message is shown in Chinese -- the default of the
command line -- and leaves a text it does not know as it is, so a new message without an entry
is shown in English rather than lost (tests/test_tools.py fails on a diagnostic of the test cases
without Chinese; tests/test_messages_translated.py on an error message or an unread part's reason
found in the source without Chinese).
"""

from __future__ import annotations

import functools
import re

__all__ = ["to_zh", "translate", "translate_error", "CATALOG", "has_translation"]

# (English template, Chinese template).  First match wins: put specific forms before general ones.
CATALOG: tuple[tuple[str, str], ...] = (
    # ---- syntax (parser, syntaxerrors)
    ("an operand is missing: an operator must stand between two values", "缺少运算数：运算符两边都要有值"),
    ("an operand is missing before the operator", "运算符前缺少运算数"),
    ("a value is missing after the comma", "逗号后缺少值"),
    ("the condition is missing: write a comparison, such as a = b", "缺少条件：请写一个比较，例如 a = b"),
    ("an operand is missing: a value belongs here", "缺少运算数：此处应有一个值"),
    ("a bracket is not closed", "括号没有闭合"),
    ('this needs {module}, which is not installed: pip install "fiscalrules[{extra}]"',
     '需要 {module}，但没有安装：pip install "fiscalrules[{extra}]"'),
    ('the HTML report needs Jinja2: pip install "fiscalrules[html]"', 'HTML 报告需要 Jinja2：pip install "fiscalrules[html]"'),
    ('reading PDF needs pypdfium2: pip install "fiscalrules[pdf]"', '读取 PDF 需要 pypdfium2：pip install "fiscalrules[pdf]"'),
    ('reading an Excel workbook needs openpyxl, which is not installed: pip install "fiscalrules[xlsx]"',
     '读取 Excel 工作簿需要 openpyxl，但没有安装：pip install "fiscalrules[xlsx]"'),
    ('reading an old Excel workbook (.xls) needs xlrd, which is not installed: pip install "fiscalrules[xls]"',
     '读取旧版 Excel 工作簿（.xls）需要 xlrd，但没有安装：pip install "fiscalrules[xls]"'),
    ('reading an old Word document (.doc) needs olefile, which is not installed: pip install "fiscalrules[doc]"',
     '读取旧版 Word 文档（.doc）需要 olefile，但没有安装：pip install "fiscalrules[doc]"'),
    ("unknown keyword or clause: expected one of ruleset, unit, precision, include, field, rule",
     "未知的关键字：此处应为 ruleset、unit、precision、include、field 或 rule"),
    ("unknown clause inside a rule: expected title, severity, tags, reference, description, message, when, assert, within or example",
     "规则内有未知子句：应为 title、severity、tags、reference、description、message、when、assert、within 或 example"),
    ("a closing bracket has no opening one", "右括号没有对应的左括号"),
    ("comparisons cannot be chained", "比较不能连写"),
    ("a title is written in quotes", "规则标题要加引号"),
    ("{what} (found {found})", "{what}（此处为 {found}）"),
    ("full-width {char} where {ascii} belongs", "此处应为半角 {ascii}，而不是全角 {char}"),
    ("write the ASCII {char} (switch the input method to half-width)", "请改用半角 {char}（把输入法切换到半角）"),
    ("write rule {rule} {title} …", "写成 rule {rule} {title} …"),
    ("unknown unit {unit}", "未知单位 {unit}"),
    ("write each comparison on its own and join them with and: a = b and b = c", "每个比较单独写，用 and 连接：a = b and b = c"),
    ("the label {label} has punctuation a name cannot hold", "标签 {label} 含有名称中不能直接写的标点"),
    ("write it in backquotes: {label}", "请用反引号括起来：{label}"),
    ("unknown keyword {word}", "未知关键字 {word}"),
    ("unknown clause {word}", "未知规则子句 {word}"),
    ("unexpected character {char}", "无法识别的字符 {char}"),
    ("unexpected {found}", "此处不应出现 {found}"),
    ("rule text nested too deeply to read", "规则文本嵌套过深，无法读取"),
    ("expression nested too deeply to read", "表达式嵌套过深，无法读取"),
    ("rule text contains a NUL byte: is this a binary file?", "规则文本含有 NUL 字节：这是二进制文件吗？"),
    ("rule text is not valid UTF-8 (byte {n})", "规则文本不是有效的 UTF-8（字节偏移 {n}，从 0 数起）"),
    ("rule file is not valid UTF-8 (byte {n})", "规则文件不是有效的 UTF-8（字节偏移 {n}，从 0 数起）"),
    ("rule file is not valid UTF-16 (byte {n})", "规则文件不是有效的 UTF-16（字节偏移 {n}，从 0 数起）"),
    ("record file is not valid UTF-16 (byte {n})", "记录文件不是有效的 UTF-16（字节偏移 {n}，从 0 数起）"),
    ("record file is not valid UTF-8 (byte {n}); {why}", "记录文件不是有效的 UTF-8（字节偏移 {n}，从 0 数起）；{why}"),
    ("it reads as GB18030 (GBK, Windows' ANSI for Chinese): save it as UTF-8",
     "该文件是 GB18030（GBK，Windows 中文版的 ANSI）编码：请另存为 UTF-8"),
    ("rule text is too large to be a rule file", "规则文本过大，不像规则文件"),
    ("rule text must be a string, not {type}", "规则文本应为字符串，而不是 {type}"),
    ("rule {rule} has two {kind} clauses", "规则 {rule} 有两个 {kind} 子句"),
    ("unknown severity {word}: use error, warning or info", "未知的严重级别 {word}：应为 error、warning 或 info"),
    ("only a table has columns, not {kind}", "只有 table 才有列，{kind} 没有"),
    ("precision must be greater than zero", "精度必须大于零"),
    ("example record sets {path} inside a value", "示例记录在一个值里面设置了 {path}"),
    # ---- checker
    ("rule {rule} is nested too deeply to check", "规则 {rule} 嵌套过深，无法检查"),
    ("unknown field {name}", "未知字段 {name}"),
    ("{name} is a group of fields, not a value", "{name} 是一组字段，不是一个值"),
    ("unknown function {name}", "未知函数 {name}"),
    ("{name}() takes {n} arguments, got {m}", "{name}() 需要 {n} 个参数，实际给了 {m} 个"),
    ("{name}() takes {n} argument, got {m}", "{name}() 需要 {n} 个参数，实际给了 {m} 个"),
    ("a count is measured in 人, 辆, 次 …, not {unit}", "人数、车辆数等计数的单位是 人、辆、次……，不是 {unit}"),
    ("a field of kind {kind} cannot have the unit {unit}", "{kind} 类型的字段不能用单位 {unit}"),
    ("a field of kind {kind} has no unit", "{kind} 类型的字段没有单位"),
    ("a tolerance is an amount of money or a percentage, not {unit}", "允许误差应为金额或百分比，不是 {unit}"),
    ("cannot add or subtract {a} and {b}", "{a}与{b}不能相加减"),
    ("cannot compare {a} with {b} using {op}", "{a}与{b}不能用 {op} 比较"),
    ("cannot compare {a} with {b}", "{a}与{b}不能比较"),
    ("cannot divide {a} by {b}", "{a}不能除以{b}"),
    ("cannot multiply {a} by {b}", "{a}不能乘以{b}"),
    ("the default unit must be a money unit, not {unit}", "默认单位必须是金额单位，不是 {unit}"),
    ("the fields under {prefix}.* do not share one unit", "{prefix}.* 下的字段单位不一致"),
    ("{name}() mixes {dims}", "{name}() 混用了{dims}"),
    ("a set {…} can only follow in or not in", "集合 {…} 只能用在 in 或 not in 之后"),
    ("only a group of fields can be expanded with .*", "只有一组字段才能用 .* 展开"),
    ("a row is looked up by its code, not by {what}", "表格行按编码查找，不能按{what}"),
    ("count() needs a table or a list, found {what}", "count() 需要表格或列表，此处为{what}"),
    ("expected a condition (true or false), found {what}", "此处应为条件（成立或不成立），实际为{what}"),
    ("expected a number, found {what}", "此处应为数值，实际为{what}"),
    ("for each needs a table or a list, found {what}", "for each 需要表格或列表，此处为{what}"),
    ("only a table can be indexed by code, not {what}", "只有表格能按编码索引，{what}不行"),
    ("{what} has no part named {name}", "{what}没有名为 {name} 的部分"),
    ("{name}() needs a table row, found {what}", "{name}() 需要表格的一行，此处为{what}"),
    ("{name}() works on texts, found {what}", "{name}() 用于文本，此处为{what}"),
    ("{name}() needs a field or a table column, not a computed value", "{name}() 需要字段或表格列，不能是计算出的值"),
    ("round()'s second argument is a whole number of decimal places (0 to 10)", "round() 的第二个参数是保留的小数位数（0 到 10 的整数）"),
    ("rule id {rule} is used twice", "规则编号 {rule} 重复"),
    ("wildcard {prefix}.* matches nothing in the declarations", "通配符 {prefix}.* 在字段声明中没有匹配"),
    ("wildcard {prefix}.* matches no field in the declarations", "通配符 {prefix}.* 在字段声明中没有匹配的字段"),
    ("include cycle: {chain}", "循环引用：{chain}"),
    ("unknown placeholder {name} in the message of rule {rule}", "规则 {rule} 的说明模板里有未知占位符 {name}"),
    ("rule {rule} has no assert clause", "规则 {rule} 缺少 assert 子句"),
    ("cannot include {path} from rule text without a file", "没有文件的规则文本不能引用 {path}"),
    ("include {path} leaves the folder of {file}", "引用 {path} 超出了 {file} 所在的文件夹"),
    ("included file {path} not found", "找不到引用的文件 {path}"),
    ("no bundled ruleset named {name} (bundled: {names})", "没有名为 {name} 的内置规则集（内置：{names}）"),
    ("table {table} has no column {name}", "表格 {table} 没有列 {name}"),
    ("field {path} is declared twice", "字段 {path} 重复声明"),
    ("the key {key} appears twice in an example of rule {rule}", "规则 {rule} 的示例中键 {key} 出现了两次"),
    ("give each key once", "每个键只写一次"),
    ("label {label} already names {path}", "标签 {label} 已用于 {path}"),
    ("unknown column kind {kind}", "未知的列类型 {kind}"),
    ("unknown field kind {kind}", "未知的字段类型 {kind}"),
    # ---- hints
    ("did you mean {name}?", "是不是 {name}？"),
    ("the rules of {name} declare the fields of {parts}, another template's record than this document's ({template}): include bundled {include} instead",
     "规则集 {name} 声明的是 {parts} 的字段，与这份文件的模板（{template}）的记录不同：请改为 include bundled {include}"),
    ("change() is the change in money; the change in percent is {call}", "change() 是金额的增减，百分比的增减请用 {call}"),
    ("a bundled record declares it: add {includes}", "内置记录声明了此字段：请加上 {includes}"),
    ("first at line {n}", "第一次出现在第 {n} 行"),
    ("includes stay beside the including file", "引用的文件须与引用它的文件在同一文件夹内"),
    ("use {left}, {right}, {diff}, {tolerance}, {row}, a field or a cell of the row",
     "可用 {left}、{right}、{diff}、{tolerance}、{row}、字段或本行的单元格"),
    ("kinds: {kinds}", "类型：{kinds}"),
    ("its parts: {parts}", "它包含：{parts}"),
    ("expected {what}", "此处应为 {what}"),
    # ---- records
    ("_meta must be a mapping", "_meta 必须是映射"),
    ("a figure needs a value", "数字缺少 value"),
    ("a record must be a mapping, found {what}", "记录必须是映射，此处为 {what}"),
    ("amounts are written out, not with an exponent: {raw}", "金额要写成普通数字，不能用科学计数法：{raw}"),
    ("amounts must be given as text or Decimal, not float ({raw} has lost its printed decimals; for a DataFrame pass floats=\"printed\" to read floats as printed)",
     "金额应以文本或 Decimal 给出，不能是浮点数（{raw} 已丢失印刷的小数位；DataFrame 可传 floats=\"printed\" 按打印文本读取浮点数）"),
    ("cannot read record file: {why}", "无法读取记录文件：{why}"),
    ("cannot read rule file: {why}", "无法读取规则文件：{why}"),
    ("cell {column} must be a value, not a nested {type}", "单元格 {column} 应为一个值，不能嵌套 {type}"),
    ("{n} record(s) ({names}) hold values of another kind than the rest of their column (a flag beside text, a figure "
     "beside a table): a nested table cannot hold them as they are; evaluate them with evaluate_table(flat) or "
     "evaluate_many",
     "{n} 条记录（{names}）中有与所在列其他值类型不同的值（文字中夹着是/否、表格中夹着数字）：嵌套表无法如实保存；"
     "请用 evaluate_table(flat) 或 evaluate_many 核对"),
    ("code {code} appears twice in the table: the row {row}", "编码 {code} 在表格中出现两次：行 {row}"),
    ("code {code} appears twice in the table", "编码 {code} 在表格中出现两次"),
    ("column names must be strings, found {what}", "列名必须是字符串，此处为 {what}"),
    ("expected a number, found {what}", "此处应为数值，实际为 {what}"),
    ("expected an amount, found {what}", "此处应为金额，实际为 {what}"),
    ("file too large ({n} bytes)", "文件过大（{n} 字节）"),
    ("invalid JSON: {why}", "JSON 格式错误：{why}"),
    ("invalid YAML: {why}", "YAML 格式错误：{why}"),
    ("keys must be non-empty strings, found {what}", "键必须是非空字符串，此处为 {what}"),
    ("not a finite number: {raw}", "不是有限的数：{raw}"),
    ("number out of range for a budget figure: {raw}", "数值超出预算数字的范围：{raw}"),
    ("number written with {n} decimal places, more than the {m} a budget figure may have: {raw}",
     "数值写了 {n} 位小数，超过预算数字最多的 {m} 位：{raw}"),
    ("number has more than {n} significant digits: {raw}", "数值的有效数字超过 {n} 位：{raw}"),
    ("precision must be positive", "精度必须为正数"),
    ("record file is not valid UTF-8 (byte {n})", "记录文件不是有效的 UTF-8（字节偏移 {n}，从 0 数起）"),
    ("the CSV file is not valid UTF-8 (byte {n}: {byte}); save it as CSV UTF-8",
     "CSV 文件不是有效的 UTF-8（字节偏移 {n}，从 0 数起：{byte}）；请另存为“CSV UTF-8”"),
    ("the CSV file is not UTF-8: it is UTF-16 (a byte-order mark or zero bytes in its header); save it as CSV UTF-8",
     "CSV 文件不是 UTF-8，而是 UTF-16（有字节顺序标记或表头中有零字节）；请另存为“CSV UTF-8”"),
    ("record nested too deeply", "记录嵌套过深"),
    ("source must be a mapping", "source 必须是映射"),
    ("source {name} must be a whole number", "source 的 {name} 必须是整数"),
    ("the file holds no record", "文件中没有记录"),
    ("the output {path} is also an input: writing it would destroy it", "输出文件 {path} 也是输入文件：写入会覆盖它"),
    ("internal error (a defect of fiscalrules, not of this input; please report it): {what}; "
     "set FISCALRULES_DEBUG=1 to see the traceback",
     "内部错误（fiscalrules 的缺陷，不是此输入的问题，请报告）：{what}；设置 FISCALRULES_DEBUG=1 可看到调用栈"),
    ("unit must be text, found {what}", "单位必须是文本，此处为 {what}"),
    ("unsupported value {what}", "不支持的值 {what}"),
    ("rule file not found: {path}", "找不到规则文件：{path}"),
    ("no rule file or bundled ruleset named {name} (bundled: {names})", "没有名为 {name} 的规则文件或内置规则集（内置：{names}）"),
    ("the DataFrame has two columns of the same name", "DataFrame 有两列同名"),
    ("columns {a} and {b} both name the field {path}", "列 {a} 和 {b} 都对应字段 {path}"),
    ("columns {a} and {b} both name the column {path}", "列 {a} 和 {b} 都对应表格列 {path}"),
    ("column {column} puts a value inside the figure {part}", "列 {column} 把值放在了数字 {part} 里面"),
    ("column {column} is a group of other columns' fields", "列 {column} 是其他列所属的一组字段"),
    # a frame's cell ({where}: "column 'a' row 3", "table t row 2 column 'a'", translated by _place)
    ("{where} is a binary float ({raw}): it has lost the decimals that were printed. Give amounts as text or Decimal, or pass floats=\"printed\" to read each float through its shortest printed text",
     "{where} 是二进制浮点数（{raw}）：已丢失印刷的小数位。请以文本或 Decimal 给出金额，或传 floats=\"printed\" 按最短打印文本读取浮点数"),
    ("{where} is not a finite number ({raw})", "{where} 不是有限的数（{raw}）"),
    ("{where} holds a value of type {kind}, which is not an amount, a text or a flag",
     "{where} 的值类型为 {kind}，不是金额、文本或标志"),
    ("the key {key} appears twice in one object (which value is meant?)", "同一对象中键 {key} 出现了两次（应取哪个值？）"),
    ("the same figure is given twice: as {first} and as {second} (which value is meant?)",
     "同一个数字给出了两次：{first} 和 {second}（应取哪个值？）"),
    ("the key {key} appears twice in one mapping", "同一映射中键 {key} 出现了两次"),
    ("must be a whole number from 0 to {n}, found {what}", "必须是 0 到 {n} 之间的整数，此处为 {what}"),
    ("a row code must be text or whole digits, found {what}", "行编码必须是文本或整数数字，此处为 {what}"),
    ("a row code must be text or digits, found {what}", "行编码必须是文本或数字，此处为 {what}"),
    ("a row code must be text or digits", "行编码必须是文本或数字"),
    ("_meta must be a mapping, found {what}", "_meta 必须是映射，此处为 {what}"),
    ("must be text (a file name), found {what}", "必须是文本（文件名），此处为 {what}"),
    ("must be text, found {what}", "必须是文本，此处为 {what}"),
    ("must be a list of {section, lines, reason}, found {what}", "必须是 {section, lines, reason} 的列表，此处为 {what}"),
    ("must be a mapping {section, lines, reason}, found {what}", "必须是映射 {section, lines, reason}，此处为 {what}"),
    ("must be [first, last] line numbers, found {what}", "必须是 [起始行, 结束行]，此处为 {what}"),
    ("{text} is written with digits other than 0-9 ({char}, U+{code}): write the amount with 0-9",
     "{text} 使用了 0-9 以外的数字（{char}，U+{code}）：金额请用 0-9 书写"),
    ("{text} is not read as a number: a comma or space separates thousands (1,234.56); a decimal comma (1.234,56) or other grouping is not read",
     "{text} 不按数值读取：逗号或空格只能用作千位分隔（1,234.56）；小数逗号（1.234,56）或其他分组方式不予读取"),
    ("aliases expand this document beyond {n} nodes (nested anchors multiply; write the values out)",
     "别名使本文档展开后超过 {n} 个节点（嵌套的锚点会成倍增长；请直接写出各值）"),
    ("nested too deeply", "嵌套过深"),
    # (the longer first: the shorter one matched the whole, its {path} taking "cannot read disclosure: x")
    ("cannot read {what}: {path} is {kind}, not a regular file", "无法读取{what}：{path} 是{kind}，不是普通文件"),
    ("{path} is {kind}, not a regular file", "{path} 是{kind}，不是普通文件"),
    ("no {suffixes} files in the folder {path}", "文件夹 {path} 中没有 {suffixes} 文件"),
    ("no {suffixes} files in the archive {path}", "压缩包 {path} 中没有 {suffixes} 文件"),
    ("{what} too large: {path} is larger than {size}, the most a {role} may be", "{what}过大：{path} 超过了上限 {size}"),
    ("cannot read disclosure: {why}", "无法读取公开文档：{why}"),
    ("{path} does not exist", "{path} 不存在"),
    ("{path} is a directory, not a file (fiscalrules audit reads the documents in it, as fiscalrules.readers.read_all "
     "does)", "{path} 是文件夹，不是文件（fiscalrules audit 读取其中的文档，fiscalrules.readers.read_all 亦然）"),
    # ---- table files (fiscalrules.columnar.bounds, streaming.read_table_file): decoded-size caps
    ("row group {group} (records {span}) holds at least {rows} table rows for {n} record(s): more than {cap} a record may have",
     "行组 {group}（第 {span} 条记录）共 {n} 条记录，至少有 {rows} 个表格行：超过每条记录的上限 {cap}"),
    ("row group {group} (records {span}) unpacks to {size} for {n} record(s): more than {cap} a record may decode to",
     "行组 {group}（第 {span} 条记录）共 {n} 条记录，解压后为 {size}：超过每条记录解码后的上限 {cap}"),
    ("record {n} has {rows} table rows: more than {cap} a record may have", "第 {n} 条记录有 {rows} 个表格行：超过每条记录的上限 {cap}"),
    ("record {n} decodes to {size}: more than {cap} a record may", "第 {n} 条记录解码后为 {size}：超过每条记录的上限 {cap}"),
    ("this line is longer than {size}, the most a line of a CSV table file may be", "此行超过 {size}，即 CSV 表格文件每行的上限"),
    ("a record is longer than {size}, the most a record of a CSV table file may be",
     "有一条记录超过 {size}，即 CSV 表格文件每条记录的上限"),
    ("this row has {n} cells where the header has {m} ({row}): every row needs one cell per column, an empty one "
     "for an absent figure", "此行有 {n} 个单元格，表头有 {m} 列（{row}）：每行每列都要有一个单元格，没有的数字留空"),
    ("cannot read table: {n} row(s) whose cells are not as many as the header's",
     "无法读取表格：有 {n} 行的单元格数与表头的列数不同"),
    ("cannot read table (records {n} on): {why}", "无法读取表格（第 {n} 条记录起）：{why}"),
    ("cannot read table: {why}", "无法读取表格：{why}"),
    ("line {line} has {n} cells where the header has {m} ({row}): every row needs one cell per column, an empty one "
     "for an absent figure", "第 {line} 行有 {n} 个单元格，表头有 {m} 列（{row}）：每行每列都要有一个单元格，没有的数字留空"),
    # ---- record files and frames read as tables (streaming, frames, the columnar engine)
    ("the file is an Excel workbook, not a CSV file: save it as CSV UTF-8", "该文件是 Excel 工作簿，不是 CSV 文件：请另存为“CSV UTF-8”"),
    ("the CSV file has no header row", "CSV 文件没有表头行"),
    ("cannot read the CSV header row: {why}", "无法读取 CSV 表头行：{why}"),
    ("--format parquet needs -o FILE", "--format parquet 需要 -o FILE"),
    ("a key is given twice in a figure", "一个数字中同一个键给出了两次"),
    ("a key is given twice in a row", "一行中同一个键给出了两次"),
    ("column names must be strings", "列名必须是文本"),
    ("cell {name} must be a value", "单元格 {name} 必须是一个值"),
    ("unit must be text", "单位必须是文本"),
    ("not a regular file", "不是普通文件"),
    ("cannot read a {kind} as a table (expected an Arrow table, a pandas DataFrame or a DuckDB relation)",
     "无法把 {kind} 当作表格读取（应为 Arrow 表、pandas DataFrame 或 DuckDB 关系）"),
    ("column {column} mixes values of type {a} and {b} (row {n}: {value}): give its amounts all as text or Decimal",
     "列 {column} 混有 {a} 和 {b} 两种类型的值（第 {n} 行：{value}）：请把它的金额都以文本或 Decimal 给出"),
    ("{given} is not a table field of ruleset {name}", "{given} 不是规则集 {name} 的表格字段"),
    ("the rows of table {path} need a {key} column naming their record", "表 {path} 的行需要一列 {key} 指明所属记录"),
    ("record ids repeat in the record frame: table rows cannot name their record",
     "记录表中的记录编号有重复：表格行无法指明所属记录"),
    ("{key} of table {path} must be a record's row number (0-based) when the record frame has no id column",
     "记录表没有编号列时，表 {path} 的 {key} 必须是记录的行号（从 0 数起）"),
    ("rows of table {path} name record rows outside 0…{last}", "表 {path} 有行指向 0…{last} 之外的记录行"),
    ("{n} rows of table {path} name no record of the frame (first: {first})",
     "表 {path} 有 {n} 行指向记录表中没有的记录（第一个：{first}）"),
    ("row {n} of table {path} names no record of the frame ({id})", "表 {path} 第 {n} 行指向记录表中没有的记录（{id}）"),
    ("{key} of table {path} must hold positions 1, 2, …", "表 {path} 的 {key} 必须是位置 1、2、…"),
    ("chunk_rows must be a positive number of records (None: the engine's choice), not {value}",
     "chunk_rows 必须是正的记录条数（None：由引擎决定），此处为 {value}"),
    ("a worker process of the columnar engine stopped before finishing its chunk (killed, out of memory, or it could "
     "not start: a main program read from standard input, or without `if __name__ == '__main__':`, cannot be "
     "imported by a worker started by a fork server)",
     "列式引擎的一个工作进程没有完成它的分块就停止了（被终止、内存不足，或无法启动：从标准输入读取的主程序，"
     "或没有 `if __name__ == '__main__':` 的主程序，无法被 fork server 启动的工作进程导入）"),
    ("the Dask cluster returned no result within {s} s ({n} workers connected)",
     "Dask 集群在 {s} 秒内没有返回结果（已连接 {n} 个工作进程）"),
    # ---- documents
    ("cannot read disclosure {path}: {why}", "无法读取公开文档 {path}：{why}"),
    ("{label} is a binary file, not text (extract the text first)", "{label} 是二进制文件，不是文本（请先提取文字）"),
    ("{name} is an OLE2 file holding neither a workbook nor a Word document",
     "{name} 是 OLE2 文件，其中既没有工作簿也没有 Word 文档"),
    ("{name} was saved by Word 95 or earlier: save it as .docx, PDF or text first",
     "{name} 由 Word 95 或更早版本保存：请先另存为 .docx、PDF 或文本"),
    ("{name} is encrypted (password-protected): save it without a password first",
     "{name} 已加密（有密码保护）：请先去掉密码另存"),
    ("{name} is a damaged Word document (.doc) ({why})", "{name} 是损坏的 Word 文档（.doc）（{why}）"),
    ("{name} is a damaged old binary Excel or Word file (.xls, .doc) ({why})",
     "{name} 是损坏的旧版二进制 Excel 或 Word 文件（.xls、.doc）（{why}）"),
    ("{name} is a damaged Excel workbook ({why})", "{name} 是损坏的 Excel 工作簿（{why}）"),
    ("{name} is a damaged Word document ({why})", "{name} 是损坏的 Word 文档（{why}）"),
    ("{name} unpacks to {size} bytes, more than the {limit} a Word document may", "{name} 解压后有 {size} 字节，超过 Word 文档的上限 {limit}"),
    ("{name} declares a DTD or entities, which no Word document does", "{name} 声明了 DTD 或实体，Word 文档不会这样做"),
    ("{name} declares a DTD or entities, which no Office XML document does",
     "{name} 声明了 DTD 或实体，Office 的 XML 文档不会这样做"),
    ("{name} is a damaged Office XML document ({why})", "{name} 是损坏的 Office XML 文档（{why}）"),
    ("{name} is a Word XML package holding no document", "{name} 是不含文档正文的 Word XML 包"),
    ("{name} places a cell or row at {n}, outside its sheet or before the one it follows",
     "{name} 把单元格或行放在第 {n} 位：超出了工作表，或在它前一格（行）之前"),
    ("{name} has sheets of more than {limit} cells", "{name} 的工作表超过 {limit} 个单元格"),
    ("{name} is not an RTF document", "{name} 不是 RTF 文档"),
    ("{name}: the document written out as text is over {size} characters, more than four times its size",
     "{name}：文档写成文本超过 {size} 个字符，是文件大小的四倍以上"),
    ("{name} is a web archive holding no web page", "{name} 是不含网页的网页存档（.mht）"),
    ("{name} is a zip archive of other files, not a document (fiscalrules audit reads each document in it, as "
     "fiscalrules.readers.read_all does; extract --together reads them as one disclosure)",
     "{name} 是装有其他文件的 zip 压缩包，不是文档（fiscalrules audit 逐个读取其中的文档，fiscalrules.readers.read_all "
     "亦然；extract --together "
     "把它们作为一份公开文件读取）"),
    ("{name} is a damaged zip file (a Word document, a workbook or an archive, cut short or corrupted)",
     "{name} 是损坏的 zip 文件（Word 文档、工作簿或压缩包，被截断或已损坏）"),
    ("{name} is a damaged zip archive ({why})", "{name} 是损坏的 zip 压缩包（{why}）"),
    ("{name} holds more than {n} documents", "{name} 包含的文档超过 {n} 份"),
    ("{name} unpacks to {size} bytes, more than the {limit} a document may", "{name} 解压后有 {size} 字节，超过文档的上限 {limit}"),
    ("{name} is damaged in its archive ({why})", "{name} 在压缩包中已损坏（{why}）"),
    ("{name} is encrypted", "{name} 已加密"),
    ("{name} unpacks to {size} bytes, more than the {limit} a workbook may", "{name} 解压后有 {size} 字节，超过工作簿的上限 {limit}"),
    ("{name} has sheets of more than {limit} cells (sheet {sheet} spans {rows} rows × {columns} columns)",
     "{name} 的工作表超过 {limit} 个单元格（工作表 {sheet} 有 {rows} 行 × {columns} 列）"),
    ("{name}: the page written out as text is over {size} characters, more than four times its markup "
     "(cells spanning many columns and rows)",
     "{name}：网页写成文本超过 {size} 个字符，是其标记的四倍以上（单元格跨越的行列过多）"),
    ("{label} is a final-accounts disclosure (决算), not a budget (预算)", "{label} 是决算公开文件，不是预算"),
    ("disclosure {n} of {count} (lines {first}-{last}): {message}", "第 {n} 份公开文件（共 {count} 份，行 {first}-{last}）：{message}"),
    ("{name} holds {n} disclosures itself: it cannot be one part of a disclosure",
     "{name} 本身包含 {n} 份公开文件：不能作为一份公开文件的一部分"),
    ("{n} files given as one disclosure, more than the {cap} one is read from", "作为一份公开文件给出了 {n} 个文件，超过上限 {cap}"),
    ("no file to read as one disclosure", "没有可合起来读的文件"),
    ("{final} is a final-accounts disclosure (决算) and {budget} a budget (预算): they are not parts of one disclosure",
     "{final} 是决算公开文件，{budget} 是预算：它们不是同一份公开文件的几个部分"),
    ("extract reads one file: give --together to read several as the parts of one disclosure",
     "extract 只读一个文件：要把几个文件作为同一份公开文件的几个部分来读，请加 --together"),
    ("{label} holds {n} disclosures, more than the {cap} one file is read as; split it",
     "{label} 含有 {n} 份公开文件，超过单个文件可读取的上限 {cap} 份；请拆分后再读"),
    ("{label} holds {n} disclosures (lines {where}): read them with read_documents",
     "{label} 含有 {n} 份公开文件（行 {where}）：请用 read_documents 逐份读取"),
    ("{label} is empty", "{label} 是空的"),
    ("{label} is a report fiscalrules wrote, not a disclosure", "{label} 是 fiscalrules 写出的核对报告，不是公开文件"),
    ("{label} is a report fiscalrules wrote, not a record file", "{label} 是 fiscalrules 写出的核对报告，不是记录文件"),
    ("{label} is a report fiscalrules wrote, not a table of records", "{label} 是 fiscalrules 写出的核对报告，不是记录表"),
    ("{label} looks like a binary file ({n} control characters)", "{label} 像是二进制文件（含 {n} 个控制字符）"),
    ("{label} is not valid UTF-8 text (byte {n}: {why})", "{label} 不是有效的 UTF-8 文本（字节偏移 {n}，从 0 数起：{why}）"),
    ("{label} is not valid UTF-16 text: {why}", "{label} 不是有效的 UTF-16 文本：{why}"),
    ("cannot read disclosure from a {kind}; give a path, the text, or bytes",
     "无法从 {kind} 读取公开文档：请给出路径、文本或字节串"),
    ("{label} does not look like a budget disclosure (部门预算/单位预算): found {found} of the template's key phrases",
     "{label} 不像是预算公开文件（部门预算/单位预算）：文中找到的模板关键词：{found}"),
    ("{label} is {size} MiB, more than the {cap} MiB a disclosure PDF may have",
     "{label} 有 {size} MiB，超过公开文档 PDF 的上限 {cap} MiB"),
    ("{label} is an encrypted PDF (password required); give the unprotected document",
     "{label} 是加密的 PDF（需要密码）：请提供未加密的文档"),
    ("{label} is not a readable PDF (damaged or not a PDF): {why}", "{label} 不是可读取的 PDF（已损坏或不是 PDF）：{why}"),
    ("{label}: page {n} cannot be read: {why}", "{label}：第 {n} 页无法读取：{why}"),
    ("{label} is a PDF without pages", "{label} 是没有页面的 PDF"),
    ("{name} is a damaged OFD document: OFD.xml names no document (DocBody/DocRoot)",
     "{name} 是损坏的 OFD 文档：OFD.xml 没有指明文档（DocBody/DocRoot）"),
    ("{name} is a damaged OFD document: {part} is missing", "{name} 是损坏的 OFD 文档：缺少 {part}"),
    ("{name} is a damaged OFD document ({why})", "{name} 是损坏的 OFD 文档（{why}）"),
    ("{name} unpacks to more than an OFD document may ({why})", "{name} 解压后超过 OFD 文档的上限（{why}）"),
    ("{name} declares a DTD or entities, which no OFD document does", "{name} 声明了 DTD 或实体，OFD 文档不会这样做"),
    ("{name} has more than {n} pages", "{name} 超过 {n} 页"),
    ("{name} is an OFD document without pages", "{name} 是没有页面的 OFD 文档"),
    ("{name}: the text of its pages runs turned: it is not read", "{name}：其页面文字是旋转排列的，未读取"),
    ("{name} is an OFD document without text (a scan?): none of its {n} page(s) holds text; run OCR first",
     "{name} 是没有文字的 OFD 文档（扫描件？）：{n} 页均无文字；请先做文字识别（OCR）"),
    ("{label}: the text of its pages runs turned (pages printed landscape and rotated): it is not read; "
     "give the PDF with its pages upright",
     "{label}：各页文字为旋转方向（横向打印后旋转的页面），未读取；请提供页面为正向的 PDF"),
    ("{label}: none of its text could be read: it is drawn in a font the PDF does not embed, which this system "
     "lacks; install the font (for Chinese text, a CJK font such as fonts-noto-cjk)",
     "{label}：文字均无法读取：所用字体未嵌入 PDF，本系统也没有该字体；请安装该字体（中文可安装 fonts-noto-cjk 等中日韩字体）"),
    ("{label} has no text layer (a scanned PDF?): none of its {n} page(s) holds text; run OCR first",
     "{label} 没有文字层（扫描件？）：{n} 页中没有一页含有文字；请先进行文字识别（OCR）"),
    # ---- unread parts of documents (readers)
    ("table given only as a reference: {text}", "表格只以“详见附表”等方式提及，未刊印：{text}"),
    ("listed in the table of contents but not printed: {text}", "目录中列出但正文未刊印：{text}"),
    ("printed as a picture, not read", "以图片形式刊印，未读取"),
    ("standard budget tables (收支预算总表, 一般公共预算支出表 …) are not in the text",
     "文本中没有标准预算表（收支预算总表、一般公共预算支出表……）"),
    ("第二部分 预算表 is not in the text: no standard budget table was printed", "文本中没有第二部分 预算表：没有刊印任何标准预算表"),
    ("amount not read: {why}", "金额未读取：{why}"),
    ("table not read: a cell of its rows cannot be read ({why})", "表格未读取：表中有一个单元格无法读取（{why}）"),
    ("value not read: {why}", "数值未读取：{why}"),
    ("row {code} appears a second time in {path}, not read", "{path} 中编码 {code} 的行第二次出现，未读取"),
    ("row {row} has the code {code} of an earlier row ({earlier}) of {path}, not read",
     "{path} 中的行 {row} 与前面的行（{earlier}）编码同为 {code}，未读取"),
    ("includes nested more than {n} files deep ({chain}): {path} is not read",
     "引用嵌套超过 {n} 层（{chain}）：未读取 {path}"),
    ("include the shared files from one main file", "请在一个主文件中引用各共享文件"),
    ("cannot write {path}: {why}", "无法写入 {path}：{why}"),
    ("{path}: cannot write: {why}", "{path}：无法写入：{why}"),
    ("cannot write to standard output: {why}", "无法写入标准输出：{why}"),
    ("amount {value} ({label}) {why}: {text}", "金额 {value}（{label}）{why}：{text}"),
    ("change {value} ({label}) {why}: {text}", "增减额 {value}（{label}）{why}：{text}"),
    ("count {value} ({label}) {why}: {text}", "数量 {value}（{label}）{why}：{text}"),
    ("not mapped to a field", "没有对应的字段"),
    ("of the general budget alone, where the appropriation has other funds too",
     "只是一般公共预算部分，而财政拨款还有其他资金"),
    ("the year's allocation of a fund listed as the appropriation's income, not its spending",
     "财政拨款收入中列出的某类资金当年拨款，不是该类资金的支出"),
    ("completion rate {value}% of a budget not named, where both the initial and the full-year budgets are printed: "
     "not checked", "完成率 {value}% 未写明是对哪个预算数而言，而年初预算和全年预算都已印出：未核对"),
    ("in a section not read ({kind})", "所在部分未读取（{kind}）"),
    ("duplicate of {path} row {code}", "与 {path} 的 {code} 行重复"),
    ("large equipment without a count: {text}", "大型设备没有数量：{text}"),
    ("second {key} figure {n} in a performance table", "绩效表中第二个 {key} 数字 {n}"),
    ("performance table row not read: {text}", "绩效表的行未读取：{text}"),
    ("a row of the {table} not read: {text}", "{table}的行未读取：{text}"),
    ("an appropriation printed by kind (not added up): {text}", "财政拨款按类别列示（未相加）：{text}"),
    ("a table under a title the reader does not know ({n} coded rows not read): {title}",
     "标题未能识别的表格（{n} 行带编码的行未读取）：{title}"),
    ("counts printed under the 三公 table (a table of counts), not read: {text}",
     "“三公”经费表下方所列的实物量（数量表），未读取：{text}"),
    ("{n} table row(s) outside any table the reader knows, not read: {text} …",
     "{n} 行表格行不属于任何已识别的表格，未读取：{text} …"),
    ("no unit printed for this table: its figures are read as 万元", "本表未注明金额单位，按万元读取"),
    ("only the title of this table was found, not the table", "只找到了本表的标题，没有找到表格本身"),
    # (a 部门支出总表 printed unit by unit whose rows cannot be summed: readers/budget/units.py)
    ("table row not understood: {text} (code {code} printed twice in unit {unit} with other figures)",
     "未能理解的表格行：{text}（单位 {unit} 中编码 {code} 出现两次且数字不同）"),
    ("table row not understood: {text} (unit {unit} printed twice with other figures)",
     "未能理解的表格行：{text}（单位 {unit} 出现两次且数字不同）"),
    ("table row not understood: {text} (unit {unit} prints no 科目 rows: the units' rows cannot be summed)",
     "未能理解的表格行：{text}（单位 {unit} 未列出科目行，各单位的科目行无法相加）"),
    ("table row not understood: {text} (an amount that is no number: {amount})",
     "未能理解的表格行：{text}（金额不是数字：{amount}）"),
    ("table row not understood: {text}", "未能理解的表格行：{text}"),
    # (a unit's own table printed after the department's: readers/budget/tables._write_unit_table)
    ("the 合计 of unit {unit}'s own table, not the department's: {text}",
     "单位 {unit} 自身表格的合计（不是部门的合计）：{text}"),
    ("row of unit {unit}'s own table, not checked: {text}", "单位 {unit} 自身表格的行（未核对）：{text}"),
    ("row of unit {unit}'s own table, not read: the own table of unit {other} was read in part: {text}",
     "单位 {unit} 自身表格的行未读取：单位 {other} 自身的同类表格未能完整读取（各单位无法完整相加）：{text}"),
    ("row not read: {n} other row(s) of this table were not understood: {text}",
     "此行未读取：本表另有 {n} 行未能理解：{text}"),
    ("row not read: {n} other line(s) of this table were not understood: {text}",
     "此行未读取：本表另有 {n} 行未能理解：{text}"),
    ("row not read: {n} other row(s) of this table could not be placed: {text}",
     "此行未读取：本表另有 {n} 行的数字无法对应到列：{text}"),
    ("{n} figure columns, the figures of this row cannot be placed (a blank cell leaves no trace in "
     "single-spaced text): {text}",
     "本表有 {n} 个数字列，此行的数字无法对应到列（单空格分隔的文本中空白单元格不留痕迹）：{text}"),
    ("row {code} printed a second time, not read: {text}", "编码 {code} 的行第二次出现，未读取：{text}"),
    ("row not read: code {code} is printed again with other figures in this table: {text}",
     "行未读取：本表中编码 {code} 再次出现且数字不同（表中可能按单位分组）：{text}"),
    ("line inside the table not understood: {text}", "表格内未能理解的行：{text}"),
    ("row not read: a figure stands under a column whose header was not understood ({header}): {text}",
     "此行未读取：有数字落在表头未能理解的列下（{header}）：{text}"),
    ("columns not understood: {text}", "未能理解的表头各列：{text}"),
    ("staff table not read: no row of counts: {title}", "人员情况表未读取：没有人数行：{title}"),
    ("staff table not read: several rows and no 合计 row: {title}", "人员情况表未读取：有多行而没有合计行：{title}"),
    ("staff table not read: a count under a column whose header was not understood ({header}): {title}",
     "人员情况表未读取：有人数落在表头未能理解的列下（{header}）：{title}"),
    ("staff table not read: two columns read as {path}: {title}", "人员情况表未读取：两列都读作 {path}：{title}"),
    ("staff table row not read (only the 合计 row is read): {row}", "人员情况表的这一行未读取（只读取合计行）：{row}"),
    ("staff table not read: {text} is no count of people: {title}", "人员情况表未读取：{text} 不是人数：{title}"),
    ("figures under a column whose header was not understood, not read ({header}): {text}",
     "列未识别，其数字未读取（{header}）：{text}"),
    ("two-sided income/expenditure table: its two sides were not found", "收支两栏的表格：没有找到收入栏和支出栏"),
    ("two-sided table: its columns were not found: {text}", "收支两栏的表格：没有找到各列：{text}"),
    ("a figure under a column of neither side: {text}", "有数字落在收入栏、支出栏以外的列下：{text}"),
    ("income side of the row not understood: {text}", "此行的收入栏未能理解：{text}"),
    ("expenditure side of the row not understood: {text}", "此行的支出栏未能理解：{text}"),
    ("income side not read: text without column positions, a row could not be placed: {text}",
     "收入栏未读取：文本没有列的位置，有一行无法归入各列：{text}"),
    ("expenditure side not read: text without column positions, a row could not be placed: {text}",
     "支出栏未读取：文本没有列的位置，有一行无法归入各列：{text}"),
    ("income side not read: text without column positions, a row could not be placed (of its totals line, its 合计 "
     "only read): {text}", "收入栏未读取：文本没有列的位置，有一行无法归入各列（其合计行只读取了合计）：{text}"),
    ("expenditure side not read: text without column positions, a row could not be placed (of its totals line, its "
     "合计 only read): {text}", "支出栏未读取：文本没有列的位置，有一行无法归入各列（其合计行只读取了合计）：{text}"),
    ("table row read in part (its 合计 only): {text}", "表格行只读取了一部分（只读取合计）：{text}"),
    ("two-sided table: its header (项目 … 项目) was not found", "收支两栏的表格：没有找到表头（项目 … 项目）"),
    ("two-sided line: its figures cannot be given to the income or the expenditure side: {text}",
     "收支两栏的行：其数字无法归入收入栏或支出栏：{text}"),
    ("two-sided table: a part printed beside it on another page (its figure columns alone), its lines not matched "
     "to the table's lines, not read: {text}",
     "收支两栏的表格：在另一页横向续印的部分（只有数字栏），其各行无法与本表各行对应，未读取：{text}"),
    ("a part printed beside the table on another page (its figure columns alone), its rows not matched to the "
     "table's rows, not read: {text}",
     "在另一页横向续印的表格部分（只有数字栏），其各行无法与本表各行对应，未读取：{text}"),
    ("三公 table: a unit's line beside the department's 合计 (the 合计 is read, the units' lines are not): {text}",
     "“三公”经费表：部门合计行之外的单位行（已读取合计行，未读取各单位行）：{text}"),
    ("two-sided line: a budget column stands beside the final figures, which figure is which is not told: {text}",
     "收支两栏的行：决算数旁另有预算数一栏，无法分辨哪个数字是决算数：{text}"),
    ("two-sided line: a budget column (年初预算数 / 调整预算数) beside the final figures, the record has no place for "
     "it in this table, its figures not read: {text}",
     "收支两栏的行：决算数旁的预算数一栏（年初预算数/调整预算数）在本表的记录中没有对应字段，其数字未读取：{text}"),
    ("basic expenditure table not read (a line of it could not be placed in a panel): {text}",
     "基本支出表未读取（有一行无法归入任何一栏）：{text}"),
    ("figures no row of the table took, not read: {text}", "表中数字未归入任何一行，未读取：{text}"),
    ("row not read: the table's rows could not be placed: {text}", "此行未读取：本表各行无法归入各列：{text}"),
    ("{n} line(s) of table cells outside any table the reader knows, not read: {text} …",
     "{n} 行表格数字不在任何已识别的表格内，未读取：{text} …"),
    ("two-sided line: a label the template does not print, its figures not read: {text}",
     "收支两栏的行：模板中没有此栏目名称，其数字未读取：{text}"),
    ("two-sided line: a 总计 whose side has a line not read (not kept to be checked): {text}",
     "收支两栏的行：此栏有一行未读取，其总计不作核对：{text}"),
    ("a project's 绩效自评表: its funds line's figures do not stand one under each column of its header: {text}",
     "项目绩效自评表：资金行的数字与表头各列不能一一对应：{text}"),
    ("a project's 绩效自评表 in the 情况说明: its indicators (一级 / 二级 / 三级指标, 年度指标值, 实际完成值) are not read",
     "情况说明中的项目绩效自评表：其绩效指标（一级、二级、三级指标，年度指标值，实际完成值）未读取"),
    ("fund columns not placed (the header's four columns were not found, or two figures stand under one): {text}",
     "资金来源各列未能对应（没有找到表头的四列，或两个数字落在同一列下）：{text}"),
    ("no 合计 / 决算数 column found in the header: {text}", "表头中没有找到合计/决算数列：{text}"),
    ("a table under a title not recognised: {text}", "未能识别标题的表格：{text}"),
    ("三公 table: its 统计数 (counts of groups, persons, vehicles and receptions), not amounts, not read",
     "“三公”经费表的统计数（团组、人次、车辆、接待批次等数量）不是金额，未读取"),
    ("三公 table (items as rows): row not placed: {text}", "三公经费表（项目按行排列）：此行无法归入各列：{text}"),
    ("三公 table: figures not on one line of 预算数/决算数 pairs, not read: {text}",
     "三公经费表：数字不在同一行的预算数/决算数对中，未读取：{text}"),
    ("三公 table: {n} figures where 12 (预算数/决算数 × 6) are printed, not placed under their columns",
     "三公经费表：有 {n} 个数字，而应刊印 12 个（预算数/决算数 × 6），无法对应到各列"),
    ("a count by post type (管理 / 专业技术 / 工勤技能), not a category of the group: not read",
     "按岗位类别（管理 / 专业技术 / 工勤技能）的人数，不是人员类别，未读取"),
    ("share {pct}% of another amount than the procurement total, not checked: {text}",
     "占比 {pct}% 是相对政府采购总额以外的金额而言，未核对：{text}"),
    ("a 项 the narrative names has no code (not in the classification nor in the table): not compared with the table: {text}",
     "情况说明中的项级科目未能编码（功能分类和决算表中都没有）：未与表格核对：{text}"),
    ("item {n} ({name}): no amount found: {text}", "第 {n} 项（{name}）：没有找到金额：{text}"),
    ("item {n} names code {code} again; not keyed", "第 {n} 项再次使用编码 {code}，未按编码归入"),
    ("indicator cell not placed on a row: {text}", "指标单元格无法归入任何一行：{text}"),
    ("{name} of the row \"{row}\" not certain (merged cell without ruling lines; it could be {text}): the row is read without it",
     "“{row}”行的{name}不能确定（合并单元格且没有表格线，可能是 {text}）：该行读取时不含此项"),
    ("page {n} has no text layer (a scanned image?): nothing on it was read", "第 {n} 页没有文字层（扫描图像？）：该页内容均未读取"),
    ("sheet {sheet}: formulas saved without their values, read as blank cells: {cells}; open the workbook in Excel or "
     "WPS and save it, then read it again",
     "工作表 {sheet}：公式未保存计算结果，按空白单元格读取：{cells}；请用 Excel 或 WPS 打开并保存工作簿后再读取"),
    ("page {n}: its text runs turned (a landscape page rotated inside the PDF): nothing on it was read",
     "第{n}页文字为旋转方向，未读取（横向页面在文件中被旋转）"),
    ("page {n}: text that may be set in columns (its columns not told apart from a table's): each line read in parts, "
     "one per side of the gap, never across it; check its reading order",
     "第{n}页可能为分栏排版（未能确定是分栏文字还是表格）：各行按空白两侧分开读取，数字不跨栏连读；请核对其阅读顺序"),
    ("page {n}: {m} piece(s) of text could not be read: drawn in a font the PDF does not embed, which this system lacks ({zh})",
     "第 {n} 页：{m} 处文字未能读出：PDF 未嵌入该字体，本系统也没有该字体"),
    ("duplicate of {path}: {value} (kept {kept})", "与 {path} 重复：{value}（保留 {kept}）"),
    ("indicator text without a target value: {text}", "指标没有目标值：{text}"),
    ("project {name}: no 年度预算安排 amount found", "项目 {name}：没有找到年度预算安排金额"),
    ("functions: {names}", "可用函数：{names}"),
    # ---- evaluation reasons
    ("precondition is false", "前提条件不成立"),
    ("precondition needs missing figures", "前提条件所需数字缺失"),
    ("missing: {paths}", "缺少：{paths}"),
    ("the row filter needs: {paths}", "行筛选条件缺少：{paths}"),
    ("no rows to check", "没有可核对的行"),
    ("division by zero: {expr} is 0", "除数为零：{expr} 为 0"),
    ("min()/max() of nothing", "min()/max() 没有可比较的值"),
    ("{path} is {raw}, not true or false", "{path} 为 {raw}，不是“是”或“否”"),
    ("{path} is {raw}, not a number", "{path} 为 {raw}，不是数值"),
    ("{path} is {raw}, not a text", "{path} 为 {raw}，不是文本"),
    ("{path} is in no unit, but it is declared as money", "{path} 没有单位，但它声明为金额"),
    ("{path} is in {unit}, but it is declared as money", "{path} 的单位是 {unit}，但它声明为金额"),
    ("{path} is in {unit}, but it is declared as a count", "{path} 的单位是 {unit}，但它声明为计数"),
    ("{path} is in {unit}, but it is declared as a percentage", "{path} 的单位是 {unit}，但它声明为百分比"),
    # ---- command line
    ("interrupted", "已中断"),
)

# Parts that vary inside messages but are themselves words (types, dimensions, expected tokens).
FRAGMENTS = {
    "none": "无",
    "a number": "数值", "a text": "文本", "a condition": "条件", "money": "金额", "a percentage": "百分比",
    "a plain number": "普通数值", "a count": "计数", "a list": "列表", "a table row": "表格行", "a table": "表格",
    "a value": "值", "end of input": "文件结尾", "a name": "名称", "a string": "带引号的文字",
    "a unit": "单位", "a comparison": "比较符号", "a rule id": "规则编号", "pass or fail": "pass 或 fail",
    "pass, fail, not applicable or not evaluable": "pass、fail、not applicable 或 not evaluable",
    "a `quoted name`": "`反引号名称`", "an operator": "运算符", "a closing bracket": "右括号",
    "the end of the rule": "规则结尾", "')'": "')'", "':'": "':'", "','": "','", "'{'": "'{'", "'('": "'('",
    "'}'": "'}'", "']'": "']'", "default": "default", "…": "……",
    # section kinds of the disclosure reader (readers/sections.py), named in unread reasons
    "glossary": "名词解释", "duties": "部门职责", "headcount": "机构设置及人员情况", "three_public": "“三公”经费",
    "narrative": "收支预算情况说明", "appropriation": "财政拨款收支情况", "project": "项目情况说明",
    "income": "收入预算", "expenditure": "支出预算", "gov_fund": "政府性基金", "state_capital": "国有资本经营预算",
    "operating_costs": "机关运行经费", "procurement": "政府采购", "assets": "国有资产占有使用情况",
    "performance_text": "绩效目标说明", "other": "其他部分", "overview": "概况", "tables": "预算表",
    "glossary_balance": "名词解释中的收支口径",
    # what the bounded reader refuses, and the files it reads
    "a directory": "目录", "a FIFO (named pipe)": "命名管道（FIFO）", "a device": "设备文件", "a socket": "套接字",
    "record file": "记录文件", "rule file": "规则文件", "disclosure": "公开文档", "table file": "表格文件",
    "No such file or directory": "文件不存在", "No space left on device": "磁盘空间已满",
    "Permission denied": "没有权限", "Is a directory": "是目录",
    "Too many levels of symbolic links": "符号链接层数过多（链接成环）",
}


def _compile(template: str) -> tuple[re.Pattern[str], list[str]]:
    names: list[str] = []
    pattern = ""
    for part in re.split(r"(\{[a-z_]+\})", template):
        if re.fullmatch(r"\{[a-z_]+\}", part):
            names.append(part[1:-1])
            pattern += f"(?P<{part[1:-1]}>.+?)"
        else:
            pattern += re.escape(part)
    return re.compile(f"^{pattern}$", re.DOTALL), names


@functools.cache
def _affixes() -> tuple[tuple[str, str], ...]:
    """Each template's literal text before its first and after its last ``{part}``: a message
    can match a template only if it starts and ends with them, so most templates are ruled out
    without compiling their pattern (compiling all of them cost a CLI run ~20 ms)."""
    out = []
    for en, _ in CATALOG:
        head, brace, _rest = en.partition("{")
        out.append((head, en[en.rindex("}") + 1:] if brace else ""))
    return tuple(out)


@functools.cache
def _pattern(index: int) -> re.Pattern[str]:
    return _compile(CATALOG[index][0])[0]


def _candidates(text: str):
    """(pattern, Chinese) of the templates that may match *text*, in the catalog's order."""
    for index, (head, tail) in enumerate(_affixes()):
        if text.startswith(head) and text.endswith(tail) and len(text) >= len(head) + len(tail):
            yield _pattern(index), CATALOG[index][1]


def _fragment(text: str) -> str:
    """A varying part: a known fragment, a list of them ("a, b or c"), or itself."""
    if text in FRAGMENTS:
        return FRAGMENTS[text]
    parts = re.split(r", | or ", text)
    if len(parts) > 1 and all(p in FRAGMENTS or p.startswith("'") or re.fullmatch(r"[a-z]+", p) for p in parts):
        return "、".join(FRAGMENTS.get(p, p) for p in parts[:-1]) + " 或 " + FRAGMENTS.get(parts[-1], parts[-1])
    return text


_PLACES = (   # where in a frame a value is, as frames.py names it before saying what is wrong
    (re.compile(r"^column (?P<column>'.*') row (?P<n>\d+)$", re.DOTALL), "第 {n} 行的列 {column}"),
    (re.compile(r"^table (?P<path>\S+) row (?P<n>\d+) column (?P<column>'.*')$", re.DOTALL), "表 {path} 第 {n} 行的列 {column}"),
)


def _place(text: str) -> str:
    """A cell's place ("column 'a' row 3") in Chinese; any other text as it is."""
    for pattern, zh in _PLACES:
        match = pattern.match(text)
        if match:
            return zh.format(**match.groupdict())
    return text


# Parts that are names the user wrote or chose -- a field, a label, a file, a rule's id, a table or
# its column -- shown as written: a field named ``income`` is not the section word 收入预算, nor a
# file named ``other`` 其他部分.
_VERBATIM = frozenset({"name", "path", "label", "file", "table", "column", "key", "rule", "given"})


def _part(name: str, value: str) -> str:
    """A varying part: whole sentences (a reason, a nested message) through the catalog, words
    through the fragments."""
    if name in ("message", "what", "why") and value not in FRAGMENTS:
        translated = to_zh(value)
        if translated != value:
            return translated
    if name == "where":
        return _place(value)
    if name in _VERBATIM:
        return value
    if name == "includes":   # (include lines, "… or …")
        return value.replace(" or ", " 或 ")
    if name == "suffixes":   # file suffixes listed in English (".json or .yaml", ".txt, .pdf or .html"): 、 between them
        return value.replace(" or ", "、").replace(", ", "、")
    return _fragment(value)


@functools.lru_cache(maxsize=4096)
def to_zh(text: str) -> str:
    """The Chinese of an English message of the catalog, its varying parts carried over; a text
    the catalog does not know comes back unchanged."""
    if not text or not text.isascii() and not re.search(r"[A-Za-z]{3}", text):
        return text
    located = re.match(r"^(?P<message>.+) at (?P<path>\S+)$", text, re.DOTALL)
    if located:  # a RecordError: "message at path.inside.record"
        head = to_zh(located.group("message"))
        if head != located.group("message"):
            return f"{head}（位置：{located.group('path')}）"
    for pattern, zh in _candidates(text):
        match = pattern.match(text)
        if match is None:
            continue
        values = {k: _part(k, v) for k, v in match.groupdict().items()}
        return re.sub(r"\{([a-z_]+)\}", lambda m: values.get(m.group(1), m.group(0)), zh)
    return text


def has_translation(text: str) -> bool:
    """True when :func:`to_zh` knows *text* (or it is already Chinese)."""
    return to_zh(text) != text or not re.search(r"[A-Za-z]{4,} [A-Za-z]{2,}", text)


_ERROR_LINE = re.compile(r"^(?P<where>.*?: )?(?P<code>E\d{3}|FR\d{3}): (?P<message>.*)$")


def translate_error(text: str, lang: str | None) -> str:
    """A formatted error (``file: E300: message`` and its excerpt lines) with the message of each
    line in *lang*; the location and the code stay as they are."""
    if lang != "zh" or not text:
        return text
    out = []
    for line in text.split("\n"):
        match = _ERROR_LINE.match(line)
        out.append(f"{match.group('where') or ''}{match.group('code')}：{to_zh(match.group('message'))}"
                   if match else line)
    return "\n".join(out)


def translate(text: str | None, lang: str | None) -> str | None:
    """*text* in *lang*: Chinese through the catalog, else as written (English)."""
    if text is None or lang != "zh":
        return text
    return to_zh(text)


# ---- English names of figures (zh → en) -----------------------------------------------------------
# A figure's label, its table's and its column's are Chinese (the disclosure's own words, declared
# in the rulesets); an English report names them in English.  Labels are compounds of a few
# terms, so the glossary holds the terms (longest first when they overlap) and a label is put
# together term by term; one with a word the glossary lacks (a row's own name, a place) stays as
# printed -- half-translated names help no one.
NAME_TERMS: dict[str, str] = {
    # tables and parts of a disclosure
    "收支预算总表": "budget summary table", "收入支出决算总表": "final accounts summary table",
    "财政拨款收支总表": "appropriation summary table", "部门收入总表": "department income table",
    "部门支出总表": "department expenditure table", "部门基本情况表": "department profile table",
    "项目支出绩效目标表": "project performance targets table", "整体绩效目标表": "overall performance targets table",
    "项目支出预算表": "project expenditure budget table", "政府采购预算表": "government procurement budget table",
    "基本支出决算表": "basic expenditure final accounts table", "支出决算表": "expenditure final accounts table",
    "收入决算表": "income final accounts table", "决算表": "final accounts table", "支出表": "expenditure table",
    "基本支出表": "basic expenditure table", "预算表": "budget table", "表": "table",
    "项目情况说明": "project statement", "文中写明的上年数": "prior-year figure stated in the text",
    "文中年份": "year in the text", "绩效指标": "performance indicator", "指标数值": "indicator value",
    "具体情况": "details", "结构情况所述": "as stated in the structure", "具体情况所述": "as stated in the details",
    "具体情况分项所述": "as itemised in the details", "支出按功能科目": "expenditure by function",
    "支出按经济分类": "expenditure by economic class", "按功能科目": "by function", "按经济分类": "by economic class",
    "按单位": "by unit", "各单位科目": "classes of each unit",
    # budgets and funds
    "一般公共预算": "general public budget", "政府性基金预算": "government fund budget",
    "国有资本经营预算": "state capital operation budget", "国有资本经营": "state capital operation",
    "政府性基金": "government fund", "财政拨款": "appropriation", "拨款": "appropriation",
    "“三公”经费": "\"three public\" expenses", "三公经费": "\"three public\" expenses",
    "机关运行经费": "administrative operating costs", "日常公用经费": "daily public expenses",
    "本部门": "the department's", "部门": "department", "单位": "unit", "所属各单位": "subordinate units",
    # income and expenditure
    "收入预算总额": "total income budget", "支出预算总额": "total expenditure budget",
    "政府采购预算总额": "total government procurement budget", "政府采购支出总额": "total government procurement expenditure",
    "政府采购总额": "total government procurement", "收入总计": "total income", "支出总计": "total expenditure",
    "收入支出总计": "total income and expenditure", "本年收入合计": "income of the year", "本年支出合计": "expenditure of the year",
    "本年收入": "income of the year", "本年支出": "expenditure of the year", "收入": "income", "支出": "expenditure",
    "事业收入": "business income", "事业单位经营收入": "operating income of public institutions",
    "经营收入": "operating income", "经营支出": "operating expenditure", "其他收入": "other income",
    "上级补助收入": "subsidy from the superior", "附属单位上缴收入": "income turned over by affiliated units",
    "上缴上级支出": "payments to the superior", "对附属单位补助支出": "subsidies to affiliated units",
    "使用非财政拨款结余": "use of non-appropriation balances", "教育收费": "education fees",
    "上年结转": "carry-over from last year", "年初结转和结余": "carry-over and balance at the start of the year",
    "年末结转和结余": "carry-over and balance at the end of the year", "结转和结余": "carry-over and balance",
    "结余分配": "distribution of balances", "年初": "start-of-year", "年末": "end-of-year",
    "基本支出": "basic expenditure", "项目支出": "project expenditure", "人员经费": "personnel costs",
    "公用经费": "public expenses", "其他资金": "other funds", "其他经费": "other funds", "资金": "funds",
    "年度资金总额": "annual funds", "年度预算安排": "annual budget", "预算安排": "budget allocation",
    "政府采购": "government procurement", "货物": "goods", "服务": "services", "工程": "works",
    "货物类": "goods", "服务类": "services", "工程类": "works", "采购金额": "procurement amount",
    "预算金额": "budget amount", "面向中小企业预留的项目预算金额": "budget reserved for small and medium enterprises",
    "政府购买服务": "government purchase of services",
    # three public expenses, vehicles
    "因公出国（境）费": "official travel abroad", "因公出国(境)费": "official travel abroad",
    "公务接待费": "official reception", "公务用车购置及运行维护费": "official vehicle purchase and operation",
    "公务用车购置费": "official vehicle purchase", "公务用车运行维护费": "official vehicle operation and maintenance",
    "公务用车": "official vehicles", "共有车辆": "vehicles in total", "部门共有车辆": "department's vehicles in total",
    "一般公务用车": "general official vehicles", "执法执勤用车": "law enforcement vehicles", "其他用车": "other vehicles",
    # amounts, columns and comparisons
    "合计": "total", "是否印出": "printed", "小计": "subtotal", "总计": "grand total", "金额": "amount", "上年数": "prior-year figure",
    "上年预算数": "prior-year budget", "上年决算数": "prior-year final accounts", "上年执行数": "prior-year outturn",
    "增减额": "change", "增减（%）": "change (%)", "增减百分比": "change (%)", "占比（%）": "share (%)", "占比": "share",
    "预算数": "budget", "决算数": "final accounts", "年初预算": "initial budget", "年初预算数": "initial budget",
    "调整预算数": "adjusted budget", "全年预算": "full-year budget", "支出决算": "expenditure outturn",
    "决算": "final accounts", "预算": "budget", "比年初预算数": "against the initial budget",
    "比预算": "against the budget", "完成年初预算的比例": "share of the initial budget spent",
    "完成预算的比例": "share of the budget spent", "完成率": "completion rate",
    "本年收入的构成": "composition of the year's income", "本年支出的构成": "composition of the year's expenditure",
    "其中：": "of which: ", "其中": "of which ",
    # staff
    "编制人数": "authorized staff", "实有人数": "actual staff", "在职人数": "staff in post", "离休人数": "retired cadres",
    "退休人数": "retirees", "遗属人数": "survivors supported",
}

_NAME_PUNCTUATION = {"·": " · ", "（": " (", "）": ")", "(": " (", ")": ")", "、": ", ", "：": ": "}


def name_en(text: str | None) -> str | None:
    """The English of a figure's, table's or column's Chinese name, put together from
    :data:`NAME_TERMS` (``一般公共预算支出表·基本支出`` → ``general public budget expenditure table
    · basic expenditure``); a name with a word the glossary lacks comes back as printed."""
    if not text or text.isascii():
        return text
    return _name_en(text)


@functools.lru_cache(maxsize=1024)
def _name_en(text: str) -> str:
    words: list[str] = []
    i, n = 0, len(text)
    longest = max(map(len, NAME_TERMS))
    while i < n:
        for size in range(min(longest, n - i), 0, -1):
            term = NAME_TERMS.get(text[i:i + size])
            if term is not None:
                words.append(term)
                i += size
                break
        else:
            ch = text[i]
            if ch in _NAME_PUNCTUATION:
                words.append(_NAME_PUNCTUATION[ch])
            elif ch.isascii():   # a code, a digit: one word with the ASCII before it
                if words and words[-1][-1:].isascii() and i and text[i - 1].isascii():
                    words[-1] += ch
                else:
                    words.append(ch)
            else:
                return text   # a word the glossary lacks: the name as printed
            i += 1
    out = ""
    for word in words:   # terms apart by a space; punctuation and ASCII (codes, digits) as they come
        if out and not out.endswith((" ", "(")) and word[:1].isalnum() and (out[-1].isalnum() or out[-1] in '")'):
            out += " "
        out += word
    return re.sub(r"\s+", " ", out).strip()
