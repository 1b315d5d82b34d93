"""Glossary terms: a glossary page, and each term explained where it first occurs on a page.

Terms are marked in official text as it is generated (``<abbr title>``, shown by Material's
tooltips), so no page keeps its own list. Marking works on text that is already escaped
and holds no tags, so it can neither break markup nor let content inject it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from . import urls
from .loading import CorpusDraft, Loading
from .model import Corpus, Term
from .render import Page, PageContext, Site, way_in
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


@lru_cache(maxsize=8)
def _matcher(terms: tuple[Term, ...]) -> tuple[re.Pattern[str], dict[str, Term]]:
    """One pattern for every name of every term, longest first, matched as whole words in escaped text.

    The look-behind keeps a match from starting inside an entity such as ``&quot;``."""
    by_name = {escape(name).casefold(): term for term in terms for name in term.names()}
    alternatives = "|".join(re.escape(name) for name in sorted(by_name, key=len, reverse=True))
    return re.compile(rf"(?<![\w&#])(?:{alternatives})(?!\w)", re.IGNORECASE), by_name


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
    lines = ["# Glossary\n"]
    lines.append(
        "<p>Terms used in the guideline and the policy library, explained in our words. "
        "The definitions are ours, not official text. In the documents, the first use of a term on each page "
        "is marked: point at it, or tap it, to see the definition.</p>\n"
    )
    entries = []
    for term in sorted(corpus.terms.values(), key=lambda term: term.term.casefold()):
        aliases = (
            f'<p class="glossary__aliases">Also written: {escape(", ".join(term.aliases))}</p>' if term.aliases else ""
        )
        clause = ""
        if term.source_clause:
            clause = (
                f'<p class="glossary__clause"><a href="{context.clause_href(term.source_clause)}">'
                f"See it in context (clause {escape(term.source_clause)})</a></p>"
            )
        entries.append(
            f'<dt id="{escape(term.id)}">{escape(term.term)}</dt>'
            f"<dd><p>{escape(term.definition)}</p>{aliases}{clause}</dd>"
        )
    lines.append(f'<dl class="glossary">{"".join(entries)}</dl>\n')
    return Page(urls.GLOSSARY, "Glossary", "\n".join(lines), about=tuple(site.corpus.terms))


def glossary_pages(site: Site) -> list[Page]:
    return [glossary_page(site)] if site.corpus.terms else []


def glossary_way_in(context: PageContext) -> str:
    if not context.corpus.terms:
        return ""
    return way_in(
        context.link(urls.GLOSSARY),
        "Glossary",
        "Plain explanations of terms such as SRDI and “little giant” enterprises.",
    )
