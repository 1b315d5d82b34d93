"""Interface texts: every shipped language has every key with the same placeholders, plurals and
dates follow the language, and a deployment's own texts lay over the shipped ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.locale import LOCALES_DIR, LocaleError, available_languages, load_locale, read_folder

SHIPPED = available_languages()


def test_english_and_chinese_ship():
    assert {"en", "zh"} <= set(SHIPPED)


@pytest.mark.parametrize("language", [language for language in SHIPPED if language != "en"])
def test_every_language_has_every_key_with_the_same_placeholders(language):
    english = read_folder(LOCALES_DIR / "en")
    other = read_folder(LOCALES_DIR / language)
    assert sorted(set(english) - set(other)) == [], f"{language} lacks these texts"
    assert sorted(set(other) - set(english)) == [], f"{language} has texts English lacks"
    locale, reference = load_locale(language), load_locale("en")
    for key in english:
        assert locale.placeholders(key) == reference.placeholders(key), key
        assert isinstance(english[key], str) == isinstance(other[key], str), f"{key}: plural forms in one only"


def test_plural_forms_follow_the_language(tmp_path: Path):
    for language in ("en", "zh"):
        (tmp_path / language).mkdir()
    (tmp_path / "en" / "t.yaml").write_text("n:\n  one: '{count} department'\n  other: '{count} departments'\n")
    (tmp_path / "zh" / "t.yaml").write_text("n:\n  other: '{count}个部门'\n")
    english, chinese = load_locale("en", tmp_path), load_locale("zh", tmp_path)
    assert [english("t.n", count=n) for n in (1, 2, 1500)] == ["1 department", "2 departments", "1,500 departments"]
    assert [chinese("t.n", count=n) for n in (1, 15)] == ["1个部门", "15个部门"]


def test_dates_follow_the_language():
    days = ("2025-03-07", "2020-02", "2019")
    assert [load_locale("en").date(day) for day in days] == ["March 7, 2025", "February 2020", "2019"]
    assert [load_locale("zh").date(day) for day in days] == ["2025年3月7日", "2020年2月", "2019"]


def test_a_deployment_overrides_a_text_and_a_missing_key_falls_back_to_english(tmp_path: Path):
    (tmp_path / "zh").mkdir()
    (tmp_path / "zh" / "page.yaml").write_text("last_changed: 更新于\n", encoding="utf-8")
    (tmp_path / "fr").mkdir()
    (tmp_path / "fr" / "page.yaml").write_text("only_french: Bonjour\n", encoding="utf-8")
    assert load_locale("zh", tmp_path)("page.last_changed") == "更新于"
    french = load_locale("fr", tmp_path)
    assert french("page.only_french") == "Bonjour"
    assert french("page.last_changed") == load_locale("en")("page.last_changed")


def test_bad_texts_get_clear_errors(tmp_path: Path):
    with pytest.raises(LocaleError, match="no interface texts for language 'xx'"):
        load_locale("xx", tmp_path)
    with pytest.raises(LocaleError, match="no interface text 'page.nothing'"):
        load_locale("en")("page.nothing")
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "bad.yaml").write_text("n:\n  several: x\n")
    with pytest.raises(LocaleError, match=r"bad\.yaml: n: expected a text or plural forms"):
        load_locale("en", tmp_path)
