"""python -m scripts.api_changes: see scripts/api_changes/__init__.py."""

import sys

from .cli import main

sys.exit(main())
