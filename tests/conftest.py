"""Shared test fixtures: paths, the authority, converted seeds, stores."""

from __future__ import annotations

from pathlib import Path

import pytest

from cable_kg.convert import convert_file
from cable_kg.resolve import Authority

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "telegrams"
FIXTURES = ROOT / "tests" / "fixtures" / "telegrams"
SEED_3410 = DATA / "000_5ae8a120279738db.txt"
SEED_16052 = DATA / "004_60bdd681175bebb0.txt"


@pytest.fixture(scope="session")
def authority() -> Authority:
    return Authority.load()


@pytest.fixture(scope="session")
def seed_3410(authority):
    return convert_file(SEED_3410, authority)


@pytest.fixture(scope="session")
def seed_16052(authority):
    return convert_file(SEED_16052, authority)
