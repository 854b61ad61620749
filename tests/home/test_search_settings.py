"""The settings refuse a search backend whose client is not installed.

The settings refuse to start with a search backend whose client is not the installed
one, and say what to install.
"""

import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.helpers.commands import manage

ROOT = Path(__file__).resolve().parents[2]


def installed_major(distribution):
    try:
        return int(version(distribution).split(".")[0])
    except PackageNotFoundError:
        return None


def start(backend):
    """``manage.py check`` with a cluster configured for ``backend``."""
    return manage(
        "check",
        DJANGO_SETTINGS_MODULE="cms.settings.test",
        ELASTICSEARCH_URL="http://127.0.0.1:9",
        SEARCH_BACKEND=backend,
    )


def test_a_backend_without_its_client_version_stops_the_start_with_what_to_install():
    major = installed_major("elasticsearch")
    other = 8 if major != 8 else 9
    result = start(f"elasticsearch{other}")
    assert result.returncode != 0
    found = f"but {version('elasticsearch')} is installed" if major else "not installed"
    assert (
        f"SEARCH_BACKEND=elasticsearch{other} needs the elasticsearch client "
        f"{other}.x" in result.stderr
    )
    assert found in result.stderr
    assert f"pip install '.[elasticsearch{other}]'" in result.stderr


def test_opensearch_backends_are_checked_alike():
    major = installed_major("opensearch-py")
    assert major == 3, "the project installs opensearch-py 3"
    result = start("opensearch2")
    assert result.returncode != 0
    assert "SEARCH_BACKEND=opensearch2 needs the opensearch-py client 2.x" in (
        result.stderr
    )


@pytest.mark.parametrize("distribution", ["opensearch-py", "elasticsearch"])
def test_the_backend_of_the_installed_client_starts(distribution):
    major = installed_major(distribution)
    if major is None:
        pytest.skip(f"{distribution} is not installed here")
    backend = {"opensearch-py": "opensearch", "elasticsearch": "elasticsearch"}
    result = start(f"{backend[distribution]}{major}")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_an_unknown_backend_is_refused_by_name():
    result = start("solr")
    assert result.returncode != 0
    assert "SEARCH_BACKEND='solr' is not one of opensearch2, opensearch3" in (
        result.stderr
    )


def test_each_elasticsearch_extra_installs_the_client_of_its_major_version():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    for major in (8, 9):
        (requirement,) = extras[f"elasticsearch{major}"]
        assert requirement.startswith(f"elasticsearch=={major}.")
    # The plain dependency is a range that admits both extras' versions, so
    # pip can install either extra (a plain pin would refuse the 8.x one).
    (plain,) = [
        Requirement(requirement)
        for requirement in project["dependencies"]
        if Requirement(requirement).name == "elasticsearch"
    ]
    for major in (8, 9):
        (pinned,) = Requirement(extras[f"elasticsearch{major}"][0]).specifier
        assert plain.specifier.contains(pinned.version), (plain, pinned)
