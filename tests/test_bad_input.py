"""Bad input gets a clear error, the rest of the batch loads, nothing half-loaded."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from conftest import SEED_3410, SEED_16052

from cable_kg.cli import main
from cable_kg.queries import LocalEngine, load_query, run
from cable_kg.store import Store

CYRILLIC_PAGE = (
    "June 6, 1951\nШифротелеграмма № 3411, Филиппов [Сталин] — Мао Цзэдуну\n"
    "ШИФРОТЕЛЕГРАММА № 3411\nПЕКИН\nТОВ. МАО ЦЗЭДУНУ.\nПолучил вашу телеграмму от 5 июня.\n"
    "ФИЛИППОВ\n6 June 1951\nA Russian-only page of a short telegram to Mao Zedong about arms deliveries.\n"
    "Language\nRussian\nRecord ID\n900001\n"
)


@pytest.fixture()
def batch(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(SEED_3410, folder / SEED_3410.name)
    shutil.copy(SEED_16052, folder / SEED_16052.name)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_bytes(b"  \n\n ")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (folder / "latin1.txt").write_bytes("June 5, 1951\nTelegram\nline two\nMao Zedong caf\xe9".encode("latin-1"))
    (folder / "notes.txt").write_text("Shopping list\n- eggs\n- milk\n", encoding="utf-8")
    bom = "\ufeff" + SEED_3410.read_text(encoding="utf-8").replace("3410", "3412")
    (folder / "bom.txt").write_text(bom, encoding="utf-8")
    (folder / "cyrillic.txt").write_text(CYRILLIC_PAGE, encoding="utf-8")
    return folder


def test_each_bad_file_is_reported_and_the_rest_load(batch, tmp_path):
    store = tmp_path / "store"
    result = CliRunner().invoke(main, ["load", str(batch), "--store", str(store)])
    assert result.exit_code == 1
    err = result.stderr
    assert f"{batch / 'empty.txt'}: empty file" in err
    assert f"{batch / 'blank.txt'}: empty file" in err
    assert f"{batch / 'binary.txt'}: binary file" in err
    assert f"{batch / 'latin1.txt'}:4:15: not UTF-8 text: byte 0xe9" in err
    assert f"{batch / 'notes.txt'}: not a telegram page" in err
    assert f"{batch / 'bom.txt'}: warning: UTF-8 byte order mark removed" in err
    assert "loaded 4, unchanged 0, failed 5" in result.stdout
    rows = run(LocalEngine(Store(store, read_only=True)), load_query("telegrams")).records()
    assert {r["number"] for r in rows} == {"3410", "3412", "16052", "478", "3411"}
    assert {r["source"] for r in rows} == {SEED_3410.name, SEED_16052.name, "bom.txt", "cyrillic.txt"}


def test_cyrillic_kept_as_written_and_language_recorded(batch, tmp_path):
    store = Store(None)
    from cable_kg.pipeline import load_paths

    report = load_paths(store, [batch / "cyrillic.txt"])
    assert report.ok
    [row] = LocalEngine(store).select(
        "SELECT ?t ?l WHERE { ?x <http://purl.org/dc/terms/title> ?t ; <http://purl.org/dc/terms/language> ?l }").rows
    assert row[0].value.startswith("Шифротелеграмма № 3411, Филиппов [Сталин]")
    assert row[1].value == "Russian"


def test_convert_reports_bad_files_and_still_writes_the_good(batch, tmp_path):
    out = tmp_path / "out.nq"
    result = CliRunner().invoke(main, ["convert", str(batch), "--format", "nquads", "-o", str(out)])
    assert result.exit_code == 1
    assert "empty.txt: empty file" in result.stderr
    assert "112096" in out.read_text(encoding="utf-8")


def test_a_failed_replace_keeps_the_old_graph(tmp_path):
    """The graph replace is one transaction: a bad update leaves the old version."""
    from cable_kg.errors import StoreError
    from cable_kg.pipeline import load_paths

    store = Store(tmp_path / "s")
    load_paths(store, [SEED_3410])
    before = len(store)
    [graph] = [g for g in store.graph_hashes() if not g.endswith("/authority")]
    broken = f'<{graph}> <http://ex.org/p> "unterminated <{graph}> .\n'
    with pytest.raises(StoreError):
        store.replace_graph(graph, broken)
    assert len(store) == before
