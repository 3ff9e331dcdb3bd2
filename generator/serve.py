"""`statement serve`: the site as the editor saves it, at http://127.0.0.1:8000/ (or the next
free port: the guide's own `mkdocs serve` is at 8001, and a second preview may be running).

mkdocs' live-reload server watches statement/, templates/ and locales/, rebuilds after a save
and reloads the open page. The preview is built into a temporary folder and marked up there
only: the check's findings as a banner, the reload script and a policy that lets it run. The
published build never passes through here, so it never carries any of them.
"""

from __future__ import annotations

import errno
import html
import logging
import re
import shutil
import socket
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from mkdocs.livereload import LiveReloadServer

from .check import SEVERITIES, Examined, Finding, Report, as_text, examine
from .command import to_type
from .errors import StatementError
from .model import Site
from .site import write_site

# A save is seen within POLL seconds and built once no other file has changed for SETTLE
# (mkdocs' 0.5 and 0.1 would spend most of the 0.3 s a preview may take to answer it).
POLL, SETTLE = 0.1, 0.05
HOST = "127.0.0.1"  # the editor's own machine only: a draft is not for the network
WATCHED = ("statement", "templates", "locales")
TRIES = 20  # ports tried, from the one asked for up, before giving up
STYLESHEET = "_preview/preview.css"
CSP = re.compile(r'(<meta http-equiv="Content-Security-Policy" content=")')
BODY = re.compile(rb"<body[^>]*>")
PREVIEW_CSS = b"""\
.preview-banner { margin: 0; padding: 0.75rem 1rem; font: 0.9rem/1.4 sans-serif;
  background: #fff4d6; color: #222; border-bottom: 2px solid #c98a00; }
.preview-banner.preview-failed { background: #ffe3e0; border-color: #b3261e; }
.preview-banner summary { cursor: pointer; }
.preview-banner ul { margin: 0.5rem 0 0; padding-left: 1.25rem; }
.preview-banner .fix { display: block; color: #444; }
.preview-banner code { font-size: 0.85rem; }
"""


class Preview:
    """Builds the preview after every save; remembers the last good build to show under an error."""

    def __init__(
        self,
        root: Path,
        cache: Path | None,
        out: Path,
        echo: Callable[..., None],
        today: date | None = None,
    ):
        self.root, self.cache, self.out, self.echo = root, cache, out, echo
        self.today = today  # None: each rebuild is for the day it is made on
        self.last_good: dict[str, bytes] = {}

    def rebuild(self) -> None:
        try:
            examined = examine(self.root, self.cache, self.today)
        except Exception as error:  # mkdocs' server would wait for ever on a rebuild that raised
            examined = Examined(None, _failure(error, self.root))
        report = examined.report
        if examined.site is not None:
            self.last_good = dict(examined.site.files)
            files = _marked(self.last_good, _banner(report, self.root, failed=False))
            self.echo(f"{_now()} Rebuilt: {_counts(report)}.")
        else:
            files = _marked(self.last_good or _empty(), _banner(report, self.root, failed=True))
            self.echo(f"{_now()} The save could not be built; the preview shows why.", err=True)
            self.echo(as_text(_errors_only(report), self.root), err=True)
        write_site(Site(tuple(sorted(files.items()))), self.out)


def _failure(error: Exception, root: Path) -> Report:
    """What went wrong outside the statement, as a finding the banner and the terminal show."""
    message = f"the preview could not be built: {type(error).__name__}: {error}"
    hint = "fix what the message names and save again; if it persists, report it"
    return Report((Finding("error", root, None, "build", None, message, hint),), ())


def serve(
    root: Path, port: int, cache: Path | None, echo: Callable[..., None], today: date | None = None
) -> None:
    """Serve the preview until interrupted (Ctrl+C); `today` as the build's."""
    folder = Path(tempfile.mkdtemp(prefix="statement-preview-"))
    logging.getLogger("mkdocs.livereload").setLevel(logging.ERROR)  # no line per request
    try:
        port = free_port(root, port, echo)
        preview = Preview(root, cache, folder / "site", echo, today)
        preview.rebuild()
        said = f"Preview at http://{HOST}:{port}/ — it rebuilds when you save. Ctrl+C stops it."
        server = _Server(
            lambda: echo(said), preview.rebuild, HOST, port, str(folder / "site"),
            polling_interval=POLL,
        )  # fmt: skip
        for part in WATCHED:
            if (root / part).is_dir():
                server.watch(str(root / part))
        _run(server, root, port, echo)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def free_port(root: Path, port: int, echo: Callable[..., None]) -> int:
    """The port asked for, or the next free one, said out loud: a busy port is no reason to stop."""
    for candidate in range(port, min(port + TRIES, 65536)):
        if _is_free(candidate):
            if candidate != port:
                echo(
                    f"Port {port} is in use (by another preview, or the guide?): using {candidate}."
                )
            return candidate
    last = min(port + TRIES, 65536) - 1
    hint = f"stop a preview you no longer need, or choose another port: statement serve --port {last + 1}"
    raise StatementError(root, None, f"ports {port} to {last} are all in use", hint)


def _is_free(port: int) -> bool:
    # as the server will bind: reusing an address in TIME_WAIT, never one something listens on
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


class _Server(LiveReloadServer):
    """mkdocs' server, saying where the preview is once it listens and watches (not before: a
    browser sent there at once would find nothing, a save made at once would go unseen)."""

    def __init__(self, announce: Callable[[], None], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.announce = announce
        self.build_delay = SETTLE

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        self.announce()  # serve() binds the socket and starts the watching before this
        super().serve_forever(poll_interval)

    def _serve_request(self, environ: dict, start_response: Callable) -> object:
        if "\0" in environ.get("PATH_INFO", ""):
            return None  # a null byte names no file: Not Found, where mkdocs would fail with a 500
        return super()._serve_request(environ, start_response)


def _run(server: LiveReloadServer, root: Path, port: int, echo: Callable[..., None]) -> None:
    try:
        server.serve()
    except KeyboardInterrupt:
        echo("Preview stopped.")
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        hint = f"stop what uses it, or choose another port: statement serve --port {port + 1}"
        raise StatementError(root, None, f"port {port} is already in use", hint) from None
    finally:
        server.shutdown()


# --- the preview's own marks, on its copy of the pages ------------------------------------------


def _marked(files: dict[str, bytes], banner: str) -> dict[str, bytes]:
    marked = {
        path: _with_banner(data, banner) if path.endswith(".html") else data
        for path, data in files.items()
    }
    return marked | {STYLESHEET: PREVIEW_CSS}


def _with_banner(page: bytes, banner: str) -> bytes:
    text = page.decode("utf-8")
    # the reload script is inline and asks the server for news: the preview's policy allows both
    text = CSP.sub(r"\1script-src 'unsafe-inline'; connect-src 'self'; ", text, count=1)
    link = f'<link rel="stylesheet" href="/{STYLESHEET}">\n</head>'
    data = text.replace("</head>", link, 1).encode("utf-8")
    found = BODY.search(data)
    at = found.end() if found else 0
    return data[:at] + b"\n" + banner.encode("utf-8") + data[at:]


def _empty() -> dict[str, bytes]:
    """A page to show the error on when no build has worked yet."""
    page = '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
    page += "<title>Preview: not built</title>\n</head>\n<body>\n</body>\n</html>\n"
    return {"index.html": page.encode("utf-8")}


def _banner(report: Report, root: Path, *, failed: bool) -> str:
    """Findings folded under a one-line summary (no script needed); an error is shown open."""
    if failed:
        title = "The last save could not be built. This is the last good build, if any."
        findings = _errors_only(report).findings
    else:
        title = f"Preview, not published: {to_type('check')} finds {_counts(report)}."
        findings = report.to_fix
    items = "".join(_item(finding, root) for finding in findings)
    kind = "preview-banner preview-failed" if failed else "preview-banner"
    role = "alert" if failed else "status"
    summary = f"<summary><strong>{html.escape(title)}</strong></summary>"
    listed = f"<details{' open' if failed else ''}>{summary}<ul>{items}</ul></details>"
    return f'<div class="{kind}" role="{role}">{listed}</div>'


def _item(finding: Finding, root: Path) -> str:
    where, message, fix = (
        html.escape(s) for s in (finding.where(root), finding.message, finding.hint)
    )
    return f'<li><code>{where}</code>: {message}<span class="fix">fix: {fix}</span></li>'


def _errors_only(report: Report) -> Report:
    return Report(
        tuple(f for f in report.findings if f.severity == "error"), (), report.source_language
    )


def _counts(report: Report) -> str:
    counts = [
        f"{sum(f.severity == severity for f in report.findings)} {severity}(s)"
        for severity in SEVERITIES
        if severity != "accepted"
    ]
    return ", ".join(counts)


def _now() -> str:
    return time.strftime("[%H:%M:%S]")
