"""The catalog and the number/date formats in a Jinja2 environment (pages, sheets, reports).

`install(env)` adds `jinja2.ext.i18n` (`{% trans %}…{% endtrans %}`, with `{% pluralize %}`,
whitespace trimmed as Babel extracts it) and `_()`, `gettext`, `ngettext` in the
language of the render: the template variable `lang` if given, else the current one
(`api.render.words.use_language`). Filters: `number`, `fixed`, `km`, `percent`,
`long_date`, `short_date`, `weekday`.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from api.render import numbers, words


def _lang(context: Context) -> str | None:
    value = context.get("lang")
    return value if isinstance(value, str) else None


@pass_context
def _gettext(context: Context, message: str) -> str:
    return words.gettext(message, _lang(context))


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return words.ngettext(singular, plural, n, _lang(context))


@pass_context
def _pgettext(context: Context, where: str, message: str) -> str:
    return words.pgettext(where, message, _lang(context))


def install(env: Environment) -> Environment:
    """`env` with the catalog and the formats (returned for chaining)."""
    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(  # type: ignore[attr-defined]
        _gettext, _ngettext, newstyle=True, pgettext=_pgettext)
    filters: dict[str, Any] = {
        "number": numbers.number, "fixed": numbers.fixed, "km": numbers.km,
        "percent": numbers.percent, "long_date": numbers.long_date,
        "short_date": numbers.short_date, "weekday": numbers.weekday}
    env.filters.update(filters)
    env.globals["language"] = words.language  # `<html lang="{{ lang or language() }}">`
    return env
