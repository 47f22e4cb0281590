"""The catalog is in step with the code: every marked word is in `trasa.pot`, every msgid
has its Polish, placeholders survive translation, and Polish counts with three forms."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from api.render import catalog
from api.render.words import languages, po_path

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
        messages = [m for m in read_po(po, locale=language) if m.id]
    wrong = []
    for m in messages:
        ids = m.id if m.pluralizable else (m.id,)
        strings = m.string if m.pluralizable else (m.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        wrong += [(ids[0], s) for s in strings if set(PLACEHOLDER.findall(s)) != wanted
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
