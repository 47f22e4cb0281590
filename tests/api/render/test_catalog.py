"""The catalog is in step with the code: every marked word is in `trasa.pot`, every msgid
has its Polish (and every word a worker reads its Ukrainian), placeholders survive
translation, and Polish and Ukrainian count with three forms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from api.render import catalog
from api.render.words import languages, ngettext, po_path

PLACEHOLDER = re.compile(r"\{\w+\}|%\(\w+\)s")


def test_the_template_holds_exactly_the_words_the_code_marks() -> None:
    with catalog.POT.open("rb") as pot:
        kept = catalog.msgids(read_po(pot))
    found = catalog.msgids(catalog.extract())
    assert found - kept == set(), "run `python -m api.render.catalog` (docs/words.md)"
    assert kept - found == set()
    assert len(found) > 400


@pytest.mark.parametrize("language", languages()[1:])
def test_every_msgid_has_a_translation(language: str) -> None:
    assert catalog.untranslated(language) == []


@pytest.mark.parametrize("language", languages()[1:])
def test_translations_keep_every_placeholder(language: str) -> None:
    with po_path(language).open("rb") as po:
        messages = [m for m in read_po(po, locale=language) if m.id]  # "": not translated
    wrong = []
    for m in messages:
        ids = m.id if m.pluralizable else (m.id,)
        strings = m.string if m.pluralizable else (m.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        wrong += [(ids[0], s) for s in strings if s and set(PLACEHOLDER.findall(s)) != wanted
                  and not (m.pluralizable and set(PLACEHOLDER.findall(s)) == wanted - {"{n}"})]
    assert wrong == []


def test_polish_has_the_three_plural_forms_of_its_header() -> None:
    with po_path("pl").open("rb") as po:
        polish = read_po(po, locale="pl")
    assert polish.num_plurals == 3
    assert polish.plural_expr.replace(" ", "") == (
        "(n==1?0:n%10>=2&&n%10<=4&&(n%100<10||n%100>=20)?1:2)")
    plurals = [m for m in polish if m.id and m.pluralizable]
    assert plurals and all(len(m.string) == 3 for m in plurals)


def test_ukrainian_has_its_three_plural_forms_and_every_word_a_worker_reads() -> None:
    with po_path("uk").open("rb") as po:
        ukrainian = read_po(po, locale="uk")
    assert ukrainian.num_plurals == 3
    assert [ngettext("{n} seated", "{n} seated", n, "uk").format(n=n)
            for n in (1, 2, 5, 11, 21, 22)] == [
        "1 сидячий", "2 сидячі", "5 сидячих", "11 сидячих", "21 сидячий", "22 сидячі"]
    worker_words = [m for m in ukrainian if m.id and catalog.required("uk", m)]
    assert len(worker_words) > 100  # the phone page, route sheets, calendar
    files = {path for m in worker_words for path, _ in m.locations}
    assert files >= {"api/web/static/my-day.js", "api/web/static/pair.js",
                     "api/render/templates/route_sheet.html.j2", "api/render/sheet_csv.py",
                     "api/render/ics.py", "api/render/route_sheet.py"}
    assert catalog.untranslated("uk") == []
    assert all(m.string for m in worker_words)


def test_the_ukrainian_check_finds_a_worker_word_left_untranslated(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch
                                                                   ) -> None:
    """The check bites: a worker's word with no Ukrainian is reported, a coordinator's
    page word is not required."""
    with po_path("uk").open("rb") as po:
        ukrainian = read_po(po, locale="uk")
    ukrainian["My day"].string = ""
    coordinators = next(m for m in ukrainian if m.id and not catalog.required("uk", m))
    assert not coordinators.string
    (tmp_path / "uk" / "LC_MESSAGES").mkdir(parents=True)
    with (tmp_path / "uk" / "LC_MESSAGES" / "trasa.po").open("wb") as out:
        write_po(out, ukrainian)
    monkeypatch.setattr(catalog, "po_path",
                        lambda lang: tmp_path / lang / "LC_MESSAGES" / "trasa.po")
    assert catalog.untranslated("uk") == ["My day"]
