"""Which of Wagtail's backends talks to the test node (scripts/opensearch_node.py)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import opensearch_node

BACKEND = opensearch_node.WAGTAIL_BACKEND
