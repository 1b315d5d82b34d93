"""The glossary in Chinese: terms marked in text without spaces, the shipped terms' Chinese names,
and the glossary page's wording in the site's language."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from generator import urls
from generator.feature import blocks, site_pages
from generator.features import GLOSSARY, GUIDELINE
from generator.locale import load_locale
from generator.model import Clause, Corpus, Document, Part, Section, Term
from generator.render import PageContext, Site

CHINESE_TERMS = {
    "sme": Term("sme", "small and medium-sized enterprises", "Firms below a size threshold.", ("SME", "中小企业")),
    "competent-authority": Term(
        "competent-authority", "competent authority", "The SME departments.", ("中小企业主管部门",)
    ),
    "srdi": Term("srdi", "SRDI", "Specialized and innovative.", ("专精特新",)),
    "little-giant": Term("little-giant", "little giant", "The national tier.", ("小巨人", "专精特新“小巨人”企业")),
}


def marks(html: str) -> list[tuple[str, str]]:
    """Each mark as (term id, the text marked), in page order."""
    soup = BeautifulSoup(html, "html.parser")
    return [(abbr["data-term"], abbr.get_text()) for abbr in soup.select("abbr.term")]


def official(text: str, terms: dict[str, Term] = CHINESE_TERMS) -> str:
    site = Site(Corpus(terms=terms), blocks([GLOSSARY]))
    return PageContext(site, urls.GUIDELINE).official(text)


def test_chinese_names_are_marked_without_word_boundaries_longest_first() -> None:
    html = official("各地中小企业主管部门要支持专精特新“小巨人”企业，服务中小企业，培育专精特新企业。")
    assert marks(html) == [
        ("competent-authority", "中小企业主管部门"),
        ("little-giant", "专精特新“小巨人”企业"),
        ("sme", "中小企业"),
        ("srdi", "专精特新"),
    ]


def test_a_name_is_never_marked_inside_a_longer_one() -> None:
    """Once 专精特新“小巨人”企业 is explained, its next occurrence stays whole: neither 小巨人 nor
    专精特新 inside it is marked, although both are names of their own."""
    html = official("专精特新“小巨人”企业是专精特新“小巨人”企业。小巨人")
    assert marks(html) == [("little-giant", "专精特新“小巨人”企业")]
    assert html.endswith("。小巨人"), "the same term is explained once per page"
    assert marks(official("专精特新“小巨人”企业，专精特新")) == [
        ("little-giant", "专精特新“小巨人”企业"),
        ("srdi", "专精特新"),
    ]


def test_latin_names_are_whole_words_even_beside_chinese() -> None:
    assert marks(official("推动SME合规。")) == [("sme", "SME")]
    assert marks(official("SMEX and xSME are other words.")) == []
    assert marks(official("Help for SMEs: SME.")) == [("sme", "SME")]


def test_marking_keeps_chinese_text_unchanged() -> None:
    text = "中小企业主管部门要支持专精特新“小巨人”企业。"
    assert BeautifulSoup(official(text), "html.parser").get_text() == text


def chinese_corpus() -> Corpus:
    heading = Section(
        "sec-1", "（一）", "支持中小企业。", (Clause("c-1", "支持中小企业合规经营。", "doc", "part-1", "sec-1"),)
    )
    part = Part("part-1", "一、", "中小企业的合规", (), (heading,))
    document = Document(
        id="doc",
        role="guideline",
        title="关于中小企业的意见",
        short_title="中小企业意见",
        document_number="一号",
        issued="2025-01-01",
        issuers=("某部门",),
        date_line=None,
        addressees=None,
        source=None,
        goal_clause=None,
        parts=(part,),
    )
    clause = heading.clauses[0]
    return Corpus(
        documents={"doc": document},
        clauses={"c-1": clause},
        sections={"sec-1": heading},
        terms={"sme": CHINESE_TERMS["sme"]},
    )


def test_chinese_terms_are_marked_in_clauses_never_in_headings_or_links() -> None:
    pages = {page.src_uri: page for page in site_pages(chinese_corpus(), [GUIDELINE, GLOSSARY])}
    soup = BeautifulSoup(pages[urls.GUIDELINE].markdown, "html.parser")
    found = soup.select("abbr.term")
    assert [(mark["data-term"], mark.find_parent("p")["class"]) for mark in found] == [("sme", ["clause__text"])]
    markdown = pages[urls.GUIDELINE].markdown
    assert [line for line in markdown.splitlines() if line.startswith("#") and "<abbr" in line] == []
    assert all(mark.find_parent("a") is None for mark in found)


SHIPPED_CHINESE_NAMES = {
    "sme": "中小企业",
    "srdi": "专精特新",
    "little-giant": "专精特新“小巨人”企业",
    "competent-authority": "中小企业主管部门",
    "compliance-management-system": "合规管理体系",
    "compliance-risk": "合规风险",
    "export-control": "出口管制",
    "force-majeure": "不可抗力",
    "important-data": "重要数据",
    "trade-secret": "商业秘密",
    "supply-chain-finance": "供应链金融",
    "commercial-factoring": "商业保理",
    "re-guarantee": "再担保",
    "six-stabilities": "六稳",
    "public-service-platform": "公共服务平台",
    "data-ip-registration": "数据知识产权登记",
}
"""The established Chinese name of each shipped term that has one (emergency relending has no
single settled name, so it has none)."""


def test_shipped_terms_carry_their_chinese_names_in_the_glossary_entry(corpus) -> None:
    """The glossary page lists the Chinese name in the term's entry, the text the site search
    indexes, so a Chinese search on the English site finds the term."""
    assert {term: name for term, name in SHIPPED_CHINESE_NAMES.items() if name not in corpus.terms[term].aliases} == {}
    page = next(page for page in site_pages(corpus, [GLOSSARY]) if page.src_uri == urls.GLOSSARY)
    soup = BeautifulSoup(page.markdown, "html.parser")
    for term, name in SHIPPED_CHINESE_NAMES.items():
        entry = soup.select_one(f"dt#{term}").find_next_sibling("dd")
        assert name in entry.select_one(".glossary__aliases").get_text(), term


def glossary_page_in(language: str) -> tuple[BeautifulSoup, str, str]:
    terms = {
        "lookout": Term("lookout", "lookout", "Watches the water.", ("look-out", "瞭望员"), "c-1"),
    }
    corpus = chinese_corpus()
    corpus = Corpus(documents=corpus.documents, clauses=corpus.clauses, sections=corpus.sections, terms=terms)
    pages = {page.src_uri: page for page in site_pages(corpus, [GUIDELINE, GLOSSARY], locale=load_locale(language))}
    home = BeautifulSoup(pages[urls.HOME].markdown, "html.parser").select_one(
        f'a[href="{urls.page_url(urls.GLOSSARY)}"]'
    )
    return BeautifulSoup(pages[urls.GLOSSARY].markdown, "html.parser"), pages[urls.GLOSSARY].title, home.get_text(" ")


def test_the_glossary_page_speaks_the_site_language() -> None:
    english, title, card = glossary_page_in("en")
    assert title == "Glossary" and card.startswith("Glossary")
    assert english.select_one(".glossary__aliases").get_text() == "Also written: look-out, 瞭望员"
    assert english.select_one(".glossary__clause").get_text() == "See it in context (clause c-1)"
    chinese, title, card = glossary_page_in("zh")
    assert title == "术语表" and card.startswith("术语表")
    assert chinese.select_one(".glossary__aliases").get_text() == "又称：look-out、瞭望员"
    assert "c-1" in chinese.select_one(".glossary__clause").get_text()
    assert not re.search(r"[A-Za-z]{3,}", chinese.select_one("p").get_text()), "the introduction is in Chinese"


def test_the_glossary_card_names_no_term_of_the_shipped_guideline() -> None:
    """The home card's text is generic: it was "terms such as SRDI and “little giant” enterprises"."""
    for language in ("en", "zh"):
        _, _, card = glossary_page_in(language)
        assert not re.search(r"SRDI|little giant|小巨人|专精特新", card), language
