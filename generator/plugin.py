"""The MkDocs side: load the content and add the generated pages to the build, in memory."""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from . import checks, redirects, scoring
from .corpus import Corpus, load_corpus
from .diagnostics import ContentError
from .pages import site_nav, site_pages
from .pyodide_runtime import RuntimeBuildError
from .qr import qr_svg, qr_svg_download
from .runtime import RUNTIME_URI, SNAPSHOT_URI, runtime_files

log = get_plugin_logger(__name__)
SNAPSHOT_ATTRIBUTE = re.compile(r' data-check-snapshot="[^"]*"')


class GuidelinePluginConfig(Config):
    content_dir = config_options.Dir(exists=True, default="content")
    """Folder of YAML content files, relative to mkdocs.yml."""
    schema_dir = config_options.Dir(exists=True, default="schema")
    """Folder of the JSON Schemas the content must satisfy."""
    pyodide_dir = config_options.Type(str, default="")
    """The pinned Pyodide npm package, copied once into the site for the self-checks; empty: the
    ``node_modules/pyodide`` beside mkdocs.yml, else the one beside the generator's own checkout."""
    site_owner = config_options.Type(str, default="")
    """Who runs this copy of the site, shown in the footer; empty shows nothing."""
    icp_number = config_options.Type(str, default="")
    """The site's ICP registration number (required for sites hosted in mainland China), shown in the footer
    linked to the MIIT registration system; empty shows nothing."""
    selfcheck_snapshot = config_options.Type(bool, default=True)
    """Ship a memory snapshot of Python with the scoring engine loaded, so a check page restores it
    instead of starting Python (about half the start-up CPU). Costs 4.5 MB on the wire where the
    standard library would cost 2.3–3.1 MB; browsers asking to save data, or on 2G/3G, start Python
    as usual. False: every check page starts Python from the precompiled standard library."""
    url_manifest = config_options.File(exists=False, default="published-urls.txt")
    """Committed list of every public page address; a listed address may only go away behind a redirect."""


class GuidelinePlugin(BasePlugin[GuidelinePluginConfig]):
    """Adds the guideline, area and other content pages as generated files."""

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        content_dir = Path(self.config.content_dir)
        try:
            corpus = load_corpus(content_dir, Path(self.config.schema_dir), Path(config.config_file_path).parent)
        except ContentError as error:
            raise PluginError(f"content is not valid:\n{error.report()}") from None
        pages = site_pages(corpus)
        for page in pages:
            if files.get_file_from_path(page.src_uri) is not None:
                raise PluginError(f"docs/{page.src_uri} would hide a generated page; rename or remove it")
            files.append(File.generated(config, page.src_uri, content=page.markdown))
        if corpus.checks:
            self._add_selfcheck_runtime(files, config)
        if not config.nav:
            hand_written = [
                (_title_of(file), file.src_uri) for file in files.documentation_pages() if not file.generated_by
            ]
            config.nav = site_nav(pages, hand_written)
        self._add_redirects(corpus, files, config)
        return files

    def _add_selfcheck_runtime(self, files: Files, config: MkDocsConfig) -> None:
        """Pyodide and the scoring engine, once for the whole site (check pages point at them)."""
        pyodide_dir = _pyodide_dir(self.config.pyodide_dir, Path(config.config_file_path).parent)
        try:
            engine = Path(scoring.__file__)
            runtime = runtime_files(pyodide_dir, engine if self.config.selfcheck_snapshot else None)
            shipped = {**runtime, checks.ENGINE_URI: engine}
        except RuntimeBuildError as error:
            raise PluginError(f"the self-check runtime could not be prepared: {error}") from None
        missing = [str(path) for path in shipped.values() if not path.is_file()]
        if missing:
            raise PluginError(f"self-check runtime files not found: {', '.join(missing)}; run 'npm ci'")
        for dest_uri, path in shipped.items():
            files.append(File.generated(config, dest_uri, abs_src_path=str(path.resolve())))

    def _add_redirects(self, corpus: Corpus, files: Files, config: MkDocsConfig) -> None:
        """Fail if a published address would vanish; write a static page for each declared redirect."""
        served = {"/" + file.url.removeprefix("./") for file in files.documentation_pages()}
        problems = redirects.redirect_problems(served, corpus.redirects)
        if problems:
            raise PluginError("\n".join(problems))
        manifest = Path(self.config.url_manifest)
        missing = redirects.vanished(redirects.read_manifest(manifest), served, corpus.redirects)
        if missing:
            raise PluginError(redirects.vanished_message(missing, manifest))
        for redirect in corpus.redirects.values():
            path = redirects.redirect_file(redirect)
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"docs/{path} would hide the redirect from {redirect.old}; remove one of them")
            files.append(File.generated(config, path, content=redirects.redirect_html(redirect, config.site_url)))

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        """Give the templates the footer fields of this plugin's configuration, the self-check
        runtime's site-relative addresses (``selfcheck_runtime``; its ``snapshot`` is empty when
        off), and the share kit's QR code filters:
        ``{{ page.canonical_url | qr_svg }}`` (inline SVG) and ``qr_svg_download``."""
        env.globals["site_registration"] = {
            "site_owner": self.config.site_owner.strip(),
            "icp_number": self.config.icp_number.strip(),
        }
        env.globals["selfcheck_runtime"] = {
            "worker": checks.WORKER_URI,
            "script": checks.SCRIPT_URI,
            "runtime": RUNTIME_URI,
            "engine": checks.ENGINE_URI,
            "snapshot": SNAPSHOT_URI if self.config.selfcheck_snapshot else "",
        }
        env.filters["qr_svg"] = qr_svg
        env.filters["qr_svg_download"] = qr_svg_download
        return env

    def on_page_content(self, html: str, *, page, config: MkDocsConfig, files: Files) -> str:
        """With ``selfcheck_snapshot: false`` no snapshot is shipped, so check forms must not point at one."""
        if self.config.selfcheck_snapshot:
            return html
        return SNAPSHOT_ATTRIBUTE.sub("", html)

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


def _title_of(file: File) -> str:
    """The first Markdown heading of a hand-written page, for its navigation entry."""
    for line in Path(file.abs_src_path).read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return Path(file.src_uri).stem.replace("-", " ").capitalize()
