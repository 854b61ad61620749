"""The test suite's own layout.

A newcomer finds fixtures in conftest files and everything else a test imports in
tests.factories or tests.helpers.

A module that imports from a conftest or from a test module ties itself to that
file's fixtures and tests (pytest already imports conftest files on its own, and
a test module's tests are not helpers); what is shared belongs in tests/helpers/.
"""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def is_test_or_conftest(module):
    last = module.rsplit(".", 1)[-1]
    return module.startswith("tests.") and (
        last == "conftest" or last.startswith("test_")
    )


def imported_modules(module, source):
    """(line, module) for each module that ``module`` imports, resolved.

    For ``from package import name``, ``package.name`` too (it may be a module).
    """
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                target = ".".join([*parts, node.module] if node.module else parts)
            else:
                target = node.module
            yield node.lineno, target
            for alias in node.names:
                yield node.lineno, f"{target}.{alias.name}"


def offending_imports(modules):
    """``modules``: (dotted name, source) pairs.

    The imports of a conftest or a test module (other than the module itself) they
    make.
    """
    found = []
    for module, source in modules:
        for line, target in imported_modules(module, source):
            if is_test_or_conftest(target) and target != module:
                found.append(f"{module}:{line} imports {target}")
    return sorted(set(found))


def test_no_module_imports_from_a_conftest_or_a_test_module():
    modules = [
        (".".join(path.relative_to(ROOT).with_suffix("").parts), path.read_text())
        for path in sorted(TESTS.rglob("*.py"))
    ]
    assert offending_imports(modules) == []


def test_the_check_sees_every_way_of_importing_them():
    sources = {
        "tests.inventory.test_a": "from tests.conftest import publish\n",
        "tests.inventory.test_b": "from .conftest import InventoryEntryFactory\n",
        "tests.inventory.test_c": "from tests.inventory.test_moderation import act\n",
        "tests.inventory.test_d": "def f():\n    from .test_submission import submit\n",
        "tests.e2e.test_e": "from tests.e2e import test_accessibility as a11y\n",
        "tests.e2e.test_f": "import tests.reporting.conftest\n",
        "tests.e2e.test_g": "from tests.helpers.pages import publish\n",
        "tests.e2e.test_h": "from tests.factories import InventoryEntryFactory\n",
    }
    assert offending_imports(sources.items()) == [
        "tests.e2e.test_e:1 imports tests.e2e.test_accessibility",
        "tests.e2e.test_f:1 imports tests.reporting.conftest",
        "tests.inventory.test_a:1 imports tests.conftest",
        "tests.inventory.test_b:1 imports tests.inventory.conftest",
        "tests.inventory.test_c:1 imports tests.inventory.test_moderation",
        "tests.inventory.test_d:2 imports tests.inventory.test_submission",
    ]
