"""No word a person reads is written outside the message catalog.

Three scans, each shown to catch a planted word first:
- Jinja templates (pages, sheets, reports): the text between tags and the attributes
  people read (alt, title, aria-label, placeholder) outside `{% trans %}` blocks and
  `_()` calls hold no letters (the brand "Trasa" and "CUS" aside);
- the page scripts: a string literal that is not the msgid of `t()`, `nt()` or `tc()`
  and reads as words (Polish letters, a capitalised word, a sentence) is refused;
  technical strings (ids, classes, URLs, HTTP) pass;
- Python under `api/`: no string literal outside docstrings carries Polish letters; the
  two that are data, not words, are named below with their reason.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from jinja2 import Environment

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = sorted((ROOT / "api").glob("**/templates/*.j2"))
SCRIPTS = sorted((ROOT / "api" / "web" / "static").glob("*.js"))
PYTHON = sorted(p for p in (ROOT / "api").rglob("*.py") if "locale" not in p.parts)

LETTERS = re.compile(r"[A-Za-zĄĆĘŁŃÓŚŹŻąćęłńóśźż]")
POLISH = re.compile(r"[ĄĆĘŁŃÓŚŹŻąćęłńóśźż]")
NAMES = re.compile(r"\b(Trasa|CUS)\b")  # the program's and the project's names
READ_ATTRIBUTES = re.compile(r"\b(alt|title|aria-label|placeholder)\s*=\s*\"([^\"]*)\"")
# Python literals with Polish letters that are data, not words shown in a language:
DATA = {
    ("api/services/erasure.py", "[usunięto]"):
        "the marker stored in place of erased personal data (one value in every record)",
    ("api/schemas/folding.py", "\u0142"): "a letter a search folds to l (Unicode keeps it whole)",
    ("api/schemas/folding.py", "\u0141"): "the same letter's capital",
}
DATA_FILES = {"api/app/routers/csv_io.py": "an example CSV body in the OpenAPI document"}


# --------------------------------------------------------------------------- templates

def template_words(source: str) -> list[str]:
    """What a template says outside the catalog: text and read attributes, with no
    `{% trans %}` block, expression or tag of Jinja in them."""
    outside: list[str] = []
    depth = 0
    tokens = [t for t in Environment(extensions=["jinja2.ext.i18n"]).lex(source)
              if t[1] != "whitespace"]
    for k, (_, kind, value) in enumerate(tokens):
        if kind == "name" and tokens[k - 1][1] == "block_begin":
            depth += {"trans": 1, "endtrans": -1}.get(value, 0)
        if kind == "data" and depth == 0:
            outside.append(value)
        elif kind != "data" and (not outside or outside[-1] != "\x00"):
            outside.append("\x00")  # where Jinja stood: no word runs across it
    html = "".join(outside)
    html = re.sub(r"<(style|script)\b.*?</\1>", "", html, flags=re.S | re.I)
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)
    said = [value for _, value in READ_ATTRIBUTES.findall(html)]
    said += re.sub(r"<[^>]*>", "\x00", html).split("\x00")
    said = [re.sub(r"&\w+;|&#\d+;", " ", NAMES.sub("", s)).strip() for s in said]
    return [s for s in said if LETTERS.search(s)]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_templates_say_nothing_outside_trans_blocks(path: Path) -> None:
    assert template_words(path.read_text(encoding="utf-8")) == []


def test_the_template_scan_finds_a_raw_word() -> None:
    assert template_words('<button type="submit">Zapisz</button>') == ["Zapisz"]
    assert template_words('<img src="x.png" alt="Mapa trasy">') == ["Mapa trasy"]
    assert template_words("<p>{{ n }} osób</p>") == ["osób"]
    assert template_words("{% trans %}Save{% endtrans %} <b>{{ _('Menu') }}</b>"
                          "<style>b { color: red }</style>") == []


# ----------------------------------------------------------------------------- scripts

STRING = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`")
COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
CATALOG_CALL = re.compile(r"\b(?:t|nt|tc)\(\s*$|\b(?:nt|tc)\(\s*\"[^\"]*\",\s*$")
TECHNICAL = {"Bearer ", "Content-Type", "Authorization", "If-Match", "Enter", "Tab", "POST",
             "DELETE", "GET", "Leaflet", "use strict"}  # HTTP, keys, the map library, the directive
CLASSES = re.compile(r"(\bclass:|className\s*=|classList\.\w+\()\s*$")


def script_words(source: str) -> list[str]:
    """String literals of a script that read as words and are not catalog msgids."""
    code = COMMENT.sub(lambda m: " " * len(m.group()), source)
    found = []
    for match in STRING.finditer(code):
        text = match.group()[1:-1]
        before = code[max(0, match.start() - 200):match.start()]
        if CATALOG_CALL.search(before) or CLASSES.search(before):
            continue
        if text in TECHNICAL or not LETTERS.search(text):
            continue
        sentence = re.search(r"[A-Za-ząćęłńóśźż]{2,}\s+[a-ząćęłńóśźż]{2,}.*[.:!?…]\s*$", text)
        capitalised = re.match(r"[A-ZĄĆĘŁŃÓŚŹŻ][a-ząćęłńóśźż]+\b", text)
        phrase = re.fullmatch(r"\s*[a-ząćęłńóśźż]{2,}(\s+[a-ząćęłńóśźż]{2,})+[\s.:,]*", text)
        if POLISH.search(text) or sentence or capitalised or phrase:
            found.append(text)
    return found


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_scripts_say_nothing_outside_the_catalog(path: Path) -> None:
    assert script_words(path.read_text(encoding="utf-8")) == []


def test_the_script_scan_finds_a_raw_word() -> None:
    assert script_words('say("Zapisz");') == ["Zapisz"]
    assert script_words('el("p", {text: "plan is saved."});') == ["plan is saved."]
    assert script_words('x.title = "nowa godzina";') == ["nowa godzina"]
    assert script_words('marker({alt: "Baza: " + name});') == ["Baza: "]
    assert script_words('say(t("Saved {n}", {n: 1})); el("span", {class: "kpi-note ok"});'
                        ' nt("{n} route", "{n} routes", n); tc("plan", "draft");'
                        ' headers["Content-Type"] = "application/json";') == []


# ------------------------------------------------------------------------------ python

def polish_literals(source: str) -> list[str]:
    """String literals with Polish letters, docstrings left out."""
    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef
                                | ast.AsyncFunctionDef)
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings and POLISH.search(node.value)]


@pytest.mark.parametrize("path", PYTHON, ids=lambda p: str(p.relative_to(ROOT)))
def test_python_writes_no_polish_outside_the_catalog(path: Path) -> None:
    relative = path.relative_to(ROOT).as_posix()
    if relative in DATA_FILES:
        return
    found = polish_literals(path.read_text(encoding="utf-8"))
    assert [s for s in found if (relative, s) not in DATA] == []


def test_the_python_scan_finds_a_raw_word() -> None:
    assert polish_literals('"""Pól."""\nLABEL = "wózek"\nx = f"{n} osób"\n') == ["wózek",
                                                                                  " osób"]
