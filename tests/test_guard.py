"""The guard reads what the pages show (issue 12): each way past it, and each broken commit that
once broke every later build, as a real git history."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest
from conftest import REPO, run_build
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st
from repos import StatementRepo, make_repo

from generator.errors import StatementError
from generator.files import SourceFiles
from generator.i18n import load_catalogs
from generator.model import Language, Publication, Publisher, Settings, Statement, Version
from generator.plan import FILE_WORDS, plan_site
from generator.render import environment, render_page
from generator.source import statement_from
from generator.versions import published

RETENTION = "## Bewaartermijn {#retention .retention}"
RETENTION_NL = "Wij bewaren uw persoonsgegevens niet langer dan nodig is"
RETENTION_NL_NEW = "Wij bewaren uw persoonsgegevens uiterlijk twee jaar en niet langer dan nodig is"
EDITORIAL = "\n\nEditorial: the page reads the same"


@pytest.fixture
def repo(tmp_path: Path) -> StatementRepo:
    return make_repo(tmp_path / "project")


def versions(repo: StatementRepo) -> list[str]:
    index = json.loads((repo.root / "site" / "statement.json").read_text(encoding="utf-8"))
    return [v["date"] for v in index["versions"]]


def refused(repo: StatementRepo, sha: str, where: str) -> str:
    result = run_build(repo.root)
    assert result.exit_code == 1, result.stdout
    assert "Traceback" not in result.stderr
    assert f"commit {sha[:7]} changes what the statement says ({where})" in result.stderr
    return result.stderr


def built(repo: StatementRepo) -> str:
    result = run_build(repo.root)
    assert result.exit_code == 0, result.stderr
    return result.stdout


# --- the five ways past the guard -----------------------------------------------------------------


@pytest.mark.parametrize(
    "heading",
    [
        " ## Bewaartermijn {#retention .retention}",  # indented by one space
        "## Bewaartermijn {#retention .retention} ##",  # closed
        "Bewaartermijn {#retention .retention}\n-------------",  # setext
        "## Bewaartermijn {.retention #retention}",  # the class before the id
    ],
    ids=["indented", "closed", "setext", "class-first"],
)
def test_a_change_under_any_heading_the_reader_accepts_is_seen(
    repo: StatementRepo, heading: str
) -> None:
    repo.edit("nl.md", RETENTION, heading)
    repo.commit("Another way to write the heading")  # the same page: no change, no mark needed
    built(repo)
    repo.edit("nl.md", RETENTION_NL, RETENTION_NL_NEW)
    sha = repo.commit("Bewaartermijn aangepast")
    refused(repo, sha, "nl: retention")


def test_a_change_committed_with_text_that_does_not_render_is_judged_at_the_next_commit(
    repo: StatementRepo,
) -> None:
    repo.edit("nl.md", RETENTION_NL, RETENTION_NL_NEW + " <b>wip</b>")
    repo.commit("Bewaartermijn, half af")
    repo.edit("nl.md", " <b>wip</b>", "")
    sha = repo.commit("Opgeruimd")
    refused(repo, sha, "nl: retention")


def test_a_commit_that_does_not_render_is_passed_over_with_a_note(repo: StatementRepo) -> None:
    repo.edit("nl.md", RETENTION_NL, RETENTION_NL + " <b>wip</b>")
    broken = repo.commit("Half af")
    repo.edit("nl.md", " <b>wip</b>", "")
    repo.commit("Opgeruimd")
    out = built(repo)
    assert f"Passed over commit {broken[:7]}, which does not render" in out
    assert f"statement/nl.md (commit {broken[:7]}):54: raw HTML is not allowed" in out


def test_a_link_whose_target_alone_changes_is_a_change(repo: StatementRepo) -> None:
    link = "[de Autoriteit Persoonsgegevens](https://autoriteitpersoonsgegevens.nl/)"
    repo.edit("nl.md", RETENTION_NL, f"{RETENTION_NL} (zie {link})")
    repo.commit("Verwijzing" + EDITORIAL)
    repo.edit("nl.md", "https://autoriteitpersoonsgegevens.nl/", "https://example.com/")
    sha = repo.commit("Andere verwijzing")
    refused(repo, sha, "nl: retention")


def test_text_inside_a_code_block_is_a_change(repo: StatementRepo) -> None:
    repo.edit("nl.md", RETENTION_NL, f"```\nbewaartermijn = 2 jaar\n```\n\n{RETENTION_NL}")
    repo.commit("Code" + EDITORIAL)
    built(repo)
    repo.edit("nl.md", "bewaartermijn = 2 jaar", "bewaartermijn = 20 jaar")
    sha = repo.commit("Twintig")
    refused(repo, sha, "nl: retention")


def test_moving_a_section_is_a_change(repo: StatementRepo) -> None:
    for name, first, then in (
        ("nl.md", "## Beveiliging", "## Rechten"),
        ("en.md", "## Security", "## Rights"),
    ):
        text = (repo.statement / name).read_text(encoding="utf-8")
        start, end = text.index(first), text.index(then)
        moved = text[:start] + text[end:].replace("## Contact", text[start:end] + "## Contact")
        (repo.statement / name).write_text(moved, encoding="utf-8")
    sha = repo.commit("Security later")
    refused(repo, sha, "nl: the order of the sections; en: the order of the sections")


def test_a_changed_fact_is_a_change(repo: StatementRepo) -> None:
    repo.edit("statement.toml", '"Almere"]', '"Lelystad"]')
    sha = repo.commit("Verhuisd")
    stderr = refused(repo, sha, "nl: controller; en: controller; statement.toml: [publisher]")
    assert f"statement/nl.md (commit {sha[:7]}):3:" in stderr


def test_another_prevailing_language_is_a_change(repo: StatementRepo) -> None:
    """Which text legally applies is what the translation notice on every page says: switching
    it under the old date published, with exit 0, a statement whose English now prevailed."""
    repo.edit("statement.toml", 'source_language = "nl"', 'source_language = "en"')
    sha = repo.commit("English first")
    refused(repo, sha, "statement.toml: source_language")


# --- history that can always be built -------------------------------------------------------------


@pytest.mark.parametrize(
    "damage",
    ["emptied", "title only", "CR line ends", "a symlink", "a submodule", "renamed away"],
)
def test_a_broken_commit_in_the_history_is_passed_over(
    repo: StatementRepo, tmp_path: Path, damage: str
) -> None:
    nl = repo.statement / "nl.md"
    good = nl.read_bytes()
    if damage == "emptied":
        nl.write_text("", encoding="utf-8")
    elif damage == "title only":
        nl.write_text("# Privacy policy\n", encoding="utf-8")
    elif damage == "CR line ends":
        nl.write_bytes(good.replace(b"\n", b"\r"))
    elif damage == "a symlink":
        nl.unlink()
        nl.symlink_to("en.md")
    elif damage == "a submodule":
        sub = make_repo(tmp_path / "other")
        nl.unlink()
        repo.git("add", "-A")
        repo.git(
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "add",
            "-q",
            str(sub.root),
            "statement/nl.md",
        )
    else:
        repo.git("mv", "statement/nl.md", "statement/nl.txt")
    broken = repo.commit(f"Damage: {damage}")
    if damage == "a submodule":
        repo.git("rm", "-q", "-f", "statement/nl.md")
        (repo.root / ".gitmodules").unlink()
    elif damage == "renamed away":
        repo.git("mv", "statement/nl.txt", "statement/nl.md")
    nl.unlink(missing_ok=True)
    nl.write_bytes(good)
    repo.commit("Repaired")
    repo.new_version("2022-03-01", "Bewaartermijn aangescherpt.", "Retention period tightened.")
    repo.edit("nl.md", RETENTION_NL, RETENTION_NL_NEW)
    repo.commit("Version of 1 March 2022")
    out = built(repo)
    assert versions(repo) == ["2021-02-23", "2022-03-01"]
    if damage != "CR line ends":  # CR line ends read as any other: nothing to pass over
        assert f"Passed over commit {broken[:7]}" in out
    assert f"statement/nl.md (commit {broken[:7]})" in out or damage == "CR line ends"


def test_a_symlink_is_named_as_what_it_is(repo: StatementRepo) -> None:
    nl = repo.statement / "nl.md"
    good = nl.read_bytes()
    nl.unlink()
    nl.symlink_to("en.md")
    broken = repo.commit("Link")
    nl.unlink()
    nl.write_bytes(good)
    repo.commit("File again")
    out = built(repo)
    assert f"statement/nl.md (commit {broken[:7]}): nl.md is a symbolic link, not a file" in out


def test_a_broken_head_is_still_refused(repo: StatementRepo) -> None:
    (repo.statement / "nl.md").write_text("# Privacy policy\n", encoding="utf-8")
    repo.commit("Title only")
    result = run_build(repo.root)
    assert result.exit_code == 1
    assert "the text has no sections" in result.stderr and "Traceback" not in result.stderr


# --- nothing is taken on trust from the cache -----------------------------------------------------


def test_an_edited_cache_decides_nothing(repo: StatementRepo) -> None:
    cache = repo.root / ".cache" / "history.json"
    head = repo.git("rev-parse", "HEAD")
    repo.edit("nl.md", RETENTION_NL, RETENTION_NL_NEW)
    sha = repo.commit("Bewaartermijn aangepast")
    # an old cache keyed by the new HEAD that lists only the first commit, before the change
    forged = {"key": {"format": 1, "head": sha, "folder": "statement/"},
              "revisions": [{"commit": head, "editorial": "", "blobs": []}]}  # fmt: skip
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps(forged), encoding="utf-8")
    assert run_build(repo.root, cache=None).exit_code == 1
    assert json.loads(cache.read_text(encoding="utf-8")) == forged  # not read, not rewritten
    refused(repo, sha, "nl: retention")


# --- the property: a change is exactly what changes the page --------------------------------------

FOLDER = Path("/nonexistent/statement")  # named in messages only; never read
SETTINGS = Settings(
    effective=datetime.date(2021, 2, 23),
    source_language="nl",
    languages=(Language("nl", "nl_NL", "Nederlands"), Language("en", "en_GB", "English")),
    facts=(("company", "Voorbeeld B.V."), ("street", "Straat 1"), ("city", "Almere"),
           ("kvk", "12345678"), ("email", "privacy@voorbeeld.example"),
           ("website", "www.voorbeeld.example")),
    base_url=None,
    summary=(("nl", "Eerste versie."), ("en", "First version.")),
    publishers=(("nl", Publisher("Voorbeeld B.V.")), ("en", Publisher("Voorbeeld B.V."))),
)  # fmt: skip
WORDS = st.sampled_from(["wij", "bewaren", "*wij*", "{{city}}"])
BLOCK = st.tuples(
    st.sampled_from(["paragraph", "link", "code", "list", "table"]),
    st.lists(WORDS, min_size=1, max_size=3),
    st.sampled_from(["https://a.example/", "https://b.example/"]),
)
SECTIONS = st.lists(
    st.tuples(
        st.sampled_from(["kop", "kop twee", "*kop*"]), st.lists(BLOCK, min_size=1, max_size=2)
    ),
    min_size=1,
    max_size=2,
)
HEADINGS = ["## {h} {a}", " ## {h} {a}", "## {h} {a} ##", "{h} {a}\n---"]


def markdown(data: st.DataObject, sections: list, ids: list[str]) -> str:
    """The sections written one of the many ways that read the same, drawn by hypothesis."""
    text = "# Titel\n\n"
    for section_id, (heading, blocks) in zip(ids, sections, strict=False):
        attrs = data.draw(st.sampled_from(["{#%s}", "{#%s .x}", "{.x #%s}"])) % section_id
        text += data.draw(st.sampled_from(HEADINGS)).format(h=heading, a=attrs) + "\n\n"
        for kind, words, url in blocks:
            sep = data.draw(st.sampled_from([" ", "  ", "\n"]))
            said = sep.join(words)
            text += {
                "paragraph": f"{said}\n\n",
                "link": f"[{said}]({url})\n\n",
                "code": f"```\n{said}\n```\n\n",
                "list": f"- {said}\n- {words[0]}\n\n",
                "table": f"| {words[0]} |\n|---|\n| {said.replace(chr(10), ' ')} |\n\n",
            }[kind]
    return text


def page(statement: Statement) -> str:
    """The current Dutch page as the site renders it, white space as a browser shows it."""
    version = Version(SETTINGS.effective, statement, "0" * 40)
    publication = Publication((version,), ((),))
    words = {lang: {word: word for word in FILE_WORDS} for lang in ("nl", "en")}
    plan = plan_site(publication, words, pdfs=False)
    current = next(page for page in plan.pages if page.path == "nl/index.html")
    html = render_page(ENVIRONMENT, current, publication, plan).decode()
    return "".join(
        part if part.startswith("<pre") else re.sub(r"\s+", " ", part)
        for part in re.split(r"(<pre.*?</pre>)", html, flags=re.S)
    )


CATALOGS = load_catalogs(REPO / "locales", REPO / "templates", SETTINGS.languages, FILE_WORDS)
ENVIRONMENT = environment(REPO / "templates", CATALOGS)


@settings(max_examples=100, deadline=None)
@given(st.data(), SECTIONS, SECTIONS, st.booleans(), st.permutations(["a", "b"]))
def test_a_change_is_exactly_what_changes_the_page(data, one, other, same, ids) -> None:
    a = markdown(data, one, ["a", "b"])
    b = markdown(data, one if same else other, ["a", "b"] if same else ids)
    statements = []
    for text in (a, b):
        blobs = {"nl.md": text.encode(), "en.md": text.encode()}
        try:
            statements.append(statement_from(SourceFiles(FOLDER, blobs, "0000000"), SETTINGS))
        except* StatementError:
            assume(False)
    old, new = statements
    event("same page" if page(old) == page(new) else "another page")
    assert (published(old) != published(new)) == (page(old) != page(new))


# --- merges ---------------------------------------------------------------------------------------


def dated(repo: StatementRepo, day: str, old: str, new: str) -> str:
    repo.new_version(day, f"Versie van {day}.", f"Version of {day}.")
    repo.edit("nl.md", old, new)
    return repo.commit(f"Version of {day}")


def test_a_pulled_merge_keeps_every_version_in_order(repo: StatementRepo) -> None:
    repo.git("checkout", "-q", "-b", "editor")
    repo.edit("en.md", "We do not retain", "We do  not retain")
    repo.commit("Spacing" + EDITORIAL)
    repo.git("checkout", "-q", "main")
    dated(repo, "2022-01-01", RETENTION_NL, RETENTION_NL_NEW)
    dated(repo, "2022-06-01", "uiterlijk twee jaar", "uiterlijk drie jaar")
    repo.git("checkout", "-q", "editor")
    repo.git("merge", "-q", "--no-edit", "main")  # what `git pull` does on the editor's branch
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--ff-only", "editor")  # the merge becomes main
    built(repo)
    assert versions(repo) == ["2021-02-23", "2022-01-01", "2022-06-01"]
    january = (repo.root / "site" / "nl" / "2022-01-01" / "index.html").read_text(encoding="utf-8")
    assert "uiterlijk twee jaar" in january
    current = (repo.root / "site" / "nl" / "index.html").read_text(encoding="utf-8")
    assert "uiterlijk drie jaar" in current


def test_a_merge_is_judged_by_what_none_of_its_parents_said(repo: StatementRepo) -> None:
    repo.git("checkout", "-q", "-b", "left")
    repo.edit("nl.md", RETENTION_NL, RETENTION_NL + " (links)")
    repo.commit("Links" + EDITORIAL)
    repo.git("checkout", "-q", "main")
    repo.edit("en.md", "We do not retain", "We do not keep")
    repo.commit("Rechts" + EDITORIAL)
    repo.git("merge", "-q", "--no-edit", "left")  # both sides' editorial words: nothing new
    built(repo)
    repo.git("reset", "-q", "--hard", "HEAD~1")
    repo.git("merge", "-q", "--no-commit", "left")
    repo.edit("nl.md", "(links)", "(links en rechts)")  # a resolution says something new
    sha = repo.commit("Merge left")
    refused(repo, sha, "nl: retention")


# --- a wrong date, corrected without rewriting history ------------------------------------------


def test_a_wrong_committed_date_is_corrected_in_statement_corrections(repo: StatementRepo) -> None:
    wrong = dated(repo, "2202-03-01", RETENTION_NL, RETENTION_NL_NEW)
    toml = repo.statement / "statement.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("2202-03-01", "2022-03-01"), encoding="utf-8"
    )
    back = repo.commit("The date I meant")
    result = run_build(repo.root)
    assert result.exit_code == 1
    assert f"commit {back[:7]} moves the effective date back to 2022-03-01" in result.stderr
    assert (
        f"add the line '{wrong[:7]} 2202-03-01 <right date> <reason>' to statement/corrections"
        in result.stderr
    )
    (repo.statement / "corrections").write_text(
        f"# commit  wrong date  right date  reason\n{wrong[:7]} 2202-03-01 2022-03-01 typed 2202 for 2022\n",
        encoding="utf-8",
    )
    repo.commit("Correct the date of the 2022 version")
    built(repo)
    assert versions(repo) == ["2021-02-23", "2022-03-01"]
    page = (repo.root / "site" / "en" / "2022-03-01" / "index.html").read_text(encoding="utf-8")
    assert "2202" not in page


def test_a_correction_must_name_a_commit_with_that_date(repo: StatementRepo) -> None:
    first = repo.git("rev-parse", "HEAD")
    (repo.statement / "corrections").write_text(
        f"{first[:7]} 2020-01-01 2021-01-01 wrong\nabcdef0 2021-02-23 2021-03-01 unknown\n"
        "abcdef0 2021-02-23\n",
        encoding="utf-8",
    )
    repo.commit("Corrections")
    result = run_build(repo.root)
    assert result.exit_code == 1
    assert (
        f"statement/corrections:1: commit {first[:7]} has the date 2021-02-23, not 2020-01-01"
        in result.stderr
    )
    assert (
        "statement/corrections:2: commit abcdef0 is not in the history of statement/"
        in result.stderr
    )
    assert "statement/corrections:3: 'abcdef0 2021-02-23' is not a correction" in result.stderr


def test_a_correction_cannot_move_a_date_that_had_already_taken_effect(repo: StatementRepo) -> None:
    """A correction mends a typo nobody relied on. Moving a version that had been in force for a
    month to 2023 rewrote the site's account of which text applied in January 2022, without trace."""
    repo.new_version("2022-01-01", "Versie van 2022-01-01.", "Version of 2022-01-01.")
    repo.edit("nl.md", RETENTION_NL, RETENTION_NL_NEW)
    wrong = repo.commit("Version of 2022-01-01", when="2021-12-01T10:00:00+01:00")
    (repo.statement / "corrections").write_text(
        f"{wrong[:7]} 2022-01-01 2023-01-01 should have been next year\n", encoding="utf-8"
    )
    repo.commit("Correct the date", when="2022-02-02T10:00:00+01:00")
    result = run_build(repo.root)
    assert result.exit_code == 1
    assert (
        "statement/corrections:1: the version of 2022-01-01 had taken effect when this correction "
        "was committed, on 2022-02-02: the day a published version took effect cannot be changed\n"
        "    fix: remove the line, and publish a new version instead: "
        "statement release --date YYYY-MM-DD\n"
    ) in result.stderr


def corrected(repo: StatementRepo, right: str, when: str, trailer: str = "") -> str:
    """A version dated 2202-03-01 by mistake, committed on 20 February 2022; a correction of
    its date to `right` committed `when`, its message ending with `trailer`."""
    wrong = dated(repo, "2202-03-01", RETENTION_NL, RETENTION_NL_NEW)
    repo.git("commit", "-q", "--amend", "--no-edit", when="2022-02-20T10:00:00+01:00")
    wrong = repo.git("rev-parse", "HEAD")
    (repo.statement / "corrections").write_text(
        f"{wrong[:7]} 2202-03-01 {right} typed 2202 for 2022\n", encoding="utf-8"
    )
    return repo.commit(f"Correct the date{trailer}", when=when)


def test_a_correction_to_a_day_before_it_was_committed_needs_a_backdated_reason(
    repo: StatementRepo,
) -> None:
    """Until 5 March the site said the version applied from 2202: a correction that makes it
    apply from 1 March backdates it, and needs the reason a backdated version needs. The
    correction's own reason says why the date was wrong, not why it applies from before."""
    corrected(repo, "2022-03-01", when="2022-03-05T10:00:00+01:00")
    result = run_build(repo.root, extra=["--no-pdf"])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith(
        "statement/corrections:1: this correction dates the version 2022-03-01, before the day "
        "it was committed, 2022-03-05\n"
        "    fix: a version cannot apply before anyone could read its date: correct it to a day "
        "from 2022-03-05 on; or, if it must apply from 2022-03-01, say why in a trailer "
        "'Backdated: <reason>' in the message of the commit that adds this line"
    )
    message = "Correct the date\n\nBackdated: the board decided on 1 March; corrected late"
    repo.git("commit", "-q", "--amend", "-m", message, when="2022-03-05T10:00:00+01:00")
    built(repo)
    assert versions(repo) == ["2021-02-23", "2022-03-01"]


def test_a_correction_from_the_day_it_is_committed_needs_no_reason(repo: StatementRepo) -> None:
    corrected(repo, "2022-03-05", when="2022-03-05T10:00:00+01:00")
    built(repo)
    assert versions(repo) == ["2021-02-23", "2022-03-05"]


def test_a_correction_to_a_day_before_the_wrong_commit_needs_the_reason_once(
    repo: StatementRepo,
) -> None:
    # dated before the version itself was committed: the backdated version, said once
    sha = corrected(repo, "2022-01-15", when="2022-02-21T10:00:00+01:00")
    result = run_build(repo.root, extra=["--no-pdf"])
    assert result.exit_code == 1
    assert "dates a new version 2022-01-15, before the day it was committed, 2022-02-20" in (
        result.stderr
    )
    assert "this correction dates" not in result.stderr
    assert result.stderr.endswith("The site was not changed: 1 problem(s) to fix.\n")
    message = "Correct the date\n\nBackdated: decided on 15 January; published late"
    repo.git("commit", "-q", "--amend", "-m", message, when="2022-02-21T10:00:00+01:00")
    assert repo.git("rev-parse", "HEAD") != sha
    built(repo)
    assert versions(repo) == ["2021-02-23", "2022-01-15"]


def test_release_refuses_a_date_more_than_a_year_ahead_unless_confirmed(
    repo: StatementRepo,
) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    toml = repo.statement / "statement.toml"
    before = toml.read_bytes()
    args = ["release", "--root", str(repo.root), "--date", "2202-03-01", "--today", "2022-01-10"]
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 1
    assert "the date 2202-03-01 is more than a year after today, 2022-01-10" in refused.stderr
    assert "statement release --date 2202-03-01 --far-ahead" in refused.stderr
    assert toml.read_bytes() == before
    near = CliRunner().invoke(main, [*args[:4], "2023-01-10", *args[5:]])
    assert near.exit_code == 0, near.stderr
    toml.write_bytes(before)
    confirmed = CliRunner().invoke(main, [*args, "--far-ahead"])
    assert confirmed.exit_code == 0, confirmed.stderr
    assert "effective = 2202-03-01" in toml.read_text(encoding="utf-8")


# --- a version may add or drop a language ---------------------------------------------------------


def without_english(repo: StatementRepo) -> None:
    toml = repo.statement / "statement.toml"
    text = toml.read_text(encoding="utf-8")
    text = text.replace('[languages.en]\nlocale = "en_GB"\nname = "English"\n', "")
    text = re.sub(r', en = "[^"]*"', "", text)  # a publisher's value in English
    toml.write_text(
        "\n".join(line for line in text.split("\n") if not line.startswith("en = ")),
        encoding="utf-8",
    )
    (repo.statement / "en.md").unlink()


def test_a_version_may_drop_a_language_and_its_pages_stay(repo: StatementRepo) -> None:
    repo.new_version("2022-03-01", "Alleen Nederlands.", "-")
    repo.edit("nl.md", RETENTION_NL, RETENTION_NL_NEW)
    without_english(repo)
    repo.commit("Version of 2022-03-01, in Dutch only")
    built(repo)
    site = repo.root / "site"
    assert versions(repo) == ["2021-02-23", "2022-03-01"]
    old = (site / "en" / "2021-02-23" / "index.html").read_text(encoding="utf-8")
    assert "We do not retain your personal data" in old
    assert (site / "nl" / "2022-03-01" / "index.html").is_file()
    assert not (site / "en" / "2022-03-01").exists()
    current = (site / "nl" / "index.html").read_text(encoding="utf-8")
    assert 'hreflang="en"' not in current
    kept = (site / "en" / "index.html").read_text(encoding="utf-8")  # the last English version
    assert "We do not retain your personal data" in kept and "archive-notice" in kept
    assert (site / "en" / "feed.xml").is_file() and (
        site / "en" / "changelog" / "index.html"
    ).is_file()
    assert_links_resolve(site)


def assert_links_resolve(site: Path) -> None:
    """Every link of every page goes to a file the site has."""
    for page in site.rglob("*.html"):
        for href in re.findall(r'href="(?![a-z]+:)([^"#?]+)', page.read_text(encoding="utf-8")):
            target = (page.parent / href).resolve()
            target = target / "index.html" if href.endswith("/") else target
            assert target.is_file(), f"{page.relative_to(site)} links to {href}"


def test_a_version_may_add_a_language(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "project")
    english = (repo.statement / "en.md").read_text(encoding="utf-8")
    toml = (repo.statement / "statement.toml").read_text(encoding="utf-8")
    without_english(repo)
    repo.commit("Dutch only" + EDITORIAL)
    (repo.statement / "en.md").write_text(english, encoding="utf-8")
    (repo.statement / "statement.toml").write_text(toml, encoding="utf-8")
    repo.new_version("2022-03-01", "Nu ook in het Engels.", "Now in English too.")
    repo.commit("Version of 2022-03-01, with English")
    built(repo)
    site = repo.root / "site"
    assert versions(repo) == ["2021-02-23", "2022-03-01"]
    assert (site / "en" / "2022-03-01" / "index.html").is_file()
    assert not (site / "en" / "2021-02-23").exists()
    old = (site / "nl" / "2021-02-23" / "index.html").read_text(encoding="utf-8")
    assert 'hreflang="en"' not in old
    changelog = (site / "en" / "changelog" / "index.html").read_text(encoding="utf-8")
    assert "2022-03-01" in changelog and "2021-02-23" not in changelog
    assert_links_resolve(site)


def test_an_older_versions_missing_summary_is_a_note_not_an_end(repo: StatementRepo) -> None:
    dated(repo, "2022-03-01", RETENTION_NL, RETENTION_NL_NEW)
    toml = repo.statement / "statement.toml"
    toml.write_text(toml.read_text(encoding="utf-8").split("\nen = ")[0] + "\n", encoding="utf-8")
    sha = repo.commit("No English summary" + EDITORIAL)
    result = run_build(repo.root)
    assert result.exit_code == 1  # the newest version: still to be mended
    line = toml.read_text(encoding="utf-8").split("\n").index("[summary]") + 1
    assert (
        f"statement/statement.toml (commit {sha[:7]}):{line}: the version of 2022-03-01 has no "
        "summary in en"
    ) in result.stderr
    dated(repo, "2023-01-01", "uiterlijk twee jaar", "uiterlijk drie jaar")
    out = built(repo)  # an older one: its commits can no longer be mended
    assert "The version of 2022-03-01 has no summary in en (published as it was committed)." in out
    assert versions(repo) == ["2021-02-23", "2022-03-01", "2023-01-01"]


def test_a_link_defined_in_another_section_is_read_as_the_page_reads_it(
    repo: StatementRepo,
) -> None:
    repo.edit("nl.md", RETENTION_NL, f"{RETENTION_NL} (zie [de AP][ap])")
    text = (repo.statement / "nl.md").read_text(encoding="utf-8")
    (repo.statement / "nl.md").write_text(
        text + "\n[ap]: https://autoriteitpersoonsgegevens.nl/\n", encoding="utf-8"
    )
    repo.commit("Verwijzing" + EDITORIAL)
    built(repo)
    page = (repo.root / "site" / "nl" / "index.html").read_text(encoding="utf-8")
    assert '<a href="https://autoriteitpersoonsgegevens.nl/">de AP</a>' in page
    repo.edit("nl.md", "https://autoriteitpersoonsgegevens.nl/", "https://example.com/")
    sha = repo.commit("Andere verwijzing")
    refused(repo, sha, "nl: retention")


@pytest.mark.parametrize("change", ["drop", "add"])
def test_languages_over_many_versions_and_years_leave_no_broken_link(
    repo: StatementRepo, change: str
) -> None:
    english = (repo.statement / "en.md").read_text(encoding="utf-8")
    toml = (repo.statement / "statement.toml").read_text(encoding="utf-8")
    if change == "add":
        without_english(repo)
        repo.commit("Dutch only" + EDITORIAL)
    said = RETENTION_NL
    days = ["2022-01-01", "2022-06-01", "2023-01-01", "2023-06-01", "2024-01-01", "2024-06-01"]
    for n, day in enumerate(days):
        if n == 2:  # English goes, or comes
            if change == "drop":
                without_english(repo)
            else:
                (repo.statement / "en.md").write_text(english, encoding="utf-8")
                (repo.statement / "statement.toml").write_text(toml, encoding="utf-8")
        text = (repo.statement / "statement.toml").read_text(encoding="utf-8")
        text = re.sub(r"effective = \S+", f"effective = {day}", text).split("[summary]")[0]
        langs = ["nl", "en"] if (repo.statement / "en.md").exists() else ["nl"]
        summary = "".join(f'{lang} = "Versie {day}."\n' for lang in langs)
        (repo.statement / "statement.toml").write_text(
            text + "[summary]\n" + summary, encoding="utf-8"
        )
        repo.edit("nl.md", said, f"{said} ({n})")
        said = f"{said} ({n})"
        repo.commit(f"Version of {day}")
    result = run_build(repo.root, extra=["--no-pdf"])
    assert result.exit_code == 0, result.stderr
    site = repo.root / "site"
    assert (site / "en" / "changelog").is_dir()
    assert_links_resolve(site)
