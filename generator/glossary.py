"""Glossary terms: a glossary page, and each term explained where it first occurs on a page.

Terms are marked in official text as it is generated (``<abbr title>``, shown by Material's
tooltips), so no page keeps its own list. Marking works on text that is already escaped
and holds no tags, so it can neither break markup nor let content inject it.

Chinese (and Japanese) text has no spaces between words, so a name written in those scripts
is matched wherever it occurs, and a Latin name beside such characters still counts as a whole
word ("SME" in "我国SME政策"). The longest name at a place wins, so 中小企业主管部门 is one term
and not 中小企业 followed by the rest; a name is never matched inside another.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from . import urls
from .loading import CorpusDraft, Loading
from .model import Corpus, Term
from .render import Page, PageContext, Site, heading_text, way_in
from .yamlsource import Source


def load_term(source: Source, draft: CorpusDraft, loading: Loading) -> None:
    data = source.data
    loading.define(source, ("id",), data["id"])
    draft.terms[data["id"]] = Term(
        id=data["id"],
        term=data["term"],
        definition=data["definition"],
        aliases=tuple(data.get("aliases", ())),
        source_clause=data.get("source_clause"),
    )


def check_terms(corpus: Corpus, loading: Loading) -> None:
    """Each name marks one term only, and a term's clause exists."""
    owner: dict[str, str] = {}
    for term in corpus.terms.values():
        source, _ = loading.place(term.id)
        if term.source_clause and corpus.clauses:
            loading.refer(
                term.source_clause,
                corpus.clauses,
                source,
                ("source_clause",),
                f"unknown clause {term.source_clause!r}",
            )
        for index, name in enumerate(term.names()):
            key = name.casefold()
            parts = ("term",) if index == 0 else ("aliases", index - 1)
            if key in owner and owner[key] != term.id:
                loading.problems.append(source.problem(parts, f"{name!r} already names the term {owner[key]!r}"))
            owner.setdefault(key, term.id)


UNSPACED = (
    "\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
)
"""Characters of scripts written without spaces between words (Han, kana): a name never needs a
word boundary beside them."""
SPACED_WORD = rf"[^\W{UNSPACED}]"
"""A word character of a script that separates words with spaces (Latin letters, digits …)."""


def _bounded(name: str) -> str:
    """The pattern of one escaped name: whole words where its edge is a letter or digit of a spaced
    script, anywhere where it is a Han or kana character. The look-behind on ``&`` and ``#`` keeps a
    match from starting inside an entity such as ``&quot;``."""
    pattern = re.escape(name)
    if re.match(SPACED_WORD, name[0]):
        pattern = rf"(?<!{SPACED_WORD})(?<![&#]){pattern}"
    if re.match(SPACED_WORD, name[-1]):
        pattern = rf"{pattern}(?!{SPACED_WORD})"
    return pattern


@lru_cache(maxsize=8)
def _matcher(terms: tuple[Term, ...]) -> tuple[re.Pattern[str], dict[str, Term]]:
    """One pattern for every name of every term, longest first, in escaped text."""
    by_name = {escape(name).casefold(): term for term in terms for name in term.names()}
    alternatives = "|".join(_bounded(name) for name in sorted(by_name, key=len, reverse=True))
    return re.compile(alternatives, re.IGNORECASE), by_name


def terms_in(corpus: Corpus, text: str) -> list[str]:
    """The ids of the terms that would be marked in this official text (each once, in text order),
    as if no term had been explained yet on the page."""
    if not corpus.terms:
        return []
    pattern, by_name = _matcher(tuple(corpus.terms.values()))
    return list(dict.fromkeys(by_name[match.group(0).casefold()].id for match in pattern.finditer(escape(text))))


def mark_terms(context: PageContext, html: str) -> str:
    """Wrap the first occurrence on the page of each term in ``<abbr>`` with its definition;
    focusable, so keyboard users get the tooltip as well as mouse and touch users."""
    if not context.corpus.terms:
        return html
    pattern, by_name = _matcher(tuple(context.corpus.terms.values()))

    def mark(match: re.Match[str]) -> str:
        term = by_name[match.group(0).casefold()]
        if term.id in context.explained_terms:
            return match.group(0)
        context.explained_terms.add(term.id)
        return (
            f'<abbr class="term" data-term="{escape(term.id)}" title="{escape(term.definition)}" tabindex="0">'
            f"{match.group(0)}</abbr>"
        )

    return pattern.sub(mark, html)


def glossary_page(site: Site) -> Page:
    context = PageContext(site, urls.GLOSSARY)
    corpus = site.corpus
    t = site.locale
    title = t("glossary.title")
    lines = [f"# {heading_text(title)}\n", f"<p>{escape(t('glossary.intro'))}</p>\n"]
    entries = []
    for term in sorted(corpus.terms.values(), key=lambda term: term.term.casefold()):
        aliases = ""
        if term.aliases:
            names = t("glossary.alias_separator").join(term.aliases)
            aliases = f'<p class="glossary__aliases">{escape(t("glossary.aliases", names=names))}</p>'
        clause = ""
        if term.source_clause:
            clause = (
                f'<p class="glossary__clause"><a href="{context.clause_href(term.source_clause)}">'
                f"{escape(t('glossary.in_context', clause=term.source_clause))}</a></p>"
            )
        entries.append(
            f'<dt id="{escape(term.id)}">{escape(term.term)}</dt>'
            f"<dd><p>{escape(term.definition)}</p>{aliases}{clause}</dd>"
        )
    lines.append(f'<dl class="glossary">{"".join(entries)}</dl>\n')
    return Page(urls.GLOSSARY, title, "\n".join(lines), about=tuple(site.corpus.terms))


def glossary_pages(site: Site) -> list[Page]:
    return [glossary_page(site)] if site.corpus.terms else []


def glossary_way_in(context: PageContext) -> str:
    if not context.corpus.terms:
        return ""
    t = context.site.locale
    return way_in(context.link(urls.GLOSSARY), t("glossary.title"), t("glossary.way_in"))
