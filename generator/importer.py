"""`statement import`: an organisation's existing statement (Markdown, a saved web page or a Word
file) -> statement/<lang>.md in the source format, with every mechanical fix made and said, and
every problem left listed with its line and fix.

A web page and a Word file are first made Markdown (Word through mammoth to HTML, HTML through
markdownify); then one set of steps mends the Markdown: the title, the heading levels, the ids,
the links, the comments. What the result says is finally read by the reader that builds the site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urljoin

from .command import to_type
from .config import LANGUAGE_CODE, settings_with_problems
from .errors import StatementError, attempt
from .files import SourceFiles, read_text
from .model import INTRO, Language, Settings
from .source import SECTION_ID, Heading, headings, html_blocks, parse_translation, slug

MARKDOWN = (".md", ".markdown", ".txt")
HTML = (".html", ".htm")
WORD = (".docx",)
# Word's Title is the title; its Heading 1 a section, one level under it
WORD_STYLES = "\n".join(
    [
        "p[style-name='Title'] => h1:fresh",
        *(f"p[style-name='Heading {n}'] => h{n + 1}:fresh" for n in range(1, 6)),
        *(f"p[style-name='heading {n}'] => h{n + 1}:fresh" for n in range(1, 6)),
    ]
)
ANCHOR = "\N{MATHEMATICAL LEFT WHITE SQUARE BRACKET}#{}\N{MATHEMATICAL RIGHT WHITE SQUARE BRACKET}"
MARKER = re.compile(
    "\N{MATHEMATICAL LEFT WHITE SQUARE BRACKET}#(.*?)\N{MATHEMATICAL RIGHT WHITE SQUARE BRACKET}"
)
MARKED = re.compile(MARKER.pattern + r"[ \t]*")  # a mark and the space after it
HTML_ANCHOR = re.compile(r"""<a\s+(?:id|name)\s*=\s*["']([^"']+)["']\s*(?:/>|>\s*</a>)""", re.I)
# <br> ending a line of text (inside a table cell it stays, and is listed)
BREAK = re.compile(r"(?<=\S)[ \t]*<br\s*/?>[ \t]*(?=\n|\Z)", re.I)
NEXT_LINE_TEXT = re.compile(r"\n[ \t]*\S")
HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]
COMMENT = re.compile(r"<!--.*?-->", re.S)
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
INLINE_LINK = re.compile(r"(\]\(\s*<?)([^)\s>]+)")
LINK_DEFINITION = re.compile(r"^( {0,3}\[(?!\^)[^\]]+\]:\s*<?)(\S+?)(?=>?(?:\s|$))")  # not [^1]:
ABSOLUTE = re.compile(r"[a-z][a-z0-9+.-]*:", re.I)
EMAIL = re.compile(r"[^@\s/:]+@[^@\s/:]+\.[a-z]{2,}", re.I)
TEMPLATE_TAG = re.compile(r"\{%.*?%\}")  # {% include contact.html %}: Jekyll's, Hugo's, Jinja's
TRAILING_ID = re.compile(r"\s*\{#[^}]*\}\s*$")


@dataclass(frozen=True)
class Imported:
    """What the import wrote, what it changed to get there, and what is left to fix by hand."""

    path: Path
    changes: tuple[str, ...]
    problems: tuple[StatementError, ...]


@dataclass
class Draft:
    """The Markdown being mended, line by line, with what each step did."""

    lines: list[str]
    changes: list[str] = field(default_factory=list)
    anchors: dict[str, str] = field(default_factory=dict)  # an anchor of the original -> ours
    subs: list[Heading] = field(default_factory=list)  # the original's sub-headings, in order

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def note(self, count: int, what: str) -> None:
        if count:
            self.changes.append(what.format(count=count))


def import_statement(
    file: Path, lang: str, root: Path, base_url: str | None = None, force: bool = False
) -> Imported:
    """Write statement/<lang>.md from file; refuse to write over one unless force."""
    if not LANGUAGE_CODE.fullmatch(lang):
        hint = "give the language's code, two or three lower-case letters: --language en"
        raise StatementError(file, None, f"'{lang}' is not a language code", hint)
    target = root / "statement" / f"{lang}.md"
    if target.exists() and not force:
        hint = "import into another language, or pass --force to replace it"
        raise StatementError(target, None, "this file exists already", hint)
    markdown, changes = as_markdown(file)
    settings, problems = _settings(root, lang)
    source_sections = _source_sections(root, settings, lang)
    draft = mend(markdown, file, source_sections)
    problems += _links(draft, base_url, target) + _unmatched(draft, source_sections, target)
    problems += _template_tags(draft, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(draft.text, encoding="utf-8")
    _, errors = attempt(lambda: parse_translation(draft.text, target, lang, settings))
    return Imported(target, (*changes, *draft.changes), (*problems, *_new(errors, problems)))


def _new(errors: list[StatementError], listed: list[StatementError]) -> list[StatementError]:
    """The reader's problems, but not again those of the links the import listed on that line."""
    lines = {problem.line for problem in listed}
    return [e for e in errors if not (e.line in lines and e.message.startswith("the link "))]


# --- any file -> Markdown ---------------------------------------------------------------------


def as_markdown(file: Path) -> tuple[str, list[str]]:
    """The file's text as Markdown, and what the conversion did."""
    suffix = file.suffix.lower()
    if suffix in MARKDOWN:
        return read_text(file, file.name).replace("\r\n", "\n"), []
    if suffix in HTML:
        return html_to_markdown(read_text(file, file.name))
    if suffix in WORD:
        return docx_to_markdown(file)
    kinds = ", ".join((*MARKDOWN, *HTML, *WORD))
    hint = f"save it as one of {kinds} (a PDF: copy its text into a .md file)"
    raise StatementError(file, None, f"cannot import a {suffix or 'file without extension'}", hint)


def docx_to_markdown(file: Path) -> tuple[str, list[str]]:
    """Word -> HTML with mammoth (its Title style as the title), then as any web page."""
    import mammoth  # here: only an import of a Word file needs it

    with file.open("rb") as opened:
        result = mammoth.convert_to_html(opened, style_map=WORD_STYLES)
    markdown, changes = html_to_markdown(result.value)
    unread = sorted({message.message for message in result.messages})
    notes = [f"Word: {message}" for message in unread]  # styles mammoth did not know, say
    return markdown, ["converted the Word file to Markdown", *notes, *changes]


def html_to_markdown(html: str) -> tuple[str, list[str]]:
    """A page's main content (<main>, else <article>, else <body>) as Markdown; menus, scripts
    and images left out; every id kept as an anchor, so that links to it can be mended."""
    from bs4 import BeautifulSoup  # here: only an import of HTML needs them
    from markdownify import markdownify

    soup = BeautifulSoup(html, "html.parser")
    main = soup.find("main") or soup.find("article") or soup.body or soup
    dropped = _drop_furniture(main) + (_drop_site_parts(main) if main is soup.body else 0)
    if not main.find("h1") and soup.title and soup.title.get_text(strip=True):
        main.insert(0, _h1(soup, soup.title.get_text(strip=True)))
    _mark_anchors(main)
    markdown = markdownify(str(main), heading_style="ATX", bullets="-", strip=["span"])
    changes = [f"took the page's main content, <{main.name}>"] if main is not soup else []
    if dropped:
        changes.append(f"left out {dropped} images, scripts, forms, menus, headers and footers")
    return markdown, changes


def _drop_furniture(main) -> int:
    furniture = main.find_all(["script", "style", "noscript", "template", "iframe", "svg",
                               "form", "button", "img", "picture", "video", "nav"])  # fmt: skip
    for element in furniture:
        element.decompose()
    return len(furniture)


def _drop_site_parts(body) -> int:
    """Without <main> or <article>, the whole body: but not the site's own header (one that
    does not hold the page's title), footer and side bars."""
    parts = [p for p in body.find_all(["header", "footer", "aside"]) if not p.find("h1")]
    for part in parts:
        part.decompose()
    return len(parts)


def _h1(soup, text: str):
    heading = soup.new_tag("h1")
    heading.string = text
    return heading


def _mark_anchors(main) -> None:
    """An element's id, as a marker the Markdown keeps: a heading's at its end, any other's in
    front of it (markdownify drops ids)."""
    for element in main.find_all(attrs={"id": True}) + main.find_all("a", attrs={"name": True}):
        anchor = element.get("id") or element.get("name")
        heading = element.find_parent(HEADINGS)
        if element.name in HEADINGS:
            element.append(" {#" + anchor + "}")
        elif heading is not None:  # Word's bookmark in a heading: the text just under it
            heading.insert_after(ANCHOR.format(anchor))
        else:
            element.insert(0, ANCHOR.format(anchor))


# --- Markdown -> the source format ------------------------------------------------------------


def mend(markdown: str, file: Path, source_sections: list[Heading] | None) -> Draft:
    """The steps, in order: each reads and changes the draft and says what it did."""
    title, markdown = _front_matter(markdown)
    draft = Draft(markdown.split("\n"))
    _drop_comments(draft)
    _drop_images(draft)
    _html_anchors(draft)
    _line_breaks(draft)
    _html_blocks(draft)
    _headings(draft, title, file, source_sections)
    _sub_heading_anchors(draft)
    _tidy(draft)
    return draft


def _tidy(draft: Draft) -> None:
    """At most one blank line in a row, none at the end of a line, one line end at the end."""
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in draft.lines))
    draft.lines = (text.strip("\n") + "\n").split("\n")


def _front_matter(markdown: str) -> tuple[str | None, str]:
    """The title in YAML front matter (`title: …`), and the text without the front matter."""
    found = FRONT_MATTER.match(markdown)
    if not found:
        return None, markdown
    import yaml  # mkdocs's own dependency

    try:
        data = yaml.safe_load(found.group(1))
    except yaml.YAMLError:
        data = None
    title = data.get("title") if isinstance(data, dict) else None
    return (str(title).strip() if title else None), markdown[found.end() :]


def _drop_comments(draft: Draft) -> None:
    text, count = COMMENT.subn("", draft.text)
    draft.lines = text.split("\n")
    draft.note(count, "dropped {count} HTML comments")


def _drop_images(draft: Draft) -> None:
    text, count = IMAGE.subn("", draft.text)
    draft.lines = text.split("\n")
    draft.note(count, "dropped {count} images: the statement is text only")


def _html_anchors(draft: Draft) -> None:
    """`<a id="x"></a>`, `<a name="x"></a>`: markers, to be pointed at the part that holds them."""
    text, count = HTML_ANCHOR.subn(lambda found: ANCHOR.format(found.group(1)), draft.text)
    draft.lines = text.split("\n")
    draft.note(count, "replaced {count} HTML anchors (<a id=…>) by the heading that holds them")


def _line_breaks(draft: Draft) -> None:
    """`<br>` in the Markdown: a backslash at the line's end, CommonMark's own line break; at
    a paragraph's end, where Markdown has no line break, nothing."""
    text = draft.text

    def mark(found: re.Match) -> str:
        return "\\" if NEXT_LINE_TEXT.match(text, found.end()) else ""

    text, count = BREAK.subn(mark, text)
    draft.lines = text.split("\n")
    draft.note(count, "wrote {count} <br> as Markdown line breaks")


def _html_blocks(draft: Draft) -> None:
    """Blocks of HTML in the Markdown (a <table>, a <div> of paragraphs) made Markdown, as a
    web page is: the build refuses raw HTML."""
    found = html_blocks(draft.text)
    for start, end, html in reversed(found):
        markdown, _ = html_to_markdown(html)
        draft.lines[start:end] = ["", *markdown.strip("\n").split("\n"), ""]
    draft.note(len(found), "made {count} blocks of HTML Markdown")


# --- headings ---------------------------------------------------------------------------------


def _headings(
    draft: Draft, title: str | None, file: Path, source_sections: list[Heading] | None
) -> None:
    """One title, then sections (##) with ids, then sub-headings one level at a time."""
    found = headings(draft.text)
    title, found = _title(draft, title, found, file)
    levels = _levels(found)
    draft.note(sum(new != h.level for new, h in zip(levels, found, strict=True)),
               "changed the level of {count} headings: sections are ##, headings in them ### and deeper")  # fmt: skip
    sections = [h for new, h in zip(levels, found, strict=True) if new == 2]
    draft.subs = [h for new, h in zip(levels, found, strict=True) if new > 2]
    ids = _section_ids(draft, sections, source_sections)
    for heading, level in reversed(list(zip(found, levels, strict=True))):
        draft.lines[heading.start : heading.end] = [_heading_line(heading, level, ids)]
    draft.lines[:0] = [f"# {title}", ""]


def _title(
    draft: Draft, title: str | None, found: list[Heading], file: Path
) -> tuple[str, list[Heading]]:
    """The front matter's title; else a first heading above all the others; else the file's
    name. The heading that was the title leaves the text."""
    heading = _title_heading(draft, title, found)
    if heading is not None:
        _record(draft, heading, INTRO)
        draft.lines[heading.start : heading.end] = [""] * (heading.end - heading.start)
        found = found[1:]
    if title is None and heading is None:
        title = file.stem.replace("-", " ").replace("_", " ").strip().capitalize()
        draft.changes.append(f"found no title: used '{title}', from the file's name")
    elif heading is None:
        draft.changes.append(f"the title '{title}' from the front matter")
    return title or _words(heading), found


def _words(heading: Heading) -> str:
    """A heading's words, without the marks of anchors that stood in it."""
    return " ".join(MARKER.sub("", heading.text).split())


def _title_heading(draft: Draft, title: str | None, found: list[Heading]) -> Heading | None:
    """The heading that is the title: the first thing in the text, and either the front
    matter's title again or, without one, above every other heading."""
    first = found[0] if found else None
    if first is None or MARKER.sub("", "".join(draft.lines[: first.start])).strip():
        return None
    if not _words(first):
        return None  # a heading of no words (an anchor alone) is no title
    if title is not None:
        return first if first.level == 1 and first.text == title else None
    return first if all(h.level > first.level for h in found[1:]) else None


def _levels(found: list[Heading]) -> list[int]:
    """The highest level found becomes ##; none is more than one deeper than the one before."""
    top, levels = min((h.level for h in found), default=2), []
    for heading in found:
        level = heading.level - top + 2
        levels.append(min(level, levels[-1] + 1) if levels else 2)
    return levels


def _section_ids(
    draft: Draft, sections: list[Heading], source_sections: list[Heading] | None
) -> dict[int, str]:
    """Each section heading's id and classes (by its first line): the source language's, by
    position, for a translation; else its own if usable; else one made of its words."""
    ids, made, taken = {}, 0, set()
    for number, heading in enumerate(sections):
        classes = heading.classes
        if source_sections is not None and number < len(source_sections):
            new, classes = source_sections[number].id, source_sections[number].classes
        elif SECTION_ID.fullmatch(heading.id):
            new = heading.id
        else:
            new, made = _new_id(heading, number, taken), made + 1
        taken.add(new)
        ids[heading.start] = " ".join([f"#{new}", *(f".{name}" for name in classes.split())])
        _record(draft, heading, new)
    draft.note(made, "gave {count} section headings ids made of their words")
    if source_sections is not None:
        draft.note(min(len(sections), len(source_sections)),
                   "gave {count} sections the ids of the source language's, in the same order")  # fmt: skip
    return ids


def _new_id(heading: Heading, number: int, taken: set[str]) -> str:
    # ASCII, as ids are; a numbering in front ("2. Bewaartermijn") is no part of the name
    words = re.sub(r"^[\d-]+", "", slug(_words(heading)).encode("ascii", "ignore").decode())
    base = words if SECTION_ID.fullmatch(words) else f"section-{number + 1}"
    new, extra = base, 1
    while new in taken:
        extra += 1
        new = f"{base}-{extra}"
    return new


def _record(draft: Draft, heading: Heading, target: str) -> None:
    """The anchors the original may have had for this heading: its own id, and the ids that
    GitHub's and other renderers make of its words."""
    words = _words(heading)
    for anchor in (heading.id.replace("\\", ""), slug(words), _github_slug(words)):
        if anchor:
            draft.anchors.setdefault(anchor, target)


def _github_slug(text: str) -> str:
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def _heading_line(heading: Heading, level: int, ids: dict[int, str]) -> str:
    # an underlined heading may run over lines; a # heading is one line
    markdown = TRAILING_ID.sub("", " ".join(heading.markdown.split("\n"))).strip()
    braces = f"{{{ids[heading.start]}}}" if level == 2 else ""
    return " ".join(part for part in ("#" * min(level, 6), markdown, braces) if part)


# --- anchors and links ------------------------------------------------------------------------


def _sub_heading_anchors(draft: Draft) -> None:
    """Point the original's anchors of sub-headings and of marked places at our anchors, which
    the reader makes: read the mended text as the build will."""
    found = headings(draft.text)
    ours = [heading for heading in found if heading.level > 2]
    for original, heading in zip(draft.subs, ours, strict=False):
        _record(draft, original, heading.id)
    _markers(draft, found)


def _markers(draft: Draft, found: list[Heading]) -> None:
    """A marked anchor points at the nearest heading above it (or the introduction)."""
    holder, kept = INTRO, []
    starts = {h.start: h for h in found}
    for number, line in enumerate(draft.lines):
        if number in starts and starts[number].level > 1:
            holder = starts[number].id
        for anchor in MARKER.findall(line):
            draft.anchors.setdefault(anchor.replace("\\", ""), holder)  # markdownify's \_
        unmarked = MARKED.sub("", line).rstrip()
        if unmarked or not MARKER.search(line):  # a line of marks alone goes, not left blank
            kept.append(unmarked)
    draft.lines = kept


def _links(draft: Draft, base_url: str | None, target: Path) -> list[StatementError]:
    """Each link: a #fragment pointed at our anchor, a relative address made absolute with the
    base URL (or listed), in inline links and link definitions alike."""
    problems, counts = [], {"fragment": 0, "relative": 0, "completed": 0}
    for number, line in enumerate(draft.lines):

        def mended(found: re.Match, number: int = number) -> str:
            href = _mended_href(found.group(2), draft, base_url, counts)
            if href is None:
                problems.append(_link_problem(found.group(2), target, number + 1, draft))
                return found.group(0)
            return found.group(1) + href

        line = INLINE_LINK.sub(mended, line)
        draft.lines[number] = LINK_DEFINITION.sub(mended, line)
    draft.note(
        counts["fragment"],
        "pointed {count} #links at the section or sub-heading that holds their anchor",
    )
    draft.note(counts["relative"], "made {count} relative links absolute with the base URL")
    draft.note(counts["completed"], "gave {count} links their mailto: or https:")
    return problems


def _mended_href(href: str, draft: Draft, base_url: str | None, counts: dict) -> str | None:
    """The href as it must be written, or None when it cannot be mended."""
    if base_url and "#" in href and urljoin(base_url, href.split("#")[0]) == base_url:
        href = "#" + href.split("#", 1)[1]  # a link to a place on this very page
    if href.startswith("#"):
        anchor = draft.anchors.get(href[1:])
        counts["fragment"] += bool(anchor) and anchor != href[1:]
        return f"#{anchor}" if anchor else None
    if ABSOLUTE.match(href):
        return href
    if completed := _completed(href):
        counts["completed"] += 1
        return completed
    if base_url is None:
        return None
    counts["relative"] += 1
    return urljoin(base_url, href)


def _completed(href: str) -> str | None:
    """An address written without its scheme: an e-mail address, or a web address from www."""
    if EMAIL.fullmatch(href):
        return f"mailto:{href}"
    return f"https://{href}" if href.lower().startswith("www.") else None


def _link_problem(href: str, target: Path, line: int, draft: Draft) -> StatementError:
    if href.startswith("#"):
        known = ", ".join(h.id for h in headings(draft.text) if h.level > 1)
        hint = f"point it at one of: {known}, or remove the link"
        return StatementError(target, line, f"the link {href} goes to nothing in the text", hint)
    hint = "import again with --base-url https://…/ (the address the page was published at), or write the full address"
    return StatementError(target, line, f"the link '{href}' is relative", hint)


# --- the project around it --------------------------------------------------------------------


def _template_tags(draft: Draft, target: Path) -> list[StatementError]:
    """`{% include … %}` and the like: the old site filled them in; here they would be text."""
    hint = "write out what it stood for on the old site, or make a value a fact: {{name}}"
    return [
        StatementError(target, number + 1, f"{tag} is a template tag of another system", hint)
        for number, line in enumerate(draft.lines)
        for tag in TEMPLATE_TAG.findall(line)
    ]


def _settings(root: Path, lang: str) -> tuple[Settings, list[StatementError]]:
    """The project's settings, to check the result as the build will; without statement.toml,
    or without this language in it, ones of this language alone (a fact the text uses is then
    reported as unknown), and the language's absence as a problem."""
    folder = root / "statement"
    found, _ = attempt(lambda: settings_with_problems(SourceFiles(folder)))
    settings = found[0] if found else None
    if settings is not None and lang in [language.code for language in settings.languages]:
        return settings, []
    hint = (
        f'add it: [languages.{lang}] with locale = "…" and name = "…" (see the guide, The source)'
    )
    message = f"the language '{lang}' is not in statement.toml"
    if not (folder / "statement.toml").is_file():
        message = "there is no statement.toml: no build reads the text yet"
        hint = f"write statement/statement.toml ({to_type('init')} writes one), then check the text"
    alone = Settings(date.today(), lang, (Language(lang, lang, lang),), (), None)
    return alone, [StatementError(folder / "statement.toml", None, message, hint)]


def _unmatched(
    draft: Draft, source_sections: list[Heading] | None, target: Path
) -> list[StatementError]:
    """A translation with more or fewer sections than the source: its ids match up to there."""
    sections = [h for h in headings(draft.text) if h.level == 2]
    if source_sections is None or len(sections) == len(source_sections):
        return []
    line = (
        sections[len(source_sections)].start + 1 if len(sections) > len(source_sections) else None
    )
    message = f"the text has {len(sections)} sections, the source language's {len(source_sections)}"
    hint = "split or join sections until each one matches the source's, then give each its id"
    return [StatementError(target, line, message, hint)]


def _source_sections(root: Path, settings: Settings, lang: str) -> list[Heading] | None:
    """For a translation, the source language's section headings (ids, classes), in order."""
    source = root / "statement" / f"{settings.source_language}.md"
    if lang == settings.source_language or not source.is_file():
        return None
    return [h for h in headings(read_text(source, source.name)) if h.level == 2]
