"""The wheel ships ontology/, queries/ and the authority files: an installed
cable-kg runs a saved query from outside the checkout."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import DATA, ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
                   check=True, capture_output=True)
    [whl] = out.glob("cable_kg-*.whl")
    return whl


def test_wheel_contains_the_shipped_folders(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for rq in (ROOT / "queries").glob("*.rq"):
        assert f"cable_kg/_shipped/queries/{rq.name}" in names
    assert "cable_kg/_shipped/ontology/cable-kg.ttl" in names
    assert "cable_kg/_shipped/authority/persons.toml" in names


def test_installed_wheel_runs_a_saved_query_outside_the_checkout(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    # The fresh environment sees this interpreter's packages for the
    # dependencies (no network needed; a path in a .pth file, whose own .pth
    # files, such as an editable install's, are not run) but gets cable-kg
    # only from the wheel.
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    inner = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                           check=True, capture_output=True, text=True).stdout.strip()
    Path(inner, "outer-packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(wheel)],
                   check=True, capture_output=True)
    work = tmp_path / "elsewhere"
    work.mkdir()
    where = subprocess.run([str(py), "-c", "import cable_kg, sys; print(cable_kg.__file__)"], cwd=work,
                           capture_output=True, text=True, check=True).stdout
    assert str(env_dir) in where, where
    cli = env_dir / "bin" / "cable-kg"
    subprocess.run([str(cli), "load", str(DATA), "--store", "kg"], cwd=work, check=True, capture_output=True)
    out = subprocess.run([str(cli), "query", "telegrams", "--store", "kg", "--format", "csv"], cwd=work,
                         capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[0] == "telegram,source,carried_by,date,number,sender,recipients,via,title"
    assert "16052" in out and "3410" in out
    listing = subprocess.run([str(cli), "queries"], cwd=work, capture_output=True, text=True, check=True).stdout
    assert "timeline" in listing
