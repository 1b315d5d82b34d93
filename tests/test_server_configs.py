"""The shipped server configurations, ``deploy/nginx/`` and ``deploy/caddy/Caddyfile``, serve the
built site like production: run by the real nginx and Caddy (Debian's packages) on loopback and
checked over HTTP: types, the precompressed copies, caching, the security headers with the build's
own Content-Security-Policy, hidden build files and the 404 page. Then a self-check reaches its
score in Chromium through nginx, with no policy violation in the page or its worker."""

from __future__ import annotations

import gzip
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT
from test_browser_checks import READY
from test_browser_csp import RECORD_VIOLATIONS

from generator import csp, urls
from generator.sitebuild import MARKER

pytestmark = pytest.mark.build

DEPLOY = ROOT / "deploy"
NGINX_SITE = DEPLOY / "nginx" / "compliance-guide.conf"
NGINX_HEADERS = DEPLOY / "nginx" / "snippets" / "compliance-guide-headers.conf"
CADDYFILE = DEPLOY / "caddy" / "Caddyfile"
SHIPPED_ROOT = "/srv/www/compliance"
"""Where the shipped files expect the site; the tests put their own path in its place."""
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
IMMUTABLE = "public, max-age=31536000, immutable"
RUNTIME = "assets/pyodide/"
SNAPSHOT = urls.SNAPSHOT
BUNDLE = re.compile(r"bundle\.[0-9a-f]{8}\.min\.js")


def require(program: str, package: str) -> str:
    found = shutil.which(program) or shutil.which(program, path="/usr/sbin:/usr/bin")
    if found is None:
        pytest.fail(
            f"{program} not found: install Debian's '{package}' package (apt-get install {package}); .ci/run does"
        )
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def substituted(text: str, replacements: dict[str, str]) -> str:
    """``text`` with each shipped value replaced; every one must be there, so a changed shipped
    file cannot silently leave the test serving something else."""
    for old, new in replacements.items():
        assert old in text, f"the shipped configuration no longer contains {old!r}"
        text = text.replace(old, new)
    return text


def wait_until_listening(process: subprocess.Popen, port: int, logs: list[Path]) -> None:
    def output() -> str:
        return "\n".join(log.read_text(errors="replace") for log in logs if log.exists())

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with status {process.returncode}:\n{output()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"the server did not listen on port {port} within 20 s:\n{output()}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def deployed_site(built_site: Path) -> Iterator[Path]:
    """The build where a server's own user can reach it, as on a real host (pytest's temporary
    folders are private to their owner): hard links to the built files, folder modes kept, so a
    site the web server's user may not read fails here too."""
    base = Path(tempfile.mkdtemp(prefix="served-site-"))
    base.chmod(0o755)
    site = base / "compliance"

    def link(source: str, target: str) -> None:
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)

    shutil.copytree(built_site, site, copy_function=link)
    yield site
    shutil.rmtree(base, ignore_errors=True)


@dataclass
class Server:
    name: str
    url: str
    port: int


# nginx


def nginx_files(site: Path, port: int, folder: Path) -> Path:
    """The shipped site file and snippet under a main configuration like Debian's, with the
    listen address and site folder changed, everything the server writes kept in ``folder``."""
    (folder / "snippets").mkdir(parents=True)
    shutil.copy(NGINX_HEADERS, folder / "snippets" / NGINX_HEADERS.name)
    site_conf = substituted(
        NGINX_SITE.read_text(encoding="utf-8"),
        {"listen 80;": f"listen 127.0.0.1:{port};", "listen [::]:80;\n": "", SHIPPED_ROOT: str(site)},
    )
    (folder / "compliance-guide.conf").write_text(site_conf, encoding="utf-8")
    if not BROTLI_MODULE.exists():
        pytest.fail(
            f"{BROTLI_MODULE} not found: install Debian's 'libnginx-mod-http-brotli-static' package; .ci/run does"
        )
    user = "user www-data;\n" if os.geteuid() == 0 else ""
    temp = " ".join(
        f"{kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main = folder / "nginx.conf"
    main.write_text(
        f"""{user}daemon off;
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
load_module {BROTLI_MODULE};
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    gzip on;
    access_log {folder / "access.log"};
    {temp}
    include {folder / "compliance-guide.conf"};
}}
""",
        encoding="utf-8",
    )
    return main


@pytest.fixture(scope="module")
def nginx(deployed_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    binary = require("nginx", "nginx")
    folder = tmp_path_factory.mktemp("nginx")
    port = free_port()
    main = nginx_files(deployed_site, port, folder)
    checked = subprocess.run([binary, "-t", "-p", str(folder), "-c", str(main)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "[warn]" not in checked.stderr and "[emerg]" not in checked.stderr, checked.stderr
    log = folder / "error.log"
    with (folder / "output.log").open("wb") as output:
        process = subprocess.Popen([binary, "-p", str(folder), "-c", str(main)], stdout=output, stderr=output)
    try:
        wait_until_listening(process, port, [folder / "output.log", log])
        yield Server("nginx", f"http://127.0.0.1:{port}/", port)
    finally:
        stop(process)
    errors = [line for line in log.read_text(errors="replace").splitlines() if "[crit]" in line or "[alert]" in line]
    assert errors == []


# Caddy


def caddyfile(site: Path, port: int) -> str:
    """The shipped Caddyfile on a loopback port, without its admin endpoint (a second Caddy on
    this machine would collide) and with the site folder changed."""
    shipped = substituted(
        CADDYFILE.read_text(encoding="utf-8"),
        {"\ncompliance.example.org {\n": f"\nhttp://127.0.0.1:{port} {{\n\tbind 127.0.0.1\n", SHIPPED_ROOT: str(site)},
    )
    return "{\n\tadmin off\n}\n\n" + shipped


@pytest.fixture(scope="module")
def caddy_config(deployed_site: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, dict[str, str]]:
    folder = tmp_path_factory.mktemp("caddy")
    port = free_port()
    config = folder / "Caddyfile"
    config.write_text(caddyfile(deployed_site, port), encoding="utf-8")
    env = {**os.environ, "HOME": str(folder), "XDG_DATA_HOME": str(folder), "XDG_CONFIG_HOME": str(folder)}
    return config, port, env


@pytest.fixture(scope="module")
def caddy(caddy_config: tuple[Path, int, dict[str, str]]) -> Iterator[Server]:
    binary = require("caddy", "caddy")
    config, port, env = caddy_config
    log = config.with_name("caddy.log")
    with log.open("wb") as output:
        process = subprocess.Popen(
            [binary, "run", "--config", str(config), "--adapter", "caddyfile"], stdout=output, stderr=output, env=env
        )
    try:
        wait_until_listening(process, port, [log])
        yield Server("caddy", f"http://127.0.0.1:{port}/", port)
    finally:
        stop(process)


@pytest.fixture(scope="module", params=["nginx", "caddy"])
def server(request: pytest.FixtureRequest) -> Server:
    return request.getfixturevalue(request.param)


# HTTP


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name: str) -> str:
        values = self.headers.get_all(name) or []
        assert len(values) <= 1, f"{name} sent {len(values)} times: {values}"
        return values[0] if values else ""

    @property
    def type(self) -> str:
        return self.header("Content-Type").split(";")[0].strip()


def fetch(server: Server, path: str, **headers: str) -> Response:
    """One GET, the body as sent (no decompression); header names with ``_`` for ``-``."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("GET", "/" + path, headers={name.replace("_", "-"): v for name, v in headers.items()})
        reply = connection.getresponse()
        return Response(reply.status, reply.headers, reply.read())
    finally:
        connection.close()


def build_policy(site: Path) -> str:
    return (site / csp.POLICY_FILE).read_text(encoding="utf-8").strip()


def assert_security_headers(response: Response, site: Path) -> None:
    assert response.header("X-Content-Type-Options") == "nosniff"
    assert response.header("Referrer-Policy") == "strict-origin-when-cross-origin"
    permissions = response.header("Permissions-Policy")
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions
    assert response.header("Content-Security-Policy") == build_policy(site) + "; frame-ancestors 'none'"


# The tests


def test_the_build_writes_the_policy_as_nginx_and_caddy_lines(built_site: Path) -> None:
    header = csp.header_policy(build_policy(built_site))
    nginx_line = (built_site / ".content-security-policy.nginx").read_text(encoding="utf-8").splitlines()[-1]
    caddy_line = (built_site / ".content-security-policy.caddy").read_text(encoding="utf-8").splitlines()[-1]
    assert nginx_line == f'add_header Content-Security-Policy "{header}" always;'
    assert caddy_line == f'header Content-Security-Policy "{header}"'
    for bad in ('"', "\\", "$x", "{x}", "\n"):
        with pytest.raises(ValueError, match="cannot be written into a server configuration"):
            csp.server_snippets(f"script-src 'self' {bad}")


def test_nginx_declares_a_type_for_every_file_the_build_writes(built_site: Path) -> None:
    block = re.search(r"\btypes\s*\{(.*?)\}", NGINX_SITE.read_text(encoding="utf-8"), re.S).group(1)
    declared = {
        ext: kind
        for kind, *exts in (line.rstrip(";").split() for line in block.split(";") if line.strip())
        for ext in exts
    }
    files = [path for path in built_site.rglob("*") if path.is_file() and not path.name.startswith(".")]
    extensions = {
        path.suffix.lstrip(".")
        for path in files
        if path.suffix not in {".br", ".gz"} or not path.with_suffix("").exists()
    }
    assert sorted(extensions - declared.keys()) == []
    assert declared["mjs"] == declared["js"] == "text/javascript"
    assert declared["wasm"] == "application/wasm"


def test_caddy_validates_the_caddyfile(caddy_config: tuple[Path, int, dict[str, str]]) -> None:
    config, _, env = caddy_config
    done = subprocess.run(
        [require("caddy", "caddy"), "validate", "--config", str(config), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert "Valid configuration" in done.stdout + done.stderr


def test_a_page_is_html_revalidated_with_the_security_headers_and_the_builds_policy(
    server: Server, deployed_site: Path
) -> None:
    page = fetch(server, "checks/labour-check/", Accept_Encoding="identity")
    assert page.status == 200
    assert page.header("Content-Type") == "text/html; charset=utf-8"
    assert page.header("Cache-Control") == "no-cache"
    assert page.body == (deployed_site / "checks" / "labour-check" / "index.html").read_bytes()
    assert_security_headers(page, deployed_site)
    etag = page.header("ETag")
    assert etag
    assert fetch(server, "checks/labour-check/", Accept_Encoding="identity", If_None_Match=etag).status == 304
    compressed = fetch(server, "checks/labour-check/", Accept_Encoding="gzip")
    assert compressed.header("Content-Encoding") == "gzip"
    assert gzip.decompress(compressed.body) == page.body
    moved = fetch(server, "checks/labour-check")
    assert moved.status in (301, 308) and moved.header("Location") == "/checks/labour-check/"


@pytest.mark.parametrize(
    "name, kind",
    [
        ("pyodide.asm.wasm", "application/wasm"),
        ("pyodide.mjs", "text/javascript"),
        ("pyodide.asm.mjs", "text/javascript"),
        ("python_stdlib.zip", "application/zip"),
        ("pyodide-lock.json", "application/json"),
    ],
)
@pytest.mark.parametrize(
    "accept, copy, encoding",
    [("br", ".br", "br"), ("gzip", ".gz", "gzip"), ("gzip, deflate, br", ".br", "br"), ("identity", "", "")],
)
def test_the_runtime_goes_out_as_its_precompressed_copies(
    server: Server, deployed_site: Path, name: str, kind: str, accept: str, copy: str, encoding: str
) -> None:
    response = fetch(server, RUNTIME + name, Accept_Encoding=accept)
    assert response.status == 200
    assert response.type == kind
    assert response.header("Content-Encoding") == encoding
    assert response.body == (deployed_site / RUNTIME / (name + copy)).read_bytes()
    if encoding:
        assert "accept-encoding" in response.header("Vary").lower()
    # Not immutable: the runtime's names stay the same when a deployment changes its content.
    assert response.header("Cache-Control") == "no-cache"
    etag = response.header("ETag")
    assert etag and fetch(server, RUNTIME + name, Accept_Encoding=accept, If_None_Match=etag).status == 304
    assert_security_headers(response, deployed_site)


@pytest.mark.parametrize(
    "accept, copy, encoding",
    [("br", ".br", "br"), ("gzip, deflate, br", ".br", "br"), ("gzip", ".gz", "gzip")],
)
def test_the_snapshot_goes_out_as_its_precompressed_copies(
    server: Server, deployed_site: Path, accept: str, copy: str, encoding: str
) -> None:
    """The worker relies on it: a snapshot sent without Content-Encoding makes it fetch the .gz
    copy by name instead (as from a server that cannot negotiate)."""
    response = fetch(server, SNAPSHOT, Accept_Encoding=accept)
    assert response.status == 200
    assert response.header("Content-Encoding") == encoding
    assert response.body == (deployed_site / (SNAPSHOT + copy)).read_bytes()
    assert response.header("Cache-Control") == "no-cache"
    by_name = fetch(server, SNAPSHOT + ".gz", Accept_Encoding="identity")
    assert by_name.status == 200 and by_name.body == (deployed_site / (SNAPSHOT + ".gz")).read_bytes()


def test_only_fingerprinted_assets_are_immutable(server: Server, deployed_site: Path) -> None:
    javascripts = deployed_site / "assets" / "javascripts"
    bundle = next(path.name for path in javascripts.iterdir() if BUNDLE.fullmatch(path.name))
    stylesheet = next(path.name for path in (deployed_site / "assets" / "stylesheets").glob("main.*.min.css"))
    for path, kind in [
        (f"assets/javascripts/{bundle}", "text/javascript"),
        (f"assets/stylesheets/{stylesheet}", "text/css"),
        (next(f"assets/javascripts/workers/{p.name}" for p in (javascripts / "workers").glob("search.*.js")), None),
    ]:
        response = fetch(server, path, Accept_Encoding="gzip")
        assert (response.status, response.header("Cache-Control")) == (200, IMMUTABLE), path
        assert kind is None or response.type == kind
    for path, kind in [
        ("assets/javascripts/selfcheck.js", "text/javascript"),
        ("assets/javascripts/selfcheck-worker.js", "text/javascript"),
        ("assets/stylesheets/site.css", "text/css"),
        ("assets/selfcheck/scoring.py", None),
        ("search/search_index.json", "application/json"),
        ("sitemap.xml", None),
        ("", "text/html"),
    ]:
        response = fetch(server, path, Accept_Encoding="gzip")
        assert (response.status, response.header("Cache-Control")) == (200, "no-cache"), path
        assert kind is None or response.type == kind, path
        if path.endswith(".js"):
            assert_security_headers(response, deployed_site)  # the worker's own policy comes from these
    assert fetch(server, "assets/selfcheck/scoring.py").type.startswith("text/")
    missing = fetch(server, "assets/javascripts/bundle.00000000.min.js")
    assert (missing.status, missing.header("Cache-Control")) == (404, "no-cache")


def test_the_builds_own_files_are_not_served(server: Server, deployed_site: Path) -> None:
    hidden = sorted(path.name for path in deployed_site.iterdir() if path.name.startswith("."))
    assert {MARKER, csp.POLICY_FILE, ".content-security-policy.nginx", ".content-security-policy.caddy"} <= set(hidden)
    for name in hidden:
        response = fetch(server, name, Accept_Encoding="identity")
        assert response.status in (403, 404), name
        assert response.body == (deployed_site / "404.html").read_bytes(), name


def test_a_missing_page_gets_the_sites_404_page(server: Server, deployed_site: Path) -> None:
    response = fetch(server, "no/such/page/", Accept_Encoding="identity")
    assert response.status == 404
    assert response.header("Content-Type") == "text/html; charset=utf-8"
    assert response.body == (deployed_site / "404.html").read_bytes()
    assert response.header("Cache-Control") == "no-cache"
    assert_security_headers(response, deployed_site)


@pytest.mark.browser
def test_a_self_check_scores_through_nginx_with_no_policy_violation(
    browser, nginx: Server, deployed_site: Path
) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script(RECORD_VIOLATIONS)
        problems: list[str] = []
        page.on("console", lambda message: message.type in ("error", "warning") and problems.append(message.text))
        page.on("pageerror", lambda error: problems.append(str(error)))
        workers: list[str] = []
        page.on("worker", lambda worker: workers.append(worker.url))
        responses = {}
        page.on("response", lambda response: responses.setdefault(response.url.removeprefix(nginx.url), response))
        page.goto(nginx.url + "checks/labour-check/")
        page.locator('input[name="labour-written-contracts"][value="yes"]').check()
        page.wait_for_selector('form[data-check-state="ready"] [data-result-score]', timeout=READY)
        assert page.inner_text("[data-result-score]").strip()
        assert page.get_attribute("form[data-check]", "data-check-started") == "snapshot"
        assert page.evaluate("window.__violations") == []
        assert [text for text in problems if "Content Security Policy" in text or "Permissions-Policy" in text] == []
        assert problems == []
        assert any(url.endswith("/selfcheck-worker.js") for url in workers)
        policy = build_policy(deployed_site) + "; frame-ancestors 'none'"
        worker_script = responses["assets/javascripts/selfcheck-worker.js"]
        assert worker_script.all_headers()["content-security-policy"] == policy
        wasm = responses[RUNTIME + "pyodide.asm.wasm"]
        assert wasm.all_headers().get("content-encoding") in ("br", "gzip")
        assert (RUNTIME + "python_stdlib.zip") not in responses
        assert responses[SNAPSHOT].all_headers().get("content-encoding") == "br"
        assert SNAPSHOT + ".gz" not in responses, "negotiated: no second download"
    finally:
        context.close()
