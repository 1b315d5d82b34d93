"""The interface texts a page's scripts need, handed to them as data (the site's scripts run under
``script-src 'self'``, so texts travel in a ``data-`` attribute, never as code). Texts placed in
markup by Python: :func:`generator.render.html_text`.
"""

from __future__ import annotations

import json
from html import escape

from markupsafe import Markup

from .locale import Locale

SCRIPT_NAMESPACES = ("page", "search")
"""The namespaces every page hands its scripts (easy reading, clause links, the cases filter, the
search dialog's name)."""


def script_texts(locale: Locale, *namespaces: str) -> Markup:
    """The texts of ``namespaces`` (keys ``<namespace>.<key>``, plurals as ``{one, other}``) as
    JSON for a single-quoted ``data-interface-texts`` attribute, read by ``interface-texts.js``."""
    texts: dict[str, object] = {}
    for namespace in (*SCRIPT_NAMESPACES, *namespaces):
        for key, value in locale.namespace(namespace).items():
            texts[f"{namespace}.{key}"] = value if isinstance(value, str) else dict(value)
    text = json.dumps(texts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(escape(text, quote=False).replace("'", "&#x27;"))
