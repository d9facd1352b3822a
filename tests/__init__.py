"""The test suite. Imported first of it by every test process (pytest imports the package
before its conftest), so what must hold before any test module's imports goes here."""

import sys

# factory_boy imports its SQLAlchemy integration whenever SQLAlchemy is installed (it is, for
# followthemoney): 0.23 s of CPU in every test process's start-up, for factories no test
# uses. Marked missing, factory_boy skips it as it does when SQLAlchemy is absent.
sys.modules.setdefault("factory.alchemy", None)  # type: ignore[arg-type]
