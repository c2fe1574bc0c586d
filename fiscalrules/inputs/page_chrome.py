"""A portal page's chrome: what of a web page is the site around the disclosure, not the disclosure.

A budget published as an article on a government portal is framed by the site: its header and
menu, the breadcrumb (当前位置：首页 > 政府信息公开 > …), the article's information box (索引号,
信息分类, 发布机构, 发文日期, 文号), the line under the title (发布时间, 来源, 浏览次数, 字体：[大 中 小]),
the print and close links (【打印本页】【关闭窗口】) and the footer (网站地图, 主办单位 / 承办单位,
网站标识码, the ICP and 公网安备 registration numbers, 版权所有).  None of it is the document: read
as its text, a footer's "黔ICP备XXXXXXXX号" is a template placeholder and its figures join the
disclosure's.

:mod:`.html` leaves out what the page's structure marks as chrome (its ``nav``, the page's own
``header`` / ``footer`` / ``aside``, ARIA landmarks, and all outside the article's container where
the page has one).  What a page lays out in plain ``div`` elements is told here by the portal
boilerplate's own vocabulary, the same on every portal whatever its markup: :func:`is_chrome_line`
takes a line (a block's text, or a table row's cells) for chrome when it is made of nothing but
those labels with their values and those links -- a line with any other Chinese text, or an
amount, is the document's.
"""

from __future__ import annotations

import re

__all__ = ["is_chrome_line"]


def _spaced(word: str) -> str:
    """*word* as a pattern allowing spaces between its letters ("索 引 号" centred in a box)."""
    return r"[ \u3000]*".join(map(re.escape, word))


# Labels of the site's metadata, each followed by a colon and its value (up to the next white
# space): the information box, the line under the title, the footer's owners and contacts.
_LABELS = ("索引号", "主题分类", "信息分类", "组配分类", "体裁分类", "发布机构", "发文机关", "发文日期", "成文日期",
           "发布日期", "发布时间", "生成日期", "公开日期", "文号", "发文字号", "是否有效", "有效性", "公开方式",
           "公开范围", "公开时限", "信息来源", "来源", "作者", "责任编辑", "编辑", "浏览次数", "访问次数", "点击数",
           "阅读次数", "浏览量", "访问量", "主办单位", "主办", "承办单位", "承办", "协办单位", "技术支持", "维护单位",
           "网站标识码", "网站识别码", "版权所有", "地址", "联系地址", "联系电话", "电话", "传真", "邮编", "邮箱",
           "电子邮箱", "今天是", "今天", "分享到", "关键词", "上一篇", "下一篇")
# A breadcrumb's label: its value is the rest of the line (首页 > 政府信息公开 > …).
_WHERE = r"(?:您(?:当前|现在)?(?:的|所在(?:的)?)?位置|当前位置|所在位置)"
# Links and notices standing alone (in brackets, between bars).
_LINKS = ("网站地图", "联系我们", "关于我们", "隐私声明", "隐私政策", "网站声明", "免责声明", "版权声明", "使用帮助",
          "打印本页", "打印此页", "打印正文", "打印", "关闭窗口", "关闭本页", "关闭", "返回顶部", "返回首页", "收藏本页",
          "加入收藏", "设为首页", "无障碍浏览", "无障碍", "长者模式", "适老化模式", "关怀版", "繁体版", "简体版",
          "繁體", "智能问答", "纠错", "我要纠错", "扫一扫在手机打开当前页", "扫一扫", "字体", "字号", "首页")
_CHROME = re.compile(
    r"(?:%s)[ \u3000]*[：:].*$" % _WHERE
    # the type size chooser: 字体：[大 中 小], 【字号：大 中 小】
    + r"|字[ \u3000]*[体号][ \u3000]*[：:]?[ \u3000]*[\[【(（]?[ \u3000]*大[ \u3000]*中[ \u3000]*小[ \u3000]*[\]】)）]?"
    + r"|(?:%s)[ \u3000]*[：:][ \u3000]*[^ \t\u3000|｜]*" % "|".join(_spaced(label) for label in _LABELS)
    # the registration numbers: 京ICP备05070218号-1, 黔公网安备 52040202000000号
    + r"|[\u4e00-\u9fff]?ICP[备證证][ \u3000]*[\w-]*?号(?:-\d+)?|[\u4e00-\u9fff]?公网安备[ \u3000]*[\w-]*?号"
    + r"|(?:Copyright|版权所有|©|\(c\))[^\t]*$"
    + r"|(?:%s)" % "|".join(map(re.escape, sorted(_LINKS, key=len, reverse=True))),
    re.IGNORECASE)
# A site's menu printed as one line: 首页 and its sections, words only (no punctuation, no figure).
_MENU = re.compile(r"^首页[ \u3000|｜/·>›»\u4e00-\u9fff]{2,80}$")
_CJK = re.compile(r"[\u3400-\u9fff]")
_AMOUNT = re.compile(r"\d\.\d")


def is_chrome_line(line: str) -> bool:
    """Whether *line* (a table row's cells joined by tabs) is the site's chrome: every cell holds
    nothing but the portal's labels with their values and its links (see the module)."""
    cells = [cell.strip() for cell in line.split("\t") if cell.strip()]
    return bool(cells) and all(_chrome_cell(cell) for cell in cells)


def _chrome_cell(text: str) -> bool:
    if _MENU.match(text):
        return True
    rest, found = _CHROME.subn(" ", text)
    # (nothing else of Chinese text and no amount: "16:30" of a time, "All Rights Reserved" may stay)
    return found > 0 and not _CJK.search(rest) and not _AMOUNT.search(rest)


# -- the page's structure ---------------------------------------------------------------------------
# Landmarks of the site, not of the article: a menu anywhere, and the page's own header, footer and
# side column (inside an article or a section a header / footer is that part's own: kept).
_SITE_ROLES = frozenset(("navigation", "banner", "contentinfo", "search", "complementary"))
_PAGE_LEVEL = frozenset(("header", "footer", "aside"))
#: Elements that open a part of the page whose header and footer are its own.
SECTIONING = frozenset(("article", "main", "section"))


def is_site_landmark(tag: str, attrs, sectioned: bool) -> bool:
    """Whether the element *tag* (*attrs* as the parser gives them) is the site's: a ``nav``, an
    ARIA landmark of the site, or a ``header`` / ``footer`` / ``aside`` not inside a part of the
    page (*sectioned*)."""
    if tag == "nav" or (tag in _PAGE_LEVEL and not sectioned):
        return True
    return any(name == "role" and (value or "").strip().lower() in _SITE_ROLES for name, value in attrs)


def is_article_container(tag: str, attrs) -> bool:
    """Whether the element holds the page's article: ``main``, ``article``, or an element given the
    role ``main`` / ``article`` or the microdata property ``articleBody``."""
    if tag in ("main", "article"):
        return True
    return any((name == "role" and (value or "").strip().lower() in ("main", "article"))
               or (name == "itemprop" and (value or "").strip() == "articleBody") for name, value in attrs)


def article_lines(lines: list[str], spans: list[list[int]], own: set[int]) -> list[str]:
    """The page's *lines* without its chrome: where the article's containers (*spans*, line ranges)
    hold most of the page's text, only their lines and *own* (the page's title and its headings
    ``h1``); then without the lines made of the portal's vocabulary (:func:`is_chrome_line`).  A
    blank line left after a line dropped goes too, so a page without chrome reads as before."""
    inside = [False] * len(lines)
    for start, end in spans:
        for number in range(start, min(end, len(lines))):
            inside[number] = True
    within = sum(len(line) for line, kept in zip(lines, inside) if kept)
    by_container = bool(spans) and 2 * within >= sum(map(len, lines))
    out: list[str] = []
    dropped = False
    for number, line in enumerate(lines):
        if not line:
            if not (dropped and (not out or not out[-1])):
                out.append(line)
            continue
        if (by_container and not inside[number] and number not in own) or is_chrome_line(line):
            dropped = True
            continue
        out.append(line)
        dropped = False
    return out
