"""The HTML part of a message, made from the page: styles inline, no script, no image, no link that
leads nowhere from a mail program.

From the rendered agenda or minutes page it drops the breadcrumbs, the style sheet link and the
page's Content-Security-Policy, whatever is marked `screen-only` or `page-only` (the calendar link:
the invitation comes with the message; the page's 'sent' status), the KPI charts (pictures a mail
program would fetch or block; the KPI table beside them holds every value) and any image; it keeps
web and mailto links and turns relative links into their text; and it copies each rule of
`templates/site/mail.css` into the style attribute of the elements it selects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html

MAIL_CSS = "mail.css"
COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
COMPOUND = re.compile(r"^(?P<tag>[a-z][a-z0-9]*)?(?P<classes>(?:\.[A-Za-z0-9_-]+)*)$")
REMOVED = ("//header[contains(concat(' ', @class, ' '), ' site ')]", "//link", "//script", "//img", "//style",
           "//meta[@http-equiv]", "//*[contains(concat(' ', @class, ' '), ' screen-only ')]",
           "//*[contains(concat(' ', @class, ' '), ' page-only ')]",
           "//*[contains(concat(' ', @class, ' '), ' charts ')]")
KEPT_LINKS = ("http://", "https://", "mailto:")
ROLE_DASH = "\u2014\u00a0"
"""What the page's style sheet puts before a person's role (`.role::before`), written out for mail."""


@dataclass(frozen=True)
class Rule:
    """One selector of the mail style sheet and its declarations."""

    compounds: tuple[tuple[str | None, frozenset[str]], ...]
    """(tag or None, classes) for each step, outermost first."""
    declarations: tuple[tuple[str, str], ...]
    order: int

    @property
    def specificity(self) -> tuple[int, int, int]:
        """Return (classes, elements, order): the later and more specific rule wins."""
        return (sum(len(c) for _, c in self.compounds), sum(1 for t, _ in self.compounds if t), self.order)


def parse_css(text: str) -> list[Rule]:
    """Return the rules of a simple style sheet, or raise ValueError at a selector it cannot apply."""
    rules: list[Rule] = []
    for block in COMMENT.sub("", text).split("}"):
        if not block.strip():
            continue
        selectors, _, body = block.partition("{")
        declarations = tuple((name.strip(), value.strip()) for name, _, value in
                             (part.partition(":") for part in body.split(";") if part.strip()))
        for selector in selectors.split(","):
            steps = []
            for step in selector.split():
                match = COMPOUND.match(step)
                if match is None:
                    raise ValueError(f"mail.css: the selector {selector.strip()!r} is not an element, classes "
                                     "or a descendant of them")
                classes = frozenset(c for c in match.group("classes").split(".") if c)
                steps.append((match.group("tag"), classes))
            rules.append(Rule(tuple(steps), declarations, len(rules)))
    return rules


def mail_html(page: str, css: str) -> str:
    """Return the page's HTML as a mail body: see the module's docstring."""
    document = lxml.html.document_fromstring(page)
    for path in REMOVED:
        for element in document.xpath(path):
            element.drop_tree()
    for link in document.xpath("//a[@href]"):
        if not link.get("href", "").startswith(KEPT_LINKS):
            link.drop_tag()
    for role in document.xpath("//*[contains(concat(' ', @class, ' '), ' role ')]"):
        role.text = ROLE_DASH + (role.text or "")
    rules = sorted(parse_css(css), key=lambda rule: rule.specificity)
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        style: dict[str, str] = {}
        for rule in rules:
            if _matches(element, rule.compounds):
                style.update(rule.declarations)
        if style:
            element.set("style", "; ".join(f"{name}: {value}" for name, value in style.items()))
    html: str = lxml.html.tostring(document, encoding="unicode", doctype="<!DOCTYPE html>")
    return html + "\n"


def _matches(element: lxml.html.HtmlElement, compounds: tuple[tuple[str | None, frozenset[str]], ...]) -> bool:
    """Return True when `element` is selected: it matches the last step, and its ancestors the others in order."""
    *outer, last = compounds
    if not _is(element, last):
        return False
    ancestor = element.getparent()
    for step in reversed(outer):
        while ancestor is not None and not _is(ancestor, step):
            ancestor = ancestor.getparent()
        if ancestor is None:
            return False
        ancestor = ancestor.getparent()
    return True


def _is(element: lxml.html.HtmlElement, step: tuple[str | None, frozenset[str]]) -> bool:
    """Return True when `element` has the step's tag (if any) and all its classes."""
    tag, classes = step
    if tag is not None and element.tag != tag:
        return False
    return classes <= set((element.get("class") or "").split())
