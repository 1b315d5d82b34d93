"""The check page's DOM contract is written down: every ``data-*`` attribute the generator puts on a
check page is named in the manual's reference (docs/manual/reference/check-page-dom.md), which
tests and embedders rely on."""

from __future__ import annotations

import re

from conftest import ROOT


def test_every_data_attribute_of_the_check_page_is_documented() -> None:
    source = (ROOT / "generator" / "check_pages.py").read_text(encoding="utf-8")
    documented = (ROOT / "docs" / "manual" / "reference" / "check-page-dom.md").read_text(encoding="utf-8")
    attributes = set(re.findall(r"data-[a-z][a-z-]*[a-z]", source))
    assert "data-check-progress" in attributes and "data-check-retry" in attributes
    assert sorted(name for name in attributes if name not in documented) == []
