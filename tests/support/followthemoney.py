"""The followthemoney package for the tests that validate the accountability export.

It is not in requirements-dev.txt: it needs PyICU, which compiles against ICU
(requirements-ftm.txt says how to install it; .ci/run does). Outside CI a missing package
skips those tests with that message; under CI=true it is a failure, never a skip.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

MISSING = (
    "followthemoney is not installed: apt-get install -y libicu-dev pkg-config g++ && "
    ".venv/bin/pip install -r requirements-ftm.txt"
)


def followthemoney_model() -> Any:
    """followthemoney's model, or skip (fail under CI) saying how to install it."""
    try:
        from followthemoney import model
    except ImportError:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(MISSING)
        pytest.skip(MISSING)
    return model
