"""The site's address: one setting (``site_url``, overridden by ``build --site-url``), a warning and a
visible notice while it is the placeholder, and release builds that refuse the placeholder or a
non-https address. Built from the small fixture project, once as a preview and once as a release."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, serve
from projects import fixture_project
from qrcodes import png_of_data_url, read_qr

from generator import siteaddress
from generator.cli import main

pytestmark = pytest.mark.build

REAL = "https://guide.example.net/sme/"
"""A published address with a sub-path, as a deployer would give it."""
PLACEHOLDER_WARNING = "site_url is the placeholder"


def test_the_placeholder_is_recognised_however_it_is_written() -> None:
    for url in ("https://compliance.example.org/", "https://compliance.example.org", "HTTPS://Compliance.Example.org/"):
        assert siteaddress.is_preview(url), url
    assert siteaddress.is_preview("") and siteaddress.is_preview(None)
    assert not siteaddress.is_preview(REAL)
    assert siteaddress.preview_warning(REAL) is None
    warning = siteaddress.preview_warning(siteaddress.PLACEHOLDER)
    assert "QR codes" in warning and "--site-url" in warning and "\n" not in warning


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://compliance.example.org/", "is the placeholder"),
        ("", "is not set"),
        ("http://guide.example.net/", "is not an https:// address"),
        ("ftp://guide.example.net/", "is not an https:// address"),
    ],
)
def test_release_refuses_placeholder_missing_and_plain_http_addresses(url: str, reason: str) -> None:
    assert reason in siteaddress.release_problem(url)


def test_release_accepts_a_real_https_address() -> None:
    assert siteaddress.release_problem(REAL) is None


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    project = fixture_project(tmp_path / "project")
    monkeypatch.chdir(project)
    return project


@pytest.mark.parametrize(
    ("extra", "reason"),
    [([], "is the placeholder"), (["--site-url", "http://guide.example.net/"], "is not an https:// address")],
)
def test_release_build_refuses_with_one_line_and_changes_nothing(
    project: Path, capsys: pytest.CaptureFixture, extra: list[str], reason: str
) -> None:
    code = main(["build", "--release", *extra])
    captured = capsys.readouterr()
    assert code == 1
    lines = captured.err.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("release refused: site_url") and reason in lines[0]
    assert "nothing was built or changed" in lines[0]
    assert not (project / "site").exists()
    assert [path.name for path in project.iterdir() if path.name.startswith(".site")] == []


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    """The fixture project built as a preview (placeholder address) and as a release (``--site-url``):
    each site folder with what the build printed on standard error."""
    import contextlib
    import io
    import os

    project = fixture_project(tmp_path_factory.mktemp("address") / "project")
    built = {}
    previous = Path.cwd()
    os.chdir(project)
    try:
        for name, extra in (("preview", []), ("release", ["--release", "--site-url", REAL])):
            errors = io.StringIO()
            with contextlib.redirect_stderr(errors):
                code = main(["build", "--site-dir", f"site-{name}", *extra])
            assert code == 0, errors.getvalue()
            built[name] = (project / f"site-{name}", errors.getvalue())
    finally:
        os.chdir(previous)
    return built


def case_soup(site: Path) -> BeautifulSoup:
    html = (site / "cases" / "unsigned-contracts" / "index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser")


def test_a_preview_build_warns_once_and_marks_the_share_kit(builds) -> None:
    site, errors = builds["preview"]
    assert errors.count(PLACEHOLDER_WARNING) == 1, errors
    warning = next(line for line in errors.splitlines() if PLACEHOLDER_WARNING in line)
    assert warning.startswith("WARNING") and "QR codes" in warning and "handouts" in warning
    notice = case_soup(site).select_one(".share-kit .share-kit__preview")
    assert notice is not None
    assert "Preview build: links point to a placeholder" in notice.get_text(" ", strip=True)


def test_a_release_build_uses_the_address_given_and_says_nothing_of_a_preview(builds) -> None:
    site, errors = builds["release"]
    assert PLACEHOLDER_WARNING not in errors
    soup = case_soup(site)
    address = f"{REAL}cases/unsigned-contracts/"
    assert soup.find("link", rel="canonical")["href"] == address
    assert soup.find("meta", property="og:url")["content"] == address
    assert soup.select_one(".share-kit__preview") is None
    assert "compliance.example.org" not in soup.select_one(".share-kit").decode()
    assert f"<loc>{address}</loc>" in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_a_release_builds_qr_code_files_decode_to_the_real_address(builds) -> None:
    site, _ = builds["release"]
    download = case_soup(site).select_one(".share-kit a.share-kit__download--png")
    assert read_qr(png_of_data_url(download["href"])) == [f"{REAL}cases/unsigned-contracts/"]


@pytest.mark.browser
def test_a_release_builds_printed_qr_codes_decode_to_the_real_addresses(builds, browser) -> None:
    """Both codes of the handout, as printed: the case's and its self-check's (none in this project,
    so only the case's), drawn by Chromium in print media."""
    site, _ = builds["release"]
    server, url = serve(site)
    try:
        context = browser.new_context(viewport={"width": 794, "height": 1123})
        page = context.new_page()
        page.goto(url + "cases/unsigned-contracts/")
        page.emulate_media(media="print")
        found = [text for code in page.locator(".share-kit svg.qr-code").all() for text in read_qr(code.screenshot())]
        assert found == [f"{REAL}cases/unsigned-contracts/"]
        context.close()
    finally:
        server.shutdown()
        server.server_close()


def test_make_passes_site_url_to_the_build_and_has_a_release_target() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--site-url" in makefile
    assert "generator build --release $(SITE_URL_OPTION)" in makefile
