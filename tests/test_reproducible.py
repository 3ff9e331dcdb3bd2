"""The same bytes everywhere (issue 8): two clones of one history, in different folders, built with
a different time zone, locale, umask and user, write byte-identical sites, PDFs included, that a
web server can read; and no commit date, in any time zone, moves an effective date by a day.

What a version's date is comes from statement.toml (a TOML date, which has no time zone), never
from a commit's date; the pages, feeds and PDFs give times as that date at midnight UTC.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SHARED_CACHE, site_files
from repos import IDENTITY, StatementRepo, make_repo
from test_versions import second_version

NOBODY = 65534
PDFS = 6  # two versions in two languages, and the second version's changes in both


def clone(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True)
    subprocess.run(["git", "clone", "-q", str(source), str(target)], check=True, env=_git_env())
    return target


def _git_env() -> dict[str, str]:
    return {**os.environ, **IDENTITY}


def as_nobody() -> tuple[list[str], str]:
    """The command prefix that runs a build as the user nobody, or [] and why it cannot."""
    if os.geteuid() != 0:
        return [], "a test can only switch users as root"
    command = [shutil.which("setpriv") or "setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}",
               "--clear-groups"]  # fmt: skip
    probe = subprocess.run(
        [*command, sys.executable, "-c", "import generator.build, weasyprint"],
        capture_output=True,
        cwd="/",
    )
    if probe.returncode != 0:
        return [], f"nobody cannot run this Python ({probe.stderr.decode(errors='replace')})"
    return command, ""


def build(root: Path, cache: Path, env: dict[str, str], umask: int, prefix: list[str] = ()):
    """`python -m generator build` in a process of its own, with exactly this environment."""
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "generator", "build", "--root", str(root),
         "--cache", str(cache)],
        env={"PATH": os.environ["PATH"], **env},
        umask=umask,
        cwd=root,
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done


def modes(folder: Path) -> dict[str, str]:
    """Every file's and folder's permissions, the folder itself included."""
    return {
        path.relative_to(folder).as_posix(): stat.filemode(path.stat().st_mode)
        for path in [folder, *folder.rglob("*")]
    }


@pytest.fixture
def elsewhere() -> Iterator[Path]:
    """A folder outside pytest's own (which only its user may enter), for another user's build."""
    folder = Path(tempfile.mkdtemp(prefix="statement-elsewhere-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_two_clones_built_in_other_zones_locales_umasks_and_users_are_the_same(
    tmp_path: Path, elsewhere: Path
) -> None:
    repo = make_repo(tmp_path / "origin")
    second_version(repo)
    first = clone(repo.root, tmp_path / "a" / "project")
    second = clone(repo.root, elsewhere / "much" / "deeper" / "statement-site")
    prefix, why_not = as_nobody()
    if prefix:  # the second clone, its cache and its home belong to nobody, as they would
        (elsewhere / "cache").mkdir()
        (elsewhere / "home").mkdir()
        for inner in [elsewhere, *elsewhere.rglob("*")]:
            os.lchown(inner, NOBODY, NOBODY)
    else:
        # Not root: the second build runs as this user too. It still differs in all else.
        print(f"both builds run as uid {os.geteuid()}: {why_not}")
    one = build(
        first,
        tmp_path / "cache-a",  # each build renders its own PDFs: none comes from a shared cache
        {"TZ": "Pacific/Kiritimati", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "HOME": str(tmp_path)},
        umask=0o022,
    )
    two = build(
        second,
        elsewhere / "cache",
        {"TZ": "Pacific/Pago_Pago", "LANG": "nl_NL.UTF-8", "LC_ALL": "POSIX",
         "HOME": str(elsewhere / "home")},
        umask=0o077,
        prefix=prefix,
    )  # fmt: skip
    for done in (one, two):
        assert f"PDFs: {PDFS} rendered, 0 from the cache." in done.stdout
    a, b = site_files(first / "site"), site_files(second / "site")
    assert len([path for path in a if path.endswith(".pdf")]) == PDFS
    assert a == b
    if prefix:
        assert (second / "site" / "statement.json").stat().st_uid == NOBODY
    # Published as it is, the site is read by a web server that is neither user: under any umask
    # its folders are 755 and its files 644 (an umask of 077 would leave them to the builder).
    for site in (first / "site", second / "site"):
        found = modes(site)
        assert set(found.values()) == {"drwxr-xr-x", "-rw-r--r--"}
        assert found == modes(first / "site")


def commit_at(repo: StatementRepo, message: str, when: str) -> str:
    """Commit everything, authored and committed at `when` (ISO 8601 with its UTC offset)."""
    env = {**_git_env(), "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    for args in (["add", "-A"], ["commit", "-q", "-m", message]):
        subprocess.run(["git", *args], cwd=repo.root, env=env, check=True)
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo.root, capture_output=True, text=True, check=True
    ).stdout.strip()


def dated_history(root: Path, first: str, second: str) -> StatementRepo:
    """The EMS statement of 2021-02-23 committed at `first`, its version of 2022-03-01 at
    `second`."""
    repo = make_repo(root)  # its first commit, redone with the date asked for
    subprocess.run(
        ["git", "commit", "-q", "--amend", "--no-edit", "--reset-author"],
        cwd=root,
        env={**_git_env(), "GIT_AUTHOR_DATE": first, "GIT_COMMITTER_DATE": first},
        check=True,
    )
    repo.new_version("2022-03-01", "Bewaartermijn aangescherpt.", "Retention period tightened.")
    repo.edit(
        "nl.md", "niet langer dan nodig is", "uiterlijk twee jaar en niet langer dan nodig is"
    )
    repo.edit("en.md", "for longer than is necessary", "for more than two years")
    commit_at(repo, "Version of 1 March 2022", second)
    return repo


def without_commits(index: bytes) -> dict:
    data = json.loads(index)
    for version in data["versions"]:
        version.pop("commit")
    return data


def without_times(feed: bytes) -> bytes:
    return re.sub(rb"<(published|updated)>[^<]*</", rb"<\1></", feed)


@pytest.mark.parametrize("zone", ["Pacific/Pago_Pago", "Pacific/Kiritimati"])
def test_commit_dates_in_any_time_zone_never_move_an_effective_date(tmp_path, zone) -> None:
    # 23:30 at UTC-11 is the next day in UTC and two days later at UTC+14; 00:30 at UTC+14 is the
    # day before in UTC. Neither the commits' zones nor the build's may move a date.
    late = dated_history(
        tmp_path / "late", "2021-02-23T23:30:00-11:00", "2022-03-01T23:30:00-11:00"
    )
    early = dated_history(
        tmp_path / "early", "2021-02-23T00:30:00+14:00", "2022-03-01T00:30:00+14:00"
    )
    sites = []
    for repo in (late, early):
        env = {"TZ": zone, "LC_ALL": "C.UTF-8", "HOME": str(tmp_path)}
        build(
            repo.root, SHARED_CACHE, env, umask=0o022
        )  # the run's cache: one zone renders, the next reuses
        sites.append(site_files(repo.root / "site"))
    late_site, early_site = sites
    index = json.loads(late_site["statement.json"])
    assert [v["date"] for v in index["versions"]] == ["2021-02-23", "2022-03-01"]
    assert index["current"] == "2022-03-01"
    for lang, words in (("nl", "1 maart 2022"), ("en", "1 March 2022")):
        assert f"{lang}/2021-02-23/index.html" in late_site
        assert f"{lang}/2022-03-01/index.html" in late_site
        page = late_site[f"{lang}/index.html"].decode("utf-8")
        assert f'<time datetime="2022-03-01">{words}</time>' in page
        assert '<meta name="dcterms.created" content="2022-03-01T00:00:00Z">' in page
        feed = late_site[f"{lang}/feed.xml"].decode("utf-8")
        assert "<published>2022-03-02T10:30:00Z</published>" in feed  # committed, in UTC
    assert "In force from 1 March 2022." in late_site["en/feed.xml"].decode("utf-8")
    # the two histories differ in their commits' dates, so in their hashes and the feeds' times of
    # publication, and in nothing else
    assert set(late_site) == set(early_site)
    differ = {p for p in late_site if late_site[p] != early_site[p]}
    assert differ == {"statement.json", "nl/feed.xml", "en/feed.xml"}
    for feed in ("nl/feed.xml", "en/feed.xml"):
        assert without_times(late_site[feed]) == without_times(early_site[feed])
    assert without_commits(late_site["statement.json"]) == without_commits(
        early_site["statement.json"]
    )
