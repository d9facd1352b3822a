"""A bad record in seeds/actors.yaml is refused by name, and nothing of it is written. (Apart
from test_actors.py, whose module loads the seeds once for all its tests: these start from an
empty database.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from advocacy.models import Actor
from seeds.actors import actors_seeds_load
from seeds.loader import SEED_DIRECTORY, SeedError


def test_a_quote_that_is_not_in_its_text_is_refused_by_record_and_field(db, tmp_path):
    directory = tmp_path / "seeds"
    shutil.copytree(SEED_DIRECTORY, directory, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path: Path = directory / "actors.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('Chairman of DCAS)"', 'Chair of everything)"', 1),
        encoding="utf-8",
    )
    with pytest.raises(
        SeedError, match=r"actors\.yaml: actor 6 \(fulvio-martusciello\) > position 1 > quote 1"
    ):
        actors_seeds_load(directory=directory)
    assert not Actor.objects.exists()


def test_an_unknown_document_key_is_refused(db, tmp_path):
    directory = tmp_path / "seeds"
    shutil.copytree(SEED_DIRECTORY, directory, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = directory / "actors.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "document: citizens-appeal-2021", "document: nowhere", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(SeedError, match=r"'nowhere' is not a key of documents\.yaml"):
        actors_seeds_load(directory=directory)
