"""Plain helpers shared by the test suites, one module per topic.

Fixtures stay in conftest files; whatever a test module imports comes from
here or from tests.factories, never from a conftest or another test module.
"""
