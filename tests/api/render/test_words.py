"""The message catalog speaks Polish with Polish plurals, falls back to English, and
reaches Jinja templates and the page scripts the same way."""

from __future__ import annotations

import pytest
from jinja2 import Environment

from api.render import jinja, words
from api.render.script_words import script_words

SEATED = {1: "1 siedzący", 2: "2 siedzące", 5: "5 siedzących", 12: "12 siedzących",
          22: "22 siedzące", 25: "25 siedzących"}
PEOPLE = {1: "osoba", 2: "osoby", 5: "osób", 12: "osób", 22: "osoby", 25: "osób"}


@pytest.mark.parametrize("n", sorted(SEATED))
def test_seated_passengers_take_the_polish_plural_form(n: int) -> None:
    assert words.ngettext("{n} seated", "{n} seated", n, "pl").format(n=n) == SEATED[n]


@pytest.mark.parametrize("n", sorted(PEOPLE))
def test_people_take_the_polish_plural_form(n: int) -> None:
    assert words.ngettext("person", "people", n, "pl") == PEOPLE[n]


def test_english_is_the_msgid_itself_and_the_fallback_of_an_unknown_word() -> None:
    assert words.gettext("visit", "en") == "visit"
    assert words.ngettext("person", "people", 5, "en") == "people"
    assert words.gettext("a word nobody translated", "pl") == "a word nobody translated"
    with words.use_language("xx"):  # no catalog: the default language
        assert words.language() == words.DEFAULT_LANGUAGE


def test_the_current_language_is_polish_unless_a_block_says_otherwise() -> None:
    assert words.gettext("visit") == "wizyta"
    with words.use_language("en"):
        assert words.gettext("visit") == "visit"
    assert words.gettext("visit") == "wizyta"


def test_a_translated_table_reads_in_the_language_of_each_lookup() -> None:
    table = words.Translated({"walks": words.N_("walks on their own"), "none": ""})
    assert table["walks"] == "chodzi samodzielnie" and table["none"] == ""
    with words.use_language("en"):
        assert table["walks"] == "walks on their own"


def test_templates_translate_trans_blocks_with_plural_forms() -> None:
    env = jinja.install(Environment(autoescape=True))
    page = env.from_string("{{ count }} {% trans count=count %}person{% pluralize %}people"
                           "{% endtrans %} · {% trans %}Log out{% endtrans %} · {{ distance|km }}")
    assert page.render(count=5, distance=1.5) == "5 osób · Wyloguj · 1,5 km"
    assert page.render(count=22, distance=1.5) == "22 osoby · Wyloguj · 1,5 km"
    assert page.render(count=2, lang="en", distance=1.5) == "2 people · Log out · 1,5 km"
    with words.use_language("en"):
        assert page.render(count=1, distance=1.5) == "1 person · Log out · 1.5 km"


def test_the_page_scripts_get_their_words_and_the_plural_rule_from_the_catalog() -> None:
    polish = script_words("pl")
    assert polish["messages"]["{n} route"] == ["{n} trasa", "{n} trasy", "{n} tras"]
    assert polish["messages"]["requests\u0004urgent"] == "pilne"
    assert polish["messages"]["Failed: {error}"] == "Nie udało się: {error}"
    rule = polish["plural"]
    assert [rule[n] for n in (1, 2, 5, 12, 22, 25, 112, 122)] == [0, 1, 2, 2, 1, 2, 2, 1]
    assert "hour (local time)" not in polish["messages"]  # only words the scripts use
    english = script_words("en")
    assert english["messages"] == {} and english["plural"][:3] == [1, 0, 1]
