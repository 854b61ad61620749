"""Templates keep one style.

Each ``{% endblock %}`` names its block, and each template loads its tag libraries in
one ``{% load %}``, sorted.

A named endblock says which block a long template closes; one sorted load
shows at a glance which libraries a template uses. Indentation is djhtml's
(``make lint`` and the gates check it).
"""

import re

from tests.helpers.i18n import BASE_DIR, template_files

ENDBLOCK = re.compile(r"\{%-?\s*endblock\s*-?%\}")
LOAD = re.compile(r"\{%-?\s*load\s+(?P<libraries>.*?)\s*-?%\}", re.DOTALL)


def style_problems(source):
    """What in ``source`` breaks the template style, one message per problem."""
    problems = [
        f"unnamed {{% endblock %}} on line {source.count(chr(10), 0, m.start()) + 1}"
        for m in ENDBLOCK.finditer(source)
    ]
    loads = [m.group("libraries").split() for m in LOAD.finditer(source)]
    if len(loads) > 1:
        problems.append(f"{len(loads)} {{% load %}} tags: load every library in one")
    for libraries in loads:
        if libraries != sorted(libraries):
            problems.append(f"{{% load {' '.join(libraries)} %}} is not sorted")
    return problems


def test_the_style_check_finds_unnamed_endblocks_and_unsorted_loads():
    assert (
        style_problems(
            '{% extends "base.html" %}\n{% load i18n wagtailcore_tags %}\n'
            "{% block title %}x{% endblock title %}\n"
            "{% block content %}\n    <p>y</p>\n{% endblock content %}\n"
        )
        == []
    )
    assert style_problems(
        "{% load wagtailcore_tags i18n %}\n{% block content %}\n{% endblock %}\n"
    ) == [
        "unnamed {% endblock %} on line 3",
        "{% load wagtailcore_tags i18n %} is not sorted",
    ]
    assert style_problems("{% load i18n %}\n{% load home_tags %}\n") == [
        "2 {% load %} tags: load every library in one",
    ]


def test_every_template_follows_the_style():
    files = template_files()
    assert len(files) > 40, "the templates were not found"
    problems = {
        str(path.relative_to(BASE_DIR)): found
        for path in files
        if (found := style_problems(path.read_text(encoding="utf-8")))
    }
    assert problems == {}
