"""Operational tools.

The local PostgreSQL and OpenSearch servers, the test runner, the production-like
server, backups. Run them as modules from the project root, e.g. ``python -m
scripts.backup``.
"""
