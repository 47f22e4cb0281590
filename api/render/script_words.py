"""The page scripts' words, from the same catalog: what `t()` and `nt()` in
`api/web/static/common.js` read.

The base page embeds `script_words(lang)` as a JSON data block (`<script
type="application/json" id="trasa-words">`: data, not code, so the pages' strict
Content-Security-Policy stands). It holds the translations of every msgid found in a
`.js` file (singular: a string; plural: the list of forms; a msgctxt's as
`context\u0004msgid`) and the language's plural
rule as a table: the form for n = 0..199 (n ≥ 200 reads the form of 100 + n % 100, which
holds for every rule that looks at n % 10, n % 100 and n == 1, as Polish, Ukrainian and
English do). A msgid with no translation reads as itself (English).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from babel.messages.pofile import read_po

from api.render import words

PLURAL_TABLE = 200


@lru_cache(maxsize=8)
def script_words(lang: str) -> dict[str, Any]:
    messages: dict[str, str | list[str]] = {}
    path = words.po_path(lang)
    if lang != words.FALLBACK_LANGUAGE and path.is_file():
        with path.open("rb") as po:
            catalog = read_po(po, locale=lang, domain=words.DOMAIN)
        for message in catalog:
            if not message.id or not any(f.endswith(".js") for f, _ in message.locations):
                continue
            key = str(message.id[0] if message.pluralizable else message.id)
            if message.context:
                key = f"{message.context}\u0004{key}"  # gettext's own joint: tc() in JS
            if message.pluralizable:
                forms = [str(s) for s in message.string or ()]
                if all(forms):
                    messages[key] = forms
            elif message.string:
                messages[key] = str(message.string)
    return {"lang": lang, "plural": [words.plural_index(n, lang) for n in range(PLURAL_TABLE)],
            "messages": messages}
