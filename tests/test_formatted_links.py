"""Links in formatted text: a protocol-relative address is another host, and no link carries a
title (Material's tooltips would insert it as HTML)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from generator.markdown import is_external, render


def links(text: str) -> list:
    return BeautifulSoup(render(text, lambda clause: f"../guideline/#{clause}"), "html.parser").select("a")


@pytest.mark.parametrize("href", ["//evil.example/x", "https://example.org/", "HTTP://EXAMPLE.ORG"])
def test_other_hosts_get_rel_noopener(href: str) -> None:
    assert is_external(href)
    assert links(f"[x]({href})")[0]["rel"] == ["noopener"]


@pytest.mark.parametrize("href", ["page/", "../areas/labour/", "#anchor"])
def test_relative_addresses_stay_relative(href: str) -> None:
    assert not is_external(href)
    assert not links(f"[x]({href})")[0].has_attr("rel")


def test_a_backslashed_host_cannot_pass_as_a_path() -> None:
    assert links("[x](/\\evil.example)")[0]["href"] == "/%5Cevil.example"


@pytest.mark.parametrize("target", ["clause:labour-2", "https://example.org/", "page/"])
def test_link_titles_are_dropped(target: str) -> None:
    (link,) = links(f'[x]({target} "<img src=x onerror=alert(1)>")')
    assert not link.has_attr("title")
    assert "onerror" not in str(link)
