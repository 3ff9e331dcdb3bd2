"""`statement check` through the command line, on copies of the real statement and real git
histories: what it finds, where it points, and its exit status."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SHARED_CACHE, edit
from repos import StatementRepo, make_repo

from generator.check import KINDS, Finding, disclosures, examine
from generator.cli import main
from generator.files import SourceFiles
from generator.history import read_history
from generator.release import working_statement
from generator.suggest import with_classes

ALWAYS_MISSING_IN_EMS = {"complaint", "right_portability", "automated_decisions"}


def check(root: Path, *options: str) -> tuple[int, str]:
    args = ["check", "--root", str(root), "--cache", str(SHARED_CACHE), *options]
    result = CliRunner().invoke(main, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback is a bug of ours, never an editor's message
    return result.exit_code, result.stdout


def report(root: Path) -> dict:
    code, out = check(root, "--format", "json")
    found = json.loads(out)
    assert {f["kind"] for f in found["findings"]} <= set(KINDS)  # the guide explains every kind
    assert code == (1 if any(f["severity"] != "accepted" for f in found["findings"]) else 0)
    return found


def findings(root: Path) -> list[dict]:
    return report(root)["findings"]


def of_kind(found: list[dict], kind: str) -> dict[str, dict]:
    return {f["id"]: f for f in found if f["kind"] == kind}


def line_of(path: Path, fragment: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(number for number, line in enumerate(lines, 1) if fragment in line)


def tag(project: Path, section_id: str, *classes: str, langs: tuple[str, ...] = ("nl", "en")):
    """Add classes to a section's heading, in the given languages."""
    for lang in langs:
        path = project / "statement" / f"{lang}.md"
        heading = next(
            line
            for line in path.read_text(encoding="utf-8").split("\n")
            if f"{{#{section_id}" in line
        )
        edit(path, heading, heading[:-1] + "".join(f" .{name}" for name in classes) + "}")


def accept(project: Path, **gaps: str) -> None:
    path = project / "statement" / "statement.toml"
    lines = "".join(f'{gap} = "{reason}"\n' for gap, reason in gaps.items())
    edit(path, "[accepted_gaps]\n", "[accepted_gaps]\n" + lines)


def test_the_ems_statement_shows_its_true_gaps_and_the_evidence_of_the_rest(project: Path) -> None:
    code, text = check(project)
    assert code == 1
    errors = [line for line in text.splitlines() if line.startswith("  error ")]
    assert [line.rsplit(": ", 1)[-1] for line in errors] == [
        "automated_decisions)",
        "complaint)",
        "right_portability)",
    ]
    assert "that they may complain to a supervisory authority" in errors[1]
    assert "the statement is not ready to publish" in text.splitlines()[-1]
    assert "GDPR disclosures" not in text  # the table only with --verbose
    found = report(project)
    missing = of_kind(found["findings"], "missing-disclosure")
    assert set(missing) == ALWAYS_MISSING_IN_EMS
    assert missing["complaint"]["file"] == "statement/nl.md"
    assert missing["complaint"]["severity"] == "error"
    # the whole statement leaves it out: pointed at its title, the hint says what to add
    title = (project / "statement" / "nl.md").read_text(encoding="utf-8").split("\n")
    assert missing["complaint"]["line"] == title.index("# Privacy policy") + 1
    assert missing["complaint"]["fix"].startswith("add a section, or a sentence to a section, that")
    assert set(missing["complaint"]) >= {"kind", "id", "file", "line", "message", "evidence"}
    disclosed = {d["id"]: d for d in found["disclosures"] if d["status"] != "missing"}
    # what EMS does disclose, its headings declare and its words say: evidence for each
    for did in set(disclosed) - {"dpo_contact"}:
        assert disclosed[did]["status"] == "declared and stated", did
        assert disclosed[did]["evidence"], did
    access = disclosed["right_access"]["evidence"][0]
    nl = project / "statement" / "nl.md"
    assert access == {
        "language": "nl",
        "section": "rights",
        "file": "statement/nl.md",
        "line": line_of(nl, "{#rights"),
        "words": "inzage",
        "phrase": "inzage",
    }


def test_verbose_adds_the_fixes_and_every_disclosure_with_its_evidence(project: Path) -> None:
    _, text = check(project, "--verbose")
    assert "      fix: add a section, or a sentence to a section, that tells people" in text
    assert (
        "  complaint              Recht om een klacht in te dienen bij een toezichthoudende autoriteit: MISSING"
        in text
    )
    assert '  right_access           Recht op inzage: #rights: declared, says "inzage"' in text


def test_the_repository_statement_is_tagged_the_same_in_both_languages() -> None:
    # the real source, not a copy: only that its tags agree, not which gaps it has today
    found = findings(Path(__file__).resolve().parents[1])
    assert of_kind(found, "disclosures-differ") == {}
    assert of_kind(found, "unknown-disclosure") == {}


def test_a_section_that_declares_a_disclosure_covers_it_but_its_words_are_still_read(
    project: Path,
) -> None:
    tag(project, "contact", "complaint")
    found = findings(project)
    assert "complaint" not in of_kind(found, "missing-disclosure")
    _, text = check(project, "--verbose")
    assert "toezichthoudende autoriteit: #contact: declared" in text
    # the class does not silence the check: the words of #contact name no supervisory authority
    unstated = of_kind(found, "declared-not-stated")["complaint"]
    assert unstated["severity"] == "warning"
    assert unstated["line"] == line_of(project / "statement" / "nl.md", "{#contact")
    assert "the heading of #contact declares 'complaint'" in unstated["message"]


def test_words_alone_make_a_disclosure_with_the_section_and_words_as_evidence(
    project: Path,
) -> None:
    for lang, sentence in {
        "nl": "U kunt een klacht indienen bij de Autoriteit Persoonsgegevens.",
        "en": "You can lodge a complaint with the Autoriteit Persoonsgegevens.",
    }.items():
        path = project / "statement" / f"{lang}.md"
        path.write_text(path.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")
    found = report(project)
    assert "complaint" not in of_kind(found["findings"], "missing-disclosure")
    complaint = next(d for d in found["disclosures"] if d["id"] == "complaint")
    assert complaint["status"] == "stated"
    assert complaint["declared_by"] == []
    assert [(e["language"], e["section"], e["words"]) for e in complaint["evidence"]] == [
        ("nl", "contact", "klacht indienen bij de Autoriteit"),
        ("en", "contact", "lodge a complaint with the Autoriteit"),
    ]


def test_a_disclosure_declared_in_one_language_only_is_an_error(project: Path) -> None:
    tag(project, "contact", "complaint", langs=("nl",))
    differ = of_kind(findings(project), "disclosures-differ")
    en = project / "statement" / "en.md"
    assert differ["contact"]["file"] == "statement/en.md"
    assert differ["contact"]["line"] == line_of(en, "{#contact")
    assert ".controller_identity .complaint" in differ["contact"]["fix"]


def test_a_misspelt_disclosure_is_named_with_the_likely_one(project: Path) -> None:
    tag(project, "rights", "right_acces")
    unknown = of_kind(findings(project), "unknown-disclosure")
    assert unknown["right_acces"]["line"] == line_of(project / "statement" / "nl.md", "{#rights")
    assert "did you mean 'right_access'?" in unknown["right_acces"]["fix"]


def test_an_accepted_gap_is_still_shown_with_its_reason(project: Path) -> None:
    accept(project, automated_decisions="EMS takes no decision by automated means alone.")
    found = findings(project)
    accepted = of_kind(found, "accepted-gap")["automated_decisions"]
    toml = project / "statement" / "statement.toml"
    assert accepted["severity"] == "accepted"
    assert accepted["line"] == line_of(toml, "automated_decisions =")
    assert "EMS takes no decision by automated means alone." in accepted["message"]
    assert "automated_decisions" not in of_kind(found, "missing-disclosure")


def test_with_every_gap_filled_or_accepted_there_is_nothing_to_fix(project: Path) -> None:
    statement = project / "statement"
    edit(
        statement / "nl.md",
        "opnemen via: {{publisher.email}}.",
        "opnemen via: {{publisher.email}}. U mag ook klagen bij de toezichthouder.",
    )
    edit(
        statement / "en.md",
        "in writing via: {{publisher.email}}.",
        "in writing via: {{publisher.email}}. You may also complain to the supervisory authority.",
    )
    edit(
        statement / "nl.md",
        "- Het recht om de gegeven",
        "- Het recht op overdraagbaarheid van uw gegevens.\n- Het recht om de gegeven",
    )
    edit(
        statement / "en.md",
        "- The right to withdraw",
        "- The right to data portability.\n- The right to withdraw",
    )
    tag(project, "contact", "complaint")
    tag(project, "rights", "right_portability")
    accept(
        project,
        automated_decisions="No decision is taken by automated means alone.",
        legitimate_interests="To be written by legal.",
        requirement="To be written by legal.",
    )
    code, text = check(project)
    assert code == 0, text
    assert text.splitlines()[-1] == "0 error(s), 0 warning(s), 4 accepted gap(s): nothing to fix."


def test_an_accepted_gap_that_a_section_covers_is_a_warning(project: Path) -> None:
    accept(project, retention="Kept as long as needed.")
    covered = of_kind(findings(project), "gap-covered")
    assert covered["retention"]["severity"] == "warning"
    assert "#retention" in covered["retention"]["message"]


def test_an_accepted_gap_without_a_reason_stops_the_build_too(project: Path) -> None:
    accept(project, complaint=" ")
    toml = project / "statement" / "statement.toml"
    settings = [f for f in findings(project) if f["kind"] == "settings"]
    assert [(f["line"], f["message"]) for f in settings] == [
        (line_of(toml, "complaint ="), "the accepted gap 'complaint' needs its reason as text")
    ]


def test_a_gap_accepted_for_no_disclosure_is_named(project: Path) -> None:
    accept(project, complaints="typo")
    unknown = of_kind(findings(project), "unknown-disclosure")
    assert unknown["complaints"]["file"] == "statement/statement.toml"
    assert "did you mean 'complaint'?" in unknown["complaints"]["fix"]


def test_a_fact_no_text_uses_is_a_warning(project: Path) -> None:
    toml = project / "statement" / "statement.toml"
    edit(toml, "[facts]\n", '[facts]\nphone = "036 123 45 67"\n')
    unused = of_kind(findings(project), "unused-fact")
    assert set(unused) == {"phone"}
    assert unused["phone"]["line"] == line_of(toml, "phone =")
    number = "{{publisher.registration.number}}"
    edit(project / "statement" / "nl.md", f"KVK {number}.", f"KVK {number}, {{{{phone}}}}.")
    assert of_kind(findings(project), "unused-fact") == {}  # used in one language is used


def test_a_link_to_a_missing_section_is_a_broken_link(project: Path) -> None:
    nl = project / "statement" / "nl.md"
    edit(nl, "niet langer dan nodig", "niet [langer](#bewaren) dan nodig")
    broken = of_kind(findings(project), "broken-link")
    assert broken["bewaren"]["line"] == line_of(nl, "(#bewaren)")
    assert broken["bewaren"]["file"] == "statement/nl.md"


def test_what_stops_the_build_is_reported_and_nothing_is_written(project: Path) -> None:
    edit(
        project / "statement" / "en.md",
        "no. {{publisher.registration.number}}",
        "no. {{kvk_number}}",
    )
    code, text = check(project)
    assert code == 1
    assert "statement/en.md:5: unknown fact {{kvk_number}}" in text
    assert "Traceback" not in text
    assert not (project / "site").exists()


@pytest.fixture
def repo(tmp_path: Path) -> StatementRepo:
    return make_repo(tmp_path / "project")


def test_a_translation_behind_its_source_is_stale(repo: StatementRepo) -> None:
    repo.new_version("2022-03-01", "Bewaartermijn aangescherpt.", "Retention tightened.")
    repo.edit("nl.md", "niet langer dan nodig", "uiterlijk twee jaar en niet langer dan nodig")
    repo.commit("Version of 1 March 2022, the Dutch text only")
    stale = of_kind(findings(repo.root), "stale-translation")
    assert set(stale) == {"retention"}
    assert stale["retention"]["file"] == "statement/en.md"
    assert stale["retention"]["line"] == line_of(repo.statement / "en.md", "{#retention")


def test_new_words_under_the_old_date_are_an_undated_change(repo: StatementRepo) -> None:
    repo.edit("en.md", "We process personal data in various ways", "We process data in many ways")
    undated = of_kind(findings(repo.root), "undated-change")
    assert set(undated) == {"data"}
    assert undated["data"]["line"] == line_of(repo.statement / "en.md", "{#data")
    assert "statement release --date" in undated["data"]["fix"]
    repo.new_version("2022-03-01", "Anders verwoord.", "Reworded.")
    assert of_kind(findings(repo.root), "undated-change") == {}  # a new date: a new version


def test_a_version_dated_far_after_its_commit_is_a_likely_mistyped_year(
    repo: StatementRepo,
) -> None:
    """2202 for 2022, committed with plain git: the build publishes it as upcoming for 180
    years, and only the check can ask whether the year is right."""
    repo.new_version("2202-03-01", "Bewaartermijn aangescherpt.", "Retention tightened.")
    repo.edit("nl.md", "niet langer dan nodig", "uiterlijk twee jaar en niet langer dan nodig")
    repo.edit("en.md", "We process personal data in various ways", "We process data in many ways")
    sha = repo.commit("Version of 2202", when="2022-02-01T10:00:00+01:00")
    far = of_kind(findings(repo.root), "far-ahead")
    assert set(far) == {"2202-03-01"}  # not 2021-02-23, committed weeks before it
    assert far["2202-03-01"]["file"] == "statement/statement.toml"
    assert far["2202-03-01"]["message"] == (
        "the version of 2202-03-01 takes effect more than a year after it was committed, on "
        "2022-02-01: is the year right?"
    )
    assert f"'{sha[:7]} 2202-03-01 <right date> <reason>'" in far["2202-03-01"]["fix"]


def test_the_disclosures_are_the_shared_legal_list() -> None:
    shared = Path(__file__).resolve().parents[2] / "shared" / "legal" / "gdpr-disclosures.toml"
    if not shared.is_file():
        pytest.skip("shared/ is not beside the repository")
    import tomllib

    listed = tomllib.loads(shared.read_text(encoding="utf-8"))
    assert [d.id for d in disclosures()] == list(listed)
    assert all(d.always == listed[d.id]["when"].startswith("always") for d in disclosures())


def test_what_an_edit_brings_is_listed_first_as_new(repo: StatementRepo) -> None:
    for name in ("nl.md", "en.md"):
        repo.edit(
            name, "{#contact .controller_identity}", "{#contact .controller_identity .transfers}"
        )
    code, text = check(repo.root)
    assert code == 1
    lines = text.splitlines()
    nl = repo.statement / "nl.md"
    assert lines[0] == "New since the version of 2021-02-23 as committed (1):"
    assert lines[1].startswith(
        f"  warning  statement/nl.md:{line_of(nl, '{#contact')}: the heading of #contact declares 'transfers'"
    )
    assert lines[2] == "Standing, as in the version of 2021-02-23 as committed (6):"
    assert [line.split()[0] for line in lines[3:-1]] == ["error"] * 3 + ["warning"] * 2 + [
        "accepted"
    ]
    assert ", 1 new: the statement is not ready to publish" in lines[-1]
    found = report(repo.root)
    assert found["compared_with"] == "2021-02-23"
    assert [f["id"] for f in found["findings"] if f["new"]] == ["transfers"]


def test_problems_are_ordered_by_their_kind_not_their_file_or_words() -> None:
    def finding(kind: str, path: str, message: str) -> Finding:
        return Finding("warning", Path(path), 1, kind, None, message, "")

    found = [
        finding("undated-change", "statement/en.md", "a"),
        finding("gap-covered", "statement/statement.toml", "b"),
        finding("stale-translation", "statement/en.md", "c"),
    ]
    assert [f.kind for f in sorted(found, key=lambda f: f.order)] == [
        "gap-covered",
        "stale-translation",
        "undated-change",
    ]


def test_check_reads_the_history_once_and_makes_no_pdf(
    repo: StatementRepo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import generator.build
    import generator.check

    reads = []

    def counted(*args, **kwargs):
        reads.append(args)
        return read_history(*args, **kwargs)

    monkeypatch.setattr(generator.check, "read_history", counted)
    monkeypatch.setattr(generator.build, "read_history", counted)
    repo.edit("nl.md", "niet langer dan nodig", "niet langer dan strikt nodig")  # a draft too
    examined = examine(repo.root, tmp_path / "cache")
    assert len(reads) == 1
    assert examined.site is not None
    assert not [path for path, _ in examined.site.files if path.endswith(".pdf")]
    assert not (tmp_path / "cache" / "pdf").exists() or not any(
        (tmp_path / "cache" / "pdf").iterdir()
    )


# --- suggestions -----------------------------------------------------------------------------


def without_classes(path: Path) -> None:
    """Every heading of the file without its classes, keeping its id."""
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"\{#([a-z-]+)[^}]*\}", r"{#\1}", text), encoding="utf-8")


def test_suggest_lists_the_classes_the_words_support_with_the_words(project: Path) -> None:
    for lang in ("nl", "en"):
        edit(project / "statement" / f"{lang}.md", " .right_access", "")
    code, out = check(project, "--suggest")
    assert code == 0
    line = line_of(project / "statement" / "nl.md", "{#rights")
    assert (
        f'  statement/nl.md:{line} #rights: .right_access (nl: "inzage"; en: "right of access")'
        in out
    )
    assert out.splitlines()[-1] == (
        "statement check --suggest --write adds them to the headings in every language."
    )


def test_suggest_write_adds_the_classes_in_every_language_and_changes_nothing_else(
    project: Path,
) -> None:
    nl, en = project / "statement" / "nl.md", project / "statement" / "en.md"
    for path in (nl, en):
        without_classes(path)
    nl.write_bytes(b"\xef\xbb\xbf" + nl.read_bytes().replace(b"\n", b"\r\n"))  # BOM and CRLF kept
    before = {path: path.read_bytes() for path in (nl, en)}
    _, listed = check(project, "--suggest")
    code, out = check(project, "--suggest", "--write")
    assert code == 0
    assert out.splitlines()[-1].startswith("Added ")
    assert "in statement/nl.md and statement/en.md; nothing else changed." in out
    for path in (nl, en):
        old, new = (
            before[path].splitlines(keepends=True),
            path.read_bytes().splitlines(keepends=True),
        )
        assert len(old) == len(new)
        changed = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
        assert changed, path
        for a, b in changed:  # only headings, only by classes before their closing brace
            assert a.startswith(b"## ") and re.fullmatch(
                rb"(?: \.[a-z_]+)+", b[a.index(b"}") : b.rindex(b"}")]
            )
            assert b.replace(b[a.index(b"}") : b.rindex(b"}")], b"") == a
    statement = working_statement(SourceFiles(project / "statement"))
    rights = statement.translation("en").by_id["rights"].classes
    assert {"right_access", "right_erasure", "right_objection", "withdraw_consent"} <= set(rights)
    for suggested in re.findall(r"#(\S+): \.(\S+) \(", listed):
        assert suggested[1] in statement.translation("nl").by_id[suggested[0]].classes
    found = findings(project)
    assert of_kind(found, "disclosures-differ") == {}
    assert of_kind(found, "declared-not-stated") == {}
    _, again = check(project, "--suggest")
    assert (
        again.strip() == "Nothing to suggest: every heading declares what its section's words say."
    )


def test_write_is_only_for_suggestions(project: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--root", str(project), "--write"])
    assert result.exit_code == 2
    assert "--write adds the suggested classes: use it with --suggest" in result.output


def test_each_problem_of_the_build_has_the_kind_of_the_stage_that_found_it(project: Path) -> None:
    edit(
        project / "statement" / "statement.toml", "effective = 2021-02-23", "effective = 2021-02-30"
    )
    edit(
        project / "statement" / "en.md",
        "no. {{publisher.registration.number}}",
        "no. {{kvk_number}}",
    )
    po = project / "locales" / "nl" / "LC_MESSAGES" / "messages.po"
    po.write_text(
        po.read_text(encoding="utf-8").replace('msgstr "Inhoud"', 'msgstr ""'), encoding="utf-8"
    )
    kinds = {(f["file"], f["kind"]) for f in findings(project) if f["severity"] == "error"}
    assert ("statement/statement.toml", "settings") in kinds
    assert ("statement/en.md", "text") in kinds
    assert ("locales/nl/LC_MESSAGES/messages.po", "catalog") in kinds


def test_classes_go_inside_the_braces_of_the_heading_and_every_other_byte_stays() -> None:
    data = b"\xef\xbb\xbf# T\r## A {#a}  \r\rText {x}.\r## B {#b .x}\r\nMore\n"
    assert with_classes(data, {2: ["p", "q"], 5: ["r"]}) == (
        b"\xef\xbb\xbf# T\r## A {#a .p .q}  \r\rText {x}.\r## B {#b .x .r}\r\nMore\n"
    )


@pytest.fixture
def broken_word_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The word lists, with a mistake in the English one."""
    import shutil

    import generator.disclosures as reading

    folder = tmp_path / "words"
    shutil.copytree(Path(reading.__file__).parent / reading.WORDS_FOLDER, folder)
    english = folder / "en.toml"
    english.write_text(
        english.read_text(encoding="utf-8").replace("outside ... EEA|EU|", "outside ... EEA|E-U|"),
        encoding="utf-8",
    )
    monkeypatch.setattr(reading, "WORDS_FOLDER", str(folder))
    reading.word_lists.cache_clear()
    yield english
    reading.word_lists.cache_clear()


def test_a_mistake_in_a_word_list_is_a_finding_and_headings_still_count(
    project: Path, broken_word_list: Path
) -> None:
    found = findings(project)
    (mistake,) = of_kind(found, "word-list").values()
    assert mistake["line"] == line_of(broken_word_list, "outside ... EEA|E-U|")
    assert "each choice of 'EEA|E-U|European|UK' must be one word" in mistake["message"]
    assert set(of_kind(found, "missing-disclosure")) == ALWAYS_MISSING_IN_EMS
    assert of_kind(found, "declared-not-stated") == {}
    suggested = CliRunner().invoke(main, ["check", "--root", str(project), "--suggest"])
    assert suggested.exit_code == 1
    assert f"en.toml:{mistake['line']}: in the phrase" in suggested.stderr
    assert "No suggestions: 1 problem(s) to fix." in suggested.stderr


def test_suggestions_as_json_for_a_script(project: Path) -> None:
    for lang in ("nl", "en"):
        edit(project / "statement" / f"{lang}.md", " .right_access", "")
    code, out = check(project, "--suggest", "--format", "json")
    assert code == 0
    rights = next(s for s in json.loads(out) if s["class"] == "right_access")
    assert rights["section"] == "rights"
    assert rights["line"] == line_of(project / "statement" / "nl.md", "{#rights")
    assert [(e["language"], e["words"]) for e in rights["evidence"]] == [
        ("nl", "inzage"),
        ("en", "right of access"),
    ]
