"""Published pages carry no active content from notes: known HTML-sanitiser evasion vectors go through
meeting notes and, in real headless Chromium, none of them runs.

Two layers are checked. The sanitiser alone: each vector's rendered HTML is put into a harness page
WITHOUT a Content-Security-Policy, whose flag any executed payload would change (and a positive control
shows the same payloads, unsanitised, do change it). The whole pipeline: the vectors in a meeting's
notes and front matter, built into pages that must load without script errors, whose CSP allows no
inline script (shown by injecting one into a built page: it must not run).

Locally these skip when Chromium is missing; under CI=true they fail instead.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from generator.cli import main
from generator.meetings.notes import render_notes
from tests.test_meetings_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    TEMPLATES,
    XSS_ACCOUNT,
    need,
)

pytestmark = pytest.mark.browser

VECTORS = [
    "<script>pwn(1)</script>",
    "<SCRIPT SRC=data:text/javascript,pwn(2)></SCRIPT>",
    "<scr<script>ipt>pwn(3)</scr</script>ipt>",
    "<script/xss>pwn(4)</script>",
    "<<script>pwn(5);//<</script>",
    "<img src=x onerror=pwn(6)>",
    '<img src=x onerror="pwn(7)"/>',
    '<IMG SRC="javascript:pwn(8);">',
    "<img src=`x` onerror=pwn(9)>",
    '<img """><script>pwn(10)</script>">',
    "<svg onload=pwn(11)>",
    "<svg><script>pwn(12)</script></svg>",
    "<svg><animate onbegin=pwn(13) attributeName=x dur=1s></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=pwn(14)>",
    '<iframe src="javascript:parent.pwn(15)"></iframe>',
    '<iframe srcdoc="<script>parent.pwn(16)</script>"></iframe>',
    '<object data="javascript:parent.pwn(17)"></object>',
    '<embed src="javascript:parent.pwn(18)">',
    '<a id="v19" href="javascript:pwn(19)">link</a>',
    '<a id="v20" href="JaVaScRiPt:pwn(20)">link</a>',
    '<a id="v21" href="jav&#x09;ascript:pwn(21)">link</a>',
    '<a id="v22" href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;pwn(22)">link</a>',
    '<a id="v23" href=" javascript:pwn(23)">link</a>',
    "[markdown link](javascript:pwn(24))",
    "[markdown link](JAVASCRIPT:pwn(25))",
    "[data link](data:text/html;base64,PHNjcmlwdD5wYXJlbnQucHduKDI2KTwvc2NyaXB0Pg==)",
    "![image](javascript:pwn(27))",
    '<a id="v28" href="data:text/html,<script>parent.pwn(28)</script>">link</a>',
    '<div style="background:url(javascript:pwn(29))">styled</div>',
    '<div style="width:expression(pwn(30))">expression</div>',
    "<style>@import 'javascript:pwn(31)';</style>",
    "<body onload=pwn(32)>",
    "<details open ontoggle=pwn(33)><summary>s</summary>d</details>",
    "<input autofocus onfocus=pwn(34)>",
    "<marquee onstart=pwn(35)>m</marquee>",
    "<video><source onerror=pwn(36)></video>",
    "<audio src=x onerror=pwn(37)>",
    '<form action="javascript:pwn(38)"><button id="v38">go</button></form>',
    '<base href="javascript:pwn(39)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:pwn(40)">',
    '<link rel=stylesheet href="javascript:pwn(41)">',
    "<p onclick=pwn(42) onmouseover=pwn(42)>hover me</p>",
    '<table background="javascript:pwn(43)"><tr><td>t</td></tr></table>',
    '<!--<img src="--><img src=x onerror=pwn(44)//">',
    '<noscript><p title="</noscript><img src=x onerror=pwn(45)>"></noscript>',
    "`<script>pwn(46)</script>` stays code",
    '<a href="https://example.com/" onclick="pwn(47)">real link</a>',
    "<xss onpointerenter=pwn(48) style=display:block>custom tag</xss>",
    "<template><script>pwn(49)</script></template>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;pwn(50)>",
    "<img src=x onerror=pwn(51)",
    "<javascript:pwn(52)>",
    "[reference][x]\n\n[x]: javascript:pwn(53)",
    '<svg><a xlink:href="javascript:pwn(54)"><text x="0" y="15">svg link</text></a></svg>',
    "<a href='vbscript:pwn(55)'>vb</a>",
    "<img src=x:alert(1) onerror=eval(atob('cHduKDU2KQ=='))>",
    '<div onmouseenter="pwn(57)" tabindex=0 onfocusin="pwn(57)">focus</div>',
    "<select autofocus onfocus=pwn(58)><option>o</option></select>",
    "<keygen autofocus onfocus=pwn(59)>",
    '<object data="data:text/html,<script>parent.pwn(60)</script>"></object>',
]
"""Evasion vectors (OWASP XSS filter-evasion cheat sheet and mutation-XSS classics); each calls pwn(N)."""

HARNESS = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>harness</title>
<script>document.documentElement.dataset.flag = "intact";
function pwn(n) { document.documentElement.dataset.flag = "pwned"; (window.ran = window.ran || []).push(n); }
document.addEventListener("click", function (e) {
  var a = e.target.closest && e.target.closest("a[href]");
  if (a && /^(https?|mailto):/i.test(a.getAttribute("href").trim())) e.preventDefault();
}, true);</script></head><body>{body}</body></html>"""
"""A page WITHOUT CSP whose flag any payload that runs changes; real links are kept from navigating away."""

PROVOKE = """(skipLinks) => {
  for (const el of document.querySelectorAll("body *")) {
    if (skipLinks && el.closest("a")) continue;
    for (const type of ["mouseover", "mouseenter", "pointerenter", "focus", "focusin", "click"]) {
      el.dispatchEvent(new MouseEvent(type, {bubbles: true, cancelable: true}));
    }
    if (el.focus) el.focus();
  }
}"""
"""Hover, focus and click every element, so that handlers needing a user would run too (links optional)."""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module (skips locally without it, fails under CI=true)."""
    need(CHROMIUM.exists(), f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def payloads_run(browser: Any, body: str) -> list[int]:
    """Return the numbers of the payloads that ran when `body` was shown in the harness and provoked."""
    page = browser.new_page()
    try:
        page.set_content(HARNESS.replace("{body}", body), wait_until="load")
        page.wait_for_timeout(300)
        page.evaluate(PROVOKE, False)
        page.wait_for_timeout(300)
        if page.evaluate("document.documentElement.dataset.flag") == "intact":
            return []
        return sorted(set(page.evaluate("window.ran || []")))
    finally:
        page.close()


def test_the_harness_detects_payloads_that_run(browser: Any) -> None:
    """Positive control: unsanitised, many of the vectors do run in Chromium, so the flag is a real witness."""
    ran = payloads_run(browser, "\n".join(f"<div>{v}</div>" for v in VECTORS))
    assert len(ran) >= 15, ran


def test_no_evasion_vector_survives_the_sanitiser(browser: Any) -> None:
    """Every vector rendered as meeting notes, alone and all together, runs nothing in a page without CSP."""
    rendered = [render_notes(vector) for vector in VECTORS]
    assert payloads_run(browser, "\n".join(rendered)) == []
    together = render_notes("\n\n".join(VECTORS))
    assert payloads_run(browser, together) == []
    for html in rendered + [together]:
        assert_no_active_markup(html)


def assert_no_active_markup(html: str) -> None:
    """Assert the HTML has no script-capable element, no event handler, no style, and only http(s)/mailto links."""
    if not html.strip():
        return
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        assert element.tag not in {"script", "style", "iframe", "object", "embed", "svg", "math", "img", "form",
                                   "base", "meta", "link", "input", "template"}, html
        assert not [name for name in element.attrib if name.lower().startswith("on") or name == "style"], html
        for name in ("href", "src", "action", "background", "data"):
            value = element.get(name)
            if value is not None:
                assert re.match(r"^(https?:|mailto:|#|[^:]*$)", value.strip(), re.I), (name, value)


MEETING = """---
title: Review <script>pwn('title')</script>
purpose: Check that <img src=x onerror="pwn('purpose')"> stays text.
date: 2026-12-10
start: "09:00"
duration: 30
call_link: https://meet.example/xss
location: <svg onload="pwn('location')">
lead: Ann Lee
minutes_owner: Ann Lee
dry_run: 2026-12-03
participants:
  provider: [Ann Lee]
  customer: [Bo Chen]
agenda:
  - topic: Everything <b onmouseover="pwn('topic')">bold</b>
    owner: Ann Lee
    duration: 30
    details: <a href="javascript:pwn('details')">details</a>
---
## Notes with every vector

{vectors}
"""


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site whose one account's meeting holds every vector in its notes and front matter."""
    base = tmp_path_factory.mktemp("xss-site")
    meetings = base / "content" / "accounts" / "zz-vectors" / "meetings"
    meetings.mkdir(parents=True)
    (meetings.parent / "account.yaml").write_text(XSS_ACCOUNT, encoding="utf-8")
    notes = "\n\n".join(VECTORS).replace("pwn(", "document.documentElement.dataset.flag=(")
    (meetings / "2026-12-10-review.md").write_text(MEETING.replace("{vectors}", notes), encoding="utf-8")
    assert main(["build", "--content", str(base / "content"), "--output", str(base / "output"),
                 "--templates", str(TEMPLATES), "--as-of", "2026-11-23"]) == 0
    return base / "output" / "site"


def test_built_pages_run_nothing_and_report_no_blocked_script(xss_site: Path, browser: Any) -> None:
    """The built pages load with no page error and no CSP violation: nothing even tried to run."""
    for path in sorted(xss_site.rglob("*.html")):
        page = browser.new_page()
        events: list[str] = []
        page.on("console", lambda m: events.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: events.append(str(e)))
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_timeout(200)
        page.evaluate(PROVOKE, True)
        hrefs = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.protocol)")
        assert set(hrefs) <= {"http:", "https:", "mailto:", "file:"}, hrefs
        flag = page.evaluate("document.documentElement.dataset.flag")
        page.close()
        assert flag is None, f"a payload ran in {path.name}"
        assert events == [], (path.name, events)
        body = lxml.html.fromstring(path.read_bytes()).find("body")
        assert_no_active_markup(lxml.html.tostring(body, encoding="unicode"))


def csp_of(path: Path) -> dict[str, list[str]]:
    """Return the Content-Security-Policy meta tag of a page as directive -> sources."""
    metas = lxml.html.fromstring(path.read_bytes()).xpath(
        "//head/meta[translate(@http-equiv, 'CONTENT-SECURITYPOLICY', 'content-securitypolicy')"
        "='content-security-policy']")
    assert len(metas) == 1, f"{path.name} has {len(metas)} CSP meta tags"
    policy: dict[str, list[str]] = {}
    for directive in metas[0].get("content").split(";"):
        if directive.strip():
            name, *sources = directive.split()
            policy[name.lower()] = sources
    return policy


def test_every_page_has_a_csp_that_allows_no_script(example_output: Path) -> None:
    """Every page's CSP meta tag forbids script of any origin (inline included) and plugins."""
    for path in sorted((example_output / "site").rglob("*.html")):
        policy = csp_of(path)
        script = policy.get("script-src", policy.get("default-src"))
        assert script == ["'none'"], (path.name, policy)
        assert policy.get("default-src") == ["'none'"]
        assert policy.get("object-src", policy["default-src"]) == ["'none'"]
        assert "script-src-elem" not in policy and "script-src-attr" not in policy
        text = " ".join(" ".join(v) for v in policy.values())
        assert "unsafe-inline" not in text and "unsafe-eval" not in text and "data:" not in text
        head = path.read_text(encoding="utf-8").split("<head>", 1)[1]
        assert head.index("Content-Security-Policy") < head.index("<title>"), "CSP must come before any content"


def test_csp_blocks_inline_script_injected_into_a_built_page(example_output: Path, browser: Any,
                                                            tmp_path: Path) -> None:
    """Defence in depth: were the sanitiser bypassed, the page's CSP still keeps inline script from running."""
    site = tmp_path / "site"
    shutil.copytree(example_output / "site", site)
    page_path = next(iter(sorted(site.rglob("agenda.html"))))
    html = page_path.read_text(encoding="utf-8")
    injected = ('<script>document.documentElement.dataset.flag="inline"</script>'
                '<img src="x" onerror="document.documentElement.dataset.flag=\'handler\'">'
                '<a id="js" href="javascript:document.documentElement.dataset.flag=\'link\'">js</a>')
    page_path.write_text(html.replace("<main>", "<main>" + injected, 1), encoding="utf-8")
    page = browser.new_page()
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text))
    page.goto(page_path.as_uri(), wait_until="load")
    page.click("#js")
    page.wait_for_timeout(300)
    flag = page.evaluate("document.documentElement.dataset.flag")
    page.close()
    assert flag is None
    assert any("Content Security Policy" in text for text in blocked), blocked
