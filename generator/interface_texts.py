"""Interface texts placed in markup: a text with links or other markup in its placeholders, and the
texts a page's scripts need, handed to them as data (the site's scripts run under ``script-src
'self'``, so texts travel in a ``data-`` attribute, never as code).
"""

from __future__ import annotations

import json
from html import escape

from markupsafe import Markup

from .locale import Locale

SCRIPT_NAMESPACES = ("page", "search")
"""The namespaces every page hands its scripts (easy reading, clause links, the cases filter, the
search dialog's name)."""


def html_text(locale: Locale, key: str, /, count: int | None = None, **values: object) -> str:
    """The text under ``key`` as HTML: its own words escaped, each ``values`` entry that is
    :class:`~markupsafe.Markup` put in as it is (a link), every other value escaped."""
    marks = {name: f"\x00{index}\x00" for index, name in enumerate(values)}
    filled = escape(locale(key, count=count, **marks), quote=False)
    for name, mark in marks.items():
        value = values[name]
        filled = filled.replace(mark, str(value) if isinstance(value, Markup) else escape(str(value), quote=False))
    return filled


def script_texts(locale: Locale, *namespaces: str) -> Markup:
    """The texts of ``namespaces`` (keys ``<namespace>.<key>``, plurals as ``{one, other}``) as
    JSON for a single-quoted ``data-interface-texts`` attribute, read by ``interface-texts.js``."""
    texts: dict[str, object] = {}
    for namespace in (*SCRIPT_NAMESPACES, *namespaces):
        for key, value in locale.namespace(namespace).items():
            texts[f"{namespace}.{key}"] = value if isinstance(value, str) else dict(value)
    text = json.dumps(texts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(escape(text, quote=False).replace("'", "&#x27;"))
