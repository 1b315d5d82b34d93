"""The MkDocs side: load the content and add the generated pages to the build, in memory."""

from __future__ import annotations

import functools
import posixpath
import re
import sys
from collections.abc import Mapping
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from . import (
    check_pages,
    content_dates,
    csp,
    interface_texts,
    not_found,
    offline,
    redirects,
    scoring,
    search,
    share_cards,
    siteaddress,
    urls,
)
from .diagnostics import ContentError
from .feature import load_corpus, site_files, site_pages
from .features import FEATURES
from .locale import DEFAULT_LANGUAGE, Locale, LocaleError, load_locale
from .model import Corpus, SynonymGroup, frozen_mapping
from .navigation import site_nav
from .pyodide_runtime import RuntimeBuildError
from .qr import qr_png_download, qr_svg, qr_svg_download
from .reference import reference_pages
from .render import worded
from .runtime import runtime_files

log = get_plugin_logger(__name__)


class IsoDate(config_options.Type):
    """A calendar date written ``YYYY-MM-DD``, or empty."""

    def __init__(self, default: str = "") -> None:
        super().__init__(str, default=default)

    def run_validation(self, value: object) -> str:
        text = super().run_validation(value).strip()
        if text and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise config_options.ValidationError(f"expected a date as YYYY-MM-DD, got {text!r}")
        return text


def contact_href(contact: str) -> str:
    """Where the About page's contact links: ``mailto:`` for an e-mail address, the address itself
    for an https one, nothing for anything else (a phone number, a postal address)."""
    text = contact.strip()
    if re.fullmatch(r"[^@\s/:]+@[^@\s/:]+\.[^@\s/:]+", text):
        return f"mailto:{text}"
    if re.fullmatch(r"https://[^\s]+", text):
        return text
    return ""


class GuidelinePluginConfig(Config):
    content_dir = config_options.Dir(exists=True, default="content")
    """Folder of YAML content files, relative to mkdocs.yml."""
    schema_dir = config_options.Dir(exists=True, default="schema")
    """Folder of the JSON Schemas the content must satisfy."""
    pyodide_dir = config_options.Type(str, default="")
    """The pinned Pyodide npm package, copied once into the site for the self-checks; empty: the
    ``node_modules/pyodide`` beside mkdocs.yml, else the one beside the generator's own checkout."""
    site_owner = config_options.Type(str, default="")
    """Who runs this copy of the site: named on the home page's first screen, in the footer and as
    the publisher on the About page; empty says the copy does not name who runs it."""
    contact = config_options.Type(str, default="")
    """How to reach whoever runs this copy, shown on the About page: an e-mail address (linked with
    ``mailto:``), an https address (linked) or any other text; empty shows nothing."""
    last_updated = IsoDate(default="")
    """When the content of this copy last changed, as ``YYYY-MM-DD``, shown on the About page;
    empty: the day the newest content file last changed (its last commit, see *Last changed*)."""
    icp_number = config_options.Type(str, default="")
    """The site's ICP registration number (required for sites hosted in mainland China), shown in the footer
    linked to the MIIT registration system; empty shows nothing."""
    selfcheck_snapshot = config_options.Type(bool, default=True)
    """Ship a memory snapshot of Python with the scoring engine loaded, so a check page restores it
    instead of starting Python (about half the start-up CPU). Shipped as a delta against a fresh
    instance's memory: 2.5 MB on the wire with brotli (3.7 MB with gzip) where the standard library
    would cost 2.3 MB (3.1 MB); browsers asking to save data, or on 2G/3G, start Python as usual.
    False: every check page starts Python from the precompiled standard library."""
    content_security_policy = config_options.Type(bool, default=True)
    """Give every built page a Content-Security-Policy (``<meta http-equiv>``): scripts from the site
    only, plus the hashes of the inline scripts the build wrote; the same policy is saved as
    ``.content-security-policy`` in the site for servers to send as a header (with ready-made nginx and
    Caddy lines beside it, ``.content-security-policy.nginx`` and ``.caddy``). Not applied by
    ``mkdocs serve``, whose live-reload script is injected inline."""
    offline = config_options.Type(bool, default=True)
    """Ship a service worker (written at the site root) that keeps the self-check
    runtime and the pages a reader opened available offline, so checks run without a connection
    after one visit. False: no page registers it, and the file written instead removes it (and its
    caches) from browsers that installed it from an earlier deployment. Not used by ``mkdocs serve``."""
    url_manifest = config_options.Type(str, default="")
    """Committed list of every public page address; a listed address may only go away behind a
    redirect. Empty: ``published-urls.txt`` in the content folder, so each content folder (each
    guideline) has its own, and a new one starts with none."""
    share_card_font = config_options.Type(str, default="")
    """A font file (TrueType, OpenType or a ``.ttc`` collection) that covers Chinese, for the share card
    (``og:image``) drawn for each case page; relative to mkdocs.yml. Empty: Noto Sans CJK from Debian's
    ``fonts-noto-cjk`` package (``/usr/share/fonts/opentype/noto/``). When there is no such font, the
    build prints one warning and case pages have no share card."""


class GuidelinePlugin(BasePlugin[GuidelinePluginConfig]):
    """Adds the guideline, area and other content pages as generated files."""

    command = "build"
    changed: Mapping[str, object] = frozen_mapping()
    """Page ``src_uri`` → the day its content last changed (generated pages and references)."""
    source_days: Mapping[Path, object] = frozen_mapping()
    """Hand-written page file → the day it last changed."""
    newest_content = None
    """The newest of those days: the About page's *Last updated* unless configured."""
    synonyms: Mapping[str, SynonymGroup] = frozen_mapping()
    """The content's search synonyms, kept from ``on_files`` for ``on_post_build``."""
    locale: Locale = load_locale(DEFAULT_LANGUAGE)
    """The interface texts of ``theme.language`` (set in ``on_config``); templates call it as ``t``."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_config(self, config: MkDocsConfig) -> None:
        """Warn, once per build, when ``site_url`` is the placeholder or missing. Printed, not logged
        through MkDocs: a preview build is a legitimate build (tests, ``make serve``, CI with
        ``--strict``), and a release build refuses such an address before it starts."""
        warning = siteaddress.preview_warning(config.site_url)
        if warning:
            print(f"WARNING -  {warning}", file=sys.stderr)
        try:
            self.locale = load_locale(config.theme.get("language") or DEFAULT_LANGUAGE, self._locale_overrides())
        except LocaleError as error:
            raise PluginError(str(error)) from None

    def _locale_overrides(self) -> Path:
        """A deployment's own interface texts: ``<content>/locales/<language>/*.yaml``."""
        return Path(self.config.content_dir) / "locales"

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        content_dir = Path(self.config.content_dir)
        try:
            corpus = load_corpus(
                content_dir, Path(self.config.schema_dir), FEATURES, Path(config.config_file_path).parent
            )
        except ContentError as error:
            raise PluginError(f"content is not valid:\n{error.report()}") from None
        self.synonyms = corpus.synonyms  # applied to the search index once the theme has written it
        # The guideline's own wording reaches the templates, the scripts' texts and the offline page too.
        self.locale = worded(self.locale, corpus)
        if corpus.guideline.description:
            # The guideline says what the site is: the share preview of pages without a description.
            config.site_description = corpus.guideline.description
        self.not_found = {
            "ways_in": not_found.ways_in(corpus, self.locale),
            "cases": check_pages.json_attribute(not_found.case_list(corpus)),
        }
        cards = self._share_cards(config)
        pages = site_pages(
            corpus,
            FEATURES,
            selfcheck_snapshot=self.config.selfcheck_snapshot,
            site_owner=self.config.site_owner.strip(),
            site_url=config.site_url or "",
            share_cards=cards,
            locale=self.locale,
        )
        for page in pages:
            if files.get_file_from_path(page.src_uri) is not None:
                raise PluginError(f"docs/{page.src_uri} would hide a generated page; rename or remove it")
            files.append(File.generated(config, page.src_uri, content=page.markdown))
        generated = site_files(
            corpus, FEATURES, selfcheck_snapshot=self.config.selfcheck_snapshot, share_cards=cards, locale=self.locale
        )
        if cards is not None and cards.drawn + cards.reused:
            log.info(
                f"Share cards: {cards.drawn} drawn, {cards.reused} from the cache in {cards.cache_dir} "
                f"({cards.seconds:.2f} s)"
            )
        for file in generated:
            if files.get_file_from_path(file.uri) is not None:
                raise PluginError(f"docs/{file.uri} would hide a generated file; rename or remove it")
            # MkDocs writes str content as UTF-8 and bytes (a share card's PNG) as they are.
            files.append(File.generated(config, file.uri, content=file.content))
        hand_written = [
            (_title_of(file), file.src_uri) for file in files.documentation_pages() if not file.generated_by
        ]
        references = reference_pages(Path(config.docs_dir), Path(self.config.schema_dir), content_dir, Path(__file__))
        for page in references:
            if files.get_file_from_path(page.src_uri) is not None:
                raise PluginError(f"docs/{page.src_uri} would hide a generated reference; rename or remove it")
            files.append(File.generated(config, page.src_uri, content=page.markdown))
        self._date_pages(corpus, pages, references, Path(config.docs_dir))
        if corpus.checks:
            self._add_selfcheck_runtime(files, config)
        if not config.nav:
            entries = [*hand_written, *((page.title, page.src_uri) for page in references)]
            config.nav = site_nav(pages, entries, _index_links(files))
        self._add_redirects(corpus, pages, files, config)
        return files

    def _date_pages(self, corpus: Corpus, pages: list, references: list, docs_dir: Path) -> None:
        """When each page's content last changed: a generated page from its items' content files,
        a reference from the schemas, a hand-written page from its own file."""
        changed = content_dates.page_days(pages, corpus, Path(self.config.content_dir))
        self.newest_content = max(changed.values(), default=None)
        schema_day = content_dates.newest(content_dates.file_dates(Path(self.config.schema_dir)).values())
        if schema_day is not None:
            changed.update((page.src_uri, schema_day) for page in references)
        self.changed = changed
        self.source_days = content_dates.file_dates(docs_dir) if docs_dir.is_dir() else {}

    def on_page_context(self, context, *, page, config: MkDocsConfig, nav):
        """Give the page its "last changed" day (``page.meta.content_changed``, ISO), drawn under
        its content by the theme."""
        page.meta.pop("content_changed", None)  # the plugin's to set, never a page's front matter
        day = self.changed.get(page.file.src_uri)
        if day is None and page.file.abs_src_path:
            day = self.source_days.get(Path(page.file.abs_src_path).resolve())
        if day is not None:
            page.meta["content_changed"] = day.isoformat()
        return context

    def _share_cards(self, config: MkDocsConfig) -> share_cards.ShareCards | None:
        """What draws the case pages' share cards, caching them in ``.cache/share-cards/`` beside
        mkdocs.yml; ``None``, after one printed warning, when no font covering Chinese is found.
        Printed, not logged through MkDocs, so that a ``--strict`` build on a machine without the
        font still succeeds (its pages just have no share card)."""
        project = Path(config.config_file_path).parent
        try:
            fonts = share_cards.find_fonts(self.config.share_card_font.strip(), project)
        except share_cards.NoShareCardFont as problem:
            print(f"WARNING -  {problem}; case pages are built without a share card (og:image)", file=sys.stderr)
            return None
        return share_cards.ShareCards(fonts, config.site_name, project / share_cards.CACHE_DIR)

    def _add_selfcheck_runtime(self, files: Files, config: MkDocsConfig) -> None:
        """Pyodide and the scoring engine, once for the whole site (check pages point at them)."""
        pyodide_dir = _pyodide_dir(self.config.pyodide_dir, Path(config.config_file_path).parent)
        try:
            engine = Path(scoring.__file__)
            runtime = runtime_files(pyodide_dir, engine if self.config.selfcheck_snapshot else None)
            shipped = {**runtime, urls.ENGINE: engine}
        except RuntimeBuildError as error:
            raise PluginError(f"the self-check runtime could not be prepared: {error}") from None
        missing = [str(path) for path in shipped.values() if not path.is_file()]
        if missing:
            raise PluginError(f"self-check runtime files not found: {', '.join(missing)}; run 'npm ci'")
        for dest_uri, path in shipped.items():
            files.append(File.generated(config, dest_uri, abs_src_path=str(path.resolve())))

    def _add_redirects(self, corpus: Corpus, pages: list, files: Files, config: MkDocsConfig) -> None:
        """Fail if a published address would vanish; write a static page for each declared redirect."""
        served = {"/" + file.url.removeprefix("./") for file in files.documentation_pages()}
        problems = redirects.redirect_problems(served, corpus.redirects)
        if problems:
            raise PluginError("\n".join(problems))
        manifest = redirects.manifest_path(self.config.url_manifest, Path(self.config.content_dir), config)
        anchors = redirects.anchors_of(pages)
        missing = redirects.vanished(redirects.read_manifest(manifest), served, corpus.redirects, anchors)
        if missing:
            raise PluginError(redirects.vanished_message(missing, manifest))
        for redirect in corpus.redirects.values():
            path = redirects.redirect_file(redirect)
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"docs/{path} would hide the redirect from {redirect.old}; remove one of them")
            files.append(File.generated(config, path, content=redirects.redirect_html(redirect, config.site_url)))

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        """Give the templates the footer and About page fields of this plugin's configuration, the self-check
        runtime's addresses (``selfcheck_runtime.worker`` …; ``snapshot`` empty when none ships),
        whether this is a preview build (``site_address.preview``: ``site_url`` is the placeholder),
        what the 404 page offers (``not_found``: the ways in, the cases as JSON), the size of share
        cards (``share_card_size``) and the share kit's QR code filters: ``{{ page.canonical_url |
        qr_svg }}`` (inline SVG) ``qr_svg_download`` and ``qr_png_download`` (``data:`` addresses of files)."""
        newest = self.newest_content.isoformat() if self.newest_content else ""
        env.globals["site_registration"] = {
            "site_owner": self.config.site_owner.strip(),
            "icp_number": self.config.icp_number.strip(),
            "contact": self.config.contact.strip(),
            "contact_href": contact_href(self.config.contact),
            "last_updated": self.config.last_updated or newest,
        }
        env.globals["site_address"] = {
            "preview": siteaddress.is_preview(config.site_url),
            "placeholder": siteaddress.PLACEHOLDER,
        }
        env.globals["selfcheck_runtime"] = urls.selfcheck_runtime(self.config.selfcheck_snapshot)
        env.globals["not_found"] = self.not_found
        env.globals["offline_use"] = urls.offline(self.config.offline and self.command != "serve")
        env.globals["share_card_size"] = {"width": share_cards.WIDTH, "height": share_cards.HEIGHT}
        env.filters["qr_svg"] = lambda url: qr_svg(url, self.locale("share.qr_label", address=url))
        env.filters["date_text"] = self.locale.date
        env.globals["t"] = self.locale
        env.globals["script_texts"] = functools.partial(interface_texts.script_texts, self.locale)
        env.filters["qr_svg_download"] = qr_svg_download
        env.filters["qr_png_download"] = qr_png_download
        return env

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Pages are final only now: hash their inline scripts into the policy every page carries,
        then write the service worker, whose cache names are hashes of the finished files. First,
        the search synonyms go into the search index (the search plugin, listed before this one,
        has written it by now)."""
        site = Path(config.site_dir)
        search.apply_synonyms(site / urls.SEARCH_INDEX, self.synonyms)
        if self.command == "serve":
            return
        if self.config.content_security_policy:
            value = csp.apply_policy(site)
            (site / csp.POLICY_FILE).write_text(value + "\n", encoding="utf-8")
            for name, text in csp.server_snippets(value).items():
                (site / name).write_text(text, encoding="utf-8")
        offline_texts = {"lang": self.locale.language, **self.locale.namespace("offline")}
        offline.write_service_worker(site, enabled=self.config.offline, texts=offline_texts)

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        server.watch(self.config.content_dir)
        server.watch(self.config.schema_dir)
        return server


def _pyodide_dir(setting: str, config_dir: Path) -> Path:
    if setting:
        return config_dir / setting
    beside_config = config_dir / "node_modules" / "pyodide"
    if beside_config.is_dir():
        return beside_config
    return Path(__file__).resolve().parent.parent / "node_modules" / "pyodide"


MARKDOWN_LINK = re.compile(r"\]\(([^)\s#]+\.md)(?:#[^)]*)?\)")


def _index_links(files: Files) -> dict[str, list[str]]:
    """For each hand-written folder index, the pages it links to, in order (they order the navigation)."""
    links = {}
    for file in files.documentation_pages():
        if file.generated_by or not urls.is_index(file.src_uri):
            continue
        folder = posixpath.dirname(file.src_uri)
        text = Path(file.abs_src_path).read_text(encoding="utf-8")
        links[folder] = [posixpath.normpath(posixpath.join(folder, target)) for target in MARKDOWN_LINK.findall(text)]
    return links


def _title_of(file: File) -> str:
    """The first Markdown heading of a hand-written page, for its navigation entry."""
    for line in Path(file.abs_src_path).read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return Path(file.src_uri).stem.replace("-", " ").capitalize()
