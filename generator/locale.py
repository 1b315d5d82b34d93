"""Interface text in the site's language: every heading, label, button and message the generator,
the templates and the scripts put on a page, from one locale file set per language.

A language's texts live in ``generator/locales/<language>/*.yaml``; each file is a namespace
(``checks.yaml`` holds the keys written ``checks.<key>``). A deployment may add or override texts
in ``<content>/locales/<language>/*.yaml`` without touching code. Plurals and dates follow the
language's CLDR rules through Babel (``one``/``other`` in English, ``other`` only in Chinese;
``March 7, 2025`` / ``2025年3月7日``).

Texts are plain text with ``{name}`` placeholders: whoever puts one on a page escapes it, as with
any other text.
"""

from __future__ import annotations

import datetime
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType

import babel
import babel.dates
import babel.numbers
from ruamel.yaml import YAML

LOCALES_DIR = Path(__file__).with_name("locales")
"""The shipped interface texts, one folder per language."""
DEFAULT_LANGUAGE = "en"
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")


class LocaleError(ValueError):
    """A locale file set that cannot be used: a missing language, file or key, or a bad entry."""


@dataclass(frozen=True)
class Locale:
    """The interface texts of one language, looked up by dotted key (``checks.progress``)."""

    language: str
    """The language as the theme names it (``en``, ``zh``); also the ``lang`` of generated pages."""
    texts: Mapping[str, str | Mapping[str, str]] = field(default_factory=dict)
    """Key → text, or key → plural forms (``one``, ``other`` …)."""

    @cached_property
    def _babel(self) -> babel.Locale:
        return babel.Locale.parse(self.language.replace("-", "_"))

    def __call__(self, key: str, /, count: int | None = None, **values: object) -> str:
        """The text under ``key`` with its placeholders filled; ``count`` picks the plural form
        and fills ``{count}``."""
        try:
            entry = self.texts[key]
        except KeyError:
            raise LocaleError(f"no interface text {key!r} for language {self.language!r}") from None
        if isinstance(entry, Mapping):
            if count is None:
                raise LocaleError(f"interface text {key!r} has plural forms: pass count=")
            form = self._babel.plural_form(count)
            entry = entry.get(form, entry["other"])
        if count is not None:
            values = {"count": self.number(count), **values}
        try:
            return entry.format_map(values)
        except (KeyError, IndexError, ValueError) as error:
            raise LocaleError(f"interface text {key!r} ({self.language}): cannot fill {error}") from None

    def number(self, value: float) -> str:
        return babel.numbers.format_decimal(value, locale=self._babel)

    def date(self, iso: str) -> str:
        """A possibly partial ISO date (``2020``, ``2020-02``, ``2020-02-09``) in words."""
        pieces = [int(piece) for piece in iso.split("-")]
        if len(pieces) == 1:
            return str(pieces[0])
        if len(pieces) == 2:
            return babel.dates.format_skeleton("yMMMM", datetime.date(pieces[0], pieces[1], 1), locale=self._babel)
        return babel.dates.format_date(datetime.date(*pieces), "long", locale=self._babel)

    def namespace(self, prefix: str) -> dict[str, str | Mapping[str, str]]:
        """Every text under ``prefix.`` with the prefix taken off (e.g. the texts a script needs)."""
        start = prefix + "."
        return {key[len(start) :]: value for key, value in self.texts.items() if key.startswith(start)}

    def overlaid(self, texts: Mapping[str, str | Mapping[str, str]]) -> Locale:
        """These texts with ``texts`` laid over them (e.g. a guideline's own ``wording``)."""
        return Locale(self.language, MappingProxyType({**self.texts, **texts})) if texts else self

    def placeholders(self, key: str) -> set[str]:
        entry = self.texts[key]
        forms = entry.values() if isinstance(entry, Mapping) else [entry]
        return {name for form in forms for _, name, _, _ in string.Formatter().parse(form) if name}


def available_languages(folders: Iterable[Path] = (LOCALES_DIR,)) -> list[str]:
    return sorted({path.name for folder in folders if folder.is_dir() for path in folder.iterdir() if path.is_dir()})


def load_locale(language: str, overrides: Path | None = None) -> Locale:
    """The shipped texts of ``language`` with a deployment's own (``<overrides>/<language>/*.yaml``)
    laid over them. A language with no shipped folder must bring every key in ``overrides``;
    a key missing from it falls back to English, so no page shows a bare key."""
    folders = [LOCALES_DIR / language]
    if overrides is not None:
        folders.append(overrides / language)
    texts: dict[str, str | Mapping[str, str]] = {}
    if not any(folder.is_dir() for folder in folders):
        known = ", ".join(available_languages([LOCALES_DIR] + ([overrides] if overrides else [])))
        raise LocaleError(f"no interface texts for language {language!r} (have: {known})")
    if language != DEFAULT_LANGUAGE:
        texts.update(load_locale(DEFAULT_LANGUAGE, overrides).texts)
    for folder in folders:
        texts.update(read_folder(folder))
    return Locale(language, MappingProxyType(texts))


def read_folder(folder: Path) -> dict[str, str | Mapping[str, str]]:
    """Every ``*.yaml`` of one language folder, keyed ``<file stem>.<key>``."""
    texts: dict[str, str | Mapping[str, str]] = {}
    if not folder.is_dir():
        return texts
    yaml = YAML(typ="safe", pure=True)
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise LocaleError(f"{path}: expected a mapping of keys to texts")
        for key, value in data.items():
            texts[f"{path.stem}.{key}"] = _entry(path, key, value)
    return texts


def _entry(path: Path, key: str, value: object) -> str | Mapping[str, str]:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "other" in value and set(value) <= set(PLURAL_FORMS):
        if all(isinstance(form, str) for form in value.values()):
            return MappingProxyType(dict(value))
    raise LocaleError(f"{path}: {key}: expected a text or plural forms (one:, other: …), got {value!r}")
