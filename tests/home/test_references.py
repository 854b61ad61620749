"""Comments and documentation name only what the repository holds.

The public contract lives in docs/. So: no file points to a contract file or a
founding document that a clone does not contain; every docs/ page named exists,
and so does each numbered section of it that is cited ("docs/mechanism.md §4");
every repository path named in a Python comment or docstring, or in a Markdown
file, exists; and every relative link of a Markdown file reaches its file and,
if it names one, its heading.
"""

import ast
import io
import os
import re
import tokenize
from pathlib import Path

from django.conf import settings

import pytest

BASE_DIR = Path(settings.BASE_DIR)
SCANNED = (".py", ".html", ".md", ".txt")
# Never scanned: other people's code and generated or local files.
SKIPPED_DIRS = {"migrations", "__pycache__", "node_modules"}
SKIPPED_TOP_DIRS = {"static", "media", "test-results", "playwright-report"}

# A contract file and a founding document that used to be cited, and are not in
# the repository (their content is in docs/). This file names them: not scanned.
MISSING_FILES = [
    re.compile(r"CONTRACT\.md"),
    re.compile(r"\bseed\s*§"),
    re.compile(r"\bseed/"),
]
DOCS_PATH = re.compile(r"(?<![\w./-])docs/[\w./-]*\w")
# "docs/mechanism.md §3 and §8": the page, then the sections it cites.
SECTION_CITATION = re.compile(r"(docs/[\w/-]+\.md)((?:\s*(?:,|and)?\s*§\s?\d+)+)")
SECTION_HEADING = re.compile(r"^#+\s*§(\d+)\b", re.MULTILINE)
# A relative path with at least one folder: "inventory/search.py", "tests/home".
REPO_PATH = re.compile(r"(?<![\w./-])((?:[\w-]+/)+[\w.-]*\w)")
MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")
FENCE = re.compile(r"^\s*(```|~~~)")


def scanned_files():
    for folder, dirs, files in os.walk(BASE_DIR):
        here = Path(folder)
        dirs[:] = sorted(
            name
            for name in dirs
            if not name.startswith(".")
            and name not in SKIPPED_DIRS
            and not name.endswith(".egg-info")
            and not (here == BASE_DIR and name in SKIPPED_TOP_DIRS)
        )
        for name in sorted(files):
            if name.endswith(SCANNED):
                yield here / name


def relative(path):
    return path.relative_to(BASE_DIR).as_posix()


def top_level_dirs():
    return {
        entry.name
        for entry in BASE_DIR.iterdir()
        if entry.is_dir()
        and not entry.name.startswith(".")
        and entry.name not in SKIPPED_TOP_DIRS
    }


def python_prose(text):
    """(line number, text) of the comments and docstrings of a Python source."""
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.COMMENT:
            yield token.start[0], token.string
    for node in ast.walk(ast.parse(text)):
        if not isinstance(
            node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
        ):
            continue
        first = node.body[0] if node.body else None
        if (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
        ):
            for offset, line in enumerate(first.value.value.splitlines()):
                yield first.lineno + offset, line


def markdown_prose(text):
    """(line number, text) of a Markdown file, code blocks left out."""
    fenced = False
    for number, line in enumerate(text.splitlines(), start=1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield number, line


def prose(path, text):
    if path.suffix == ".py":
        return python_prose(text)
    if path.suffix == ".md":
        return markdown_prose(text)
    return []


def heading_anchors(text):
    """The anchors GitHub gives the headings of a Markdown text."""
    anchors = set()
    for _number, line in markdown_prose(text):
        match = re.match(r"#+\s+(.*?)\s*#*\s*$", line)
        if match:
            text = re.sub(r"[^\w\- ]", "", match.group(1).lower())
            anchors.add(text.replace(" ", "-"))
    return anchors


def sections(page):
    return set(SECTION_HEADING.findall(page.read_text(encoding="utf-8")))


def dangling_references(path, text=None):
    """Return what ``path`` names that the repository does not hold.

    What the file at ``path`` (or ``text`` given as if it were there) names that the
    repository does not hold, one line each.
    """
    if text is None:
        text = path.read_text(encoding="utf-8")
    where = relative(path)
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        for pattern in MISSING_FILES:
            if pattern.search(line):
                problems.append(f"{where}:{number}: names a file not in the repo")
        for match in DOCS_PATH.finditer(line):
            if not (BASE_DIR / match.group(0)).exists():
                problems.append(f"{where}:{number}: no {match.group(0)}")
        for page, cited in SECTION_CITATION.findall(line):
            if (BASE_DIR / page).is_file():
                for section in re.findall(r"§\s?(\d+)", cited):
                    if section not in sections(BASE_DIR / page):
                        problems.append(f"{where}:{number}: no §{section} in {page}")
    tops = top_level_dirs()
    for number, line in prose(path, text):
        for match in REPO_PATH.finditer(line):
            name = match.group(1)
            if name.split("/")[0] not in tops or name.startswith("docs/"):
                continue
            if not any(
                (root / name).exists() for root in (BASE_DIR, BASE_DIR / "templates")
            ):
                problems.append(f"{where}:{number}: no {name}")
    if path.suffix == ".md":
        for number, line in markdown_prose(text):
            for target in MARKDOWN_LINK.findall(line):
                problem = broken_link(path, text, target)
                if problem:
                    problems.append(f"{where}:{number}: {problem}")
    return problems


def broken_link(path, text, target):
    if re.match(r"[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
        return None
    file_part, _hash, anchor = target.partition("#")
    if not file_part:
        headings = heading_anchors(text)
    else:
        linked = (path.parent / file_part).resolve()
        if not linked.exists():
            return f"link to missing {target}"
        if linked.suffix != ".md":
            return None
        headings = heading_anchors(linked.read_text(encoding="utf-8"))
    if anchor and anchor not in headings:
        return f"link to missing heading {target}"
    return None


def test_no_file_names_what_the_repository_lacks():
    this_file = Path(__file__).resolve()
    problems = [
        problem
        for path in scanned_files()
        if path.resolve() != this_file
        for problem in dangling_references(path)
    ]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(
    "text, expected",
    [
        ('"""Reports (seed §7)."""\n', "names a file not in the repo"),
        ("# Facet name (CONTRACT.md query parameter)\n", "names a file"),
        ('"""See docs/nothing-here.md."""\n', "no docs/nothing-here.md"),
        ('"""Teams (docs/mechanism.md §4 and §42)."""\n', "no §42 in"),
        ("# tests/home/test_no_such_file.py runs it\n", "no tests/home/test_no_such"),
        ('"""The column order (docs/api.md)."""\n', None),
        ('"""Modalities (docs/mechanism.md §4)."""\n', None),
        ('TEMPLATE = "inventory/no_such_template.html"\n', None),
    ],
)
def test_the_scan_finds_each_kind_of_dangling_reference(text, expected):
    """The scan catches what it is for.

    A path in code (not in a comment or a docstring) is left to the code's own
    tests.
    """
    problems = dangling_references(BASE_DIR / "home" / "probe.py", text)
    if expected is None:
        assert problems == []
    else:
        assert any(expected in problem for problem in problems), problems


def test_the_scan_checks_markdown_links_and_their_headings():
    text = (
        "# Probe\n\n"
        "[fine](api.md#csv-export), [top](#probe), [web](https://example.org/x).\n"
        "[gone](no-such-page.md) and [lost](api.md#no-such-heading).\n"
        "```sh\n[in code](not-checked.md)\n```\n"
    )
    problems = dangling_references(BASE_DIR / "docs" / "probe.md", text)
    assert [problem.split(": ", 1)[1] for problem in problems] == [
        "link to missing no-such-page.md",
        "link to missing heading api.md#no-such-heading",
    ]
