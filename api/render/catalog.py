"""Keeping the message catalog in step with the code: extract, update, check.

`python -m api.render.catalog` extracts every marked word (babel.cfg: Python, the Jinja
templates, the page scripts; the keywords below) into `api/locale/trasa.pot`, then
updates each language's `.po` from it (new msgids come in untranslated, gone ones go).
The same as the two pybabel commands in docs/words.md. `--check` changes nothing and
exits 1 when the `.pot` is not what the code says or a language lacks a translation
(Polish: of every msgid; Ukrainian: of every word a worker reads, `WORKER_FILES`).
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from api.render.words import DOMAIN, LOCALE_DIR, languages, po_path

ROOT = LOCALE_DIR.parents[1]
POT = LOCALE_DIR / f"{DOMAIN}.pot"
# Python: _ gettext ngettext pgettext N_ (Babel's defaults) and the command line's own;
# the page scripts: t, nt (plural), tc (with a context).
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "N_": None, "cli_gettext": None, "cli_ngettext": (1, 2),
            "t": None, "nt": (1, 2), "tc": ((1, "c"), 2)}


def extract(root: Path = ROOT) -> Catalog:
    """Every marked word under `root` (the repository), as babel.cfg maps the files."""
    with (root / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    catalog = Catalog(project="Trasa", domain=DOMAIN, msgid_bugs_address="-",
                      copyright_holder="Trasa")
    for filename, lineno, message, comments, context in extract_from_dir(
            str(root), method_map, options_map, keywords=KEYWORDS,
            strip_comment_tags=True):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments,
                    context=context)
    return catalog


def msgids(catalog: Catalog) -> set[tuple[str | None, str]]:
    return {(m.context, str(m.id[0] if m.pluralizable else m.id)) for m in catalog if m.id}


# What a worker reads: the phone page (with the base page, the log-in and the pairing
# page, their scripts and titles), the route sheets (PDF, HTML, CSV, the map) and the
# calendar. A language in PARTIAL needs a translation of every msgid used there; Polish,
# of every msgid.
WORKER_FILES = frozenset({
    "api/web/static/my-day.js", "api/web/static/field-buttons.js",
    "api/web/static/field-queue.js", "api/web/static/common.js", "api/web/static/login.js",
    "api/web/static/pair.js", "api/web/templates/base.html.j2",
    "api/web/templates/my_day.html.j2", "api/web/templates/login.html.j2",
    "api/web/templates/pair.html.j2", "api/web/router.py",
    "api/render/route_sheet.py", "api/render/sheet_csv.py", "api/render/sheet_html.py",
    "api/render/templates/route_sheet.html.j2", "api/render/route_map.py",
    "api/render/ics.py"})
PARTIAL = {"uk": WORKER_FILES}


def required(language: str, message: Message) -> bool:
    """Whether `language` must translate `message` (every msgid, or a worker's)."""
    scope = PARTIAL.get(language)
    return scope is None or any(path in scope for path, _ in message.locations)


def untranslated(language: str) -> list[str]:
    """The msgids `language` must translate (`required`) without a (complete)
    translation, or fuzzy."""
    with po_path(language).open("rb") as po:
        catalog = read_po(po, locale=language)
    return [str(m.id) for m in catalog if m.id and required(language, m) and (
        m.fuzzy or not (all(m.string or ()) if m.pluralizable else m.string))]


def update() -> None:
    template = extract()
    with POT.open("wb") as out:
        write_po(out, template, width=100, sort_by_file=True)
    for language in languages()[1:]:
        path = po_path(language)
        with path.open("rb") as po:
            catalog = read_po(po, locale=language)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        with path.open("wb") as out:
            write_po(out, catalog, width=100, sort_by_file=True)


def check() -> list[str]:
    problems = []
    with POT.open("rb") as pot:
        kept = msgids(read_po(pot))
    found = msgids(extract())
    problems += [f"not in trasa.pot: {m}" for m in sorted(found - kept, key=str)]
    problems += [f"in trasa.pot, not in the code: {m}" for m in sorted(kept - found, key=str)]
    for language in languages()[1:]:
        problems += [f"{language}: no translation of {m!r}" for m in untranslated(language)]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m api.render.catalog",
                                     description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--check", action="store_true", help="change nothing; report")
    args = parser.parse_args(argv)
    if not args.check:
        update()
    problems = check()
    out = io.StringIO()
    for line in problems:
        print(line, file=out)
    sys.stdout.write(out.getvalue())
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
