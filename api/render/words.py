"""Every word a person reads, from one message catalog (gettext, compiled with Babel).

The catalog is `api/locale/<lang>/LC_MESSAGES/trasa.po`: msgids in English, one `.po` per
language: Polish (every msgid) and Ukrainian (`uk`: at least every word a worker reads,
`api.render.catalog.WORKER_FILES`). English is the fallback: a msgid with no
translation reads as itself. Plural forms come from each `.po`'s `Plural-Forms` header
(Polish: 1 siedzący / 2 siedzące / 5 siedzących; Ukrainian: 1 сидячий / 2 сидячі /
5 сидячих).

The `.po` files are compiled here, at first use, with `babel.messages` (`read_po`, then
`write_mo` into memory) rather than committed as `.mo`: the text file is the only copy
in the repository, so a compiled file can never be older than its source, and a
reviewer diffs words, not bytes. Compiling the Polish catalog takes a few milliseconds
once per process.

Code marks words with `_("...")`, `ngettext(one, many, n)` and, for tables built at
import, `N_("...")` (marked for extraction, translated where read). The language is the
one of the current context (`use_language`), Polish unless said otherwise: pages, sheets
and reports are Polish; a worker who chose Ukrainian (`PATCH /auth/me`) gets their
phone page, route sheets and calendar in Ukrainian; `?lang=` asks for another.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Hashable, Iterator, Mapping
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
DOMAIN = "trasa"
DEFAULT_LANGUAGE = "pl"
FALLBACK_LANGUAGE = "en"  # the msgids themselves
K = TypeVar("K", bound=Hashable)
_language: ContextVar[str] = ContextVar("trasa_language", default=DEFAULT_LANGUAGE)


def languages() -> list[str]:
    """The languages with a catalog, and English (the msgids)."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return [FALLBACK_LANGUAGE, *found]


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=8)
def translations(language: str) -> NullTranslations:
    """The compiled catalog of `language`; English (or a language without a `.po`) gives
    the msgids back."""
    path = po_path(language)
    if language == FALLBACK_LANGUAGE or not path.is_file():
        return NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def language() -> str:
    return _language.get()


@contextlib.contextmanager
def use_language(lang: str | None) -> Iterator[str]:
    """Words in `lang` (a known language, else the default) inside the block."""
    chosen = lang if lang in languages() else DEFAULT_LANGUAGE
    token = _language.set(chosen)
    try:
        yield chosen
    finally:
        _language.reset(token)


def gettext(message: str, lang: str | None = None) -> str:
    return translations(lang or language()).gettext(message)


def ngettext(singular: str, plural: str, n: int, lang: str | None = None) -> str:
    """The form for `n` in the language: ngettext("{n} seated", "{n} seated", 5) -> the
    Polish "{n} siedzących" (format it yourself: `.format(n=n)`)."""
    return translations(lang or language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str, lang: str | None = None) -> str:
    return str(translations(lang or language()).pgettext(context, message))


_ = gettext


def warning_text(warning: str) -> str:
    """A stored warning (English, e.g. the synthetic road network's) as people read it;
    "" stays "" (gettext("") would be the catalog's header)."""
    return gettext(warning) if warning else ""


def N_(message: str) -> str:
    """Marks a word for the catalog where it is stored, not shown (tables at import)."""
    return message


def plural_index(n: int, lang: str | None = None) -> int:
    """Which plural form the language uses for `n` (0 for the singular)."""
    forms = translations(lang or language())
    plural = getattr(forms, "plural", None)
    return int(plural(n)) if plural is not None else int(n != 1)


class Translated(Mapping[K, str]):
    """A table of msgids (marked with `N_`) read in the current language at each lookup:
    `REASONS = Translated({Reason.NO_SHOW: N_("the client was not at home")})`."""

    def __init__(self, msgids: Mapping[K, str]) -> None:
        self._msgids = dict(msgids)

    def __getitem__(self, key: K) -> str:
        msgid = self._msgids[key]
        return gettext(msgid) if msgid else ""  # "" would read the catalog's header

    def __iter__(self) -> Iterator[K]:
        return iter(self._msgids)

    def __len__(self) -> int:
        return len(self._msgids)

    def msgids(self) -> dict[K, str]:
        """The table's msgids (English), untranslated."""
        return dict(self._msgids)


def terminal_language() -> str:
    """The command line's language, from the locale the shell sets (`LANGUAGE`, `LC_ALL`,
    `LC_MESSAGES`, `LANG`, as gettext reads them): `LANG=pl_PL.UTF-8` gives Polish; unset,
    `C` or a language without a catalog gives English. Documents the commands write
    (sheets, reports) keep the documents' language (`use_language`)."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            code = value.split(":")[0].split(".")[0].split("_")[0].lower()
            return code if code in languages() else FALLBACK_LANGUAGE
    return FALLBACK_LANGUAGE


def cli_gettext(message: str) -> str:
    """A command line message in the terminal's language."""
    return gettext(message, terminal_language())


def cli_ngettext(singular: str, plural: str, n: int) -> str:
    return ngettext(singular, plural, n, terminal_language())
