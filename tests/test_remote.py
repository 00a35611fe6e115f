"""Remote engines against a real Oxigraph server on 127.0.0.1: ``load
--endpoint`` pushes every graph through the Graph Store Protocol, and every
saved query gives the same rows there as on the embedded store.  Also:
timeouts, basic authentication, errors."""

from __future__ import annotations

import base64
import http.server
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA, FIXTURES

from cable_kg.cli import main
from cable_kg.errors import QueryError, StoreError
from cable_kg.queries import LocalEngine, list_queries, run
from cable_kg.remote import RemoteEngine, put_graph
from cable_kg.store import Store

BASE = "https://cable-kg.example.org/"
# parameters for the saved queries that need some
PARAMS = {"telegram": {"id": "112096"}, "thread": {"telegram": "3410@1951-06-05"},
          "timeline": {"from": "1951-01-01", "to": "1951-06-30"}}
# the server pip installs beside this interpreter, whether or not its bin/ is on PATH
OXIGRAPH = shutil.which("oxigraph") or shutil.which("oxigraph", path=str(Path(sys.executable).parent))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    if OXIGRAPH is None:
        pytest.skip("the oxigraph server (pip install oxigraph) is not installed")
    port = free_port()
    folder = tmp_path_factory.mktemp("oxigraph")
    proc = subprocess.Popen([OXIGRAPH, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"oxigraph did not start: {proc.stderr.read().decode()}") from None
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def loaded(oxigraph, tmp_path_factory):
    """The seeds and fixtures loaded both ways: through the Graph Store
    Protocol into Oxigraph, and into an embedded store."""
    runner = CliRunner()
    result = runner.invoke(main, ["load", str(DATA), str(FIXTURES), "--endpoint", f"{oxigraph}/store"])
    assert result.exit_code == 0, result.output
    files = len(list(DATA.glob("*.txt"))) + len(list(FIXTURES.glob("*.txt")))
    assert f"pushed {files} graphs, failed 0" in result.output
    store = tmp_path_factory.mktemp("embedded") / "store"
    result = runner.invoke(main, ["load", str(DATA), str(FIXTURES), "--store", str(store)])
    assert result.exit_code == 0, result.output
    return oxigraph, store


def normalised(result) -> list[tuple]:
    """Rows as comparable tuples; GROUP_CONCAT lists as sets (their order is
    the engine's business)."""
    out = []
    for row in result.rows:
        cells = []
        for c in row:
            if c is None:
                cells.append(None)
            elif c.kind == "literal" and "; " in c.value:
                cells.append(("set", tuple(sorted(c.value.split("; ")))))
            else:
                cells.append((c.kind, c.value, c.datatype, c.lang))
        out.append(tuple(cells))
    return sorted(out, key=repr)


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_every_saved_query_gives_the_same_rows_remotely(loaded, name):
    url, store = loaded
    saved = next(q for q in list_queries() if q.name == name)
    params = PARAMS.get(name, {})
    with Store(store, read_only=True) as db:
        local = run(LocalEngine(db), saved, params, BASE)
    remote = run(RemoteEngine(f"{url}/query", timeout=30), saved, params, BASE)
    assert remote.columns == local.columns
    assert local.rows, f"{name} returns nothing: the comparison would prove nothing"
    assert normalised(remote) == normalised(local)


def test_query_command_with_endpoint(loaded):
    url, store = loaded
    runner = CliRunner()
    remote = runner.invoke(main, ["query", "people", "--endpoint", f"{url}/query", "--format", "csv"])
    local = runner.invoke(main, ["query", "people", "--store", str(store), "--format", "csv"])
    assert remote.exit_code == 0, remote.output
    assert sorted(remote.output.splitlines()[1:]) == sorted(local.output.splitlines()[1:])
    remote = runner.invoke(main, ["query", "telegram", "-p", "id", "3410@1951-06-05", "--endpoint", f"{url}/query"])
    assert remote.exit_code == 0 and "3410" in remote.output


def test_load_endpoint_replaces_each_graph_whole(loaded):
    url, _ = loaded
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    engine = RemoteEngine(f"{url}/query")
    before = int(engine.select(count).rows[0][0].value)
    result = CliRunner().invoke(main, ["load", str(DATA), str(FIXTURES), "--endpoint", f"{url}/store"])
    assert result.exit_code == 0, result.output
    assert int(engine.select(count).rows[0][0].value) == before  # pushed again: replaced, not added
    g = "https://cable-kg.example.org/graph/test-put"
    put_graph(f"{url}/store", g, '<http://e.org/a> <http://e.org/b> "1" .\n<http://e.org/a> <http://e.org/b> "2" .\n')
    put_graph(f"{url}/store", g, '<http://e.org/a> <http://e.org/b> "3" .\n')
    rows = engine.select(f"SELECT ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}").rows
    assert [r[0].value for r in rows] == ["3"]


def test_load_endpoint_reports_bad_files_and_pushes_the_rest(oxigraph, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(DATA / "000_5ae8a120279738db.txt", folder)
    (folder / "bad.txt").write_bytes(b"\xff\xfe\x00garbage")
    result = CliRunner().invoke(main, ["load", str(folder), "--endpoint", f"{oxigraph}/store"])
    assert result.exit_code == 1
    assert "bad.txt" in result.output and "pushed 1 graphs, failed 1" in result.output


def test_errors_are_clear(oxigraph):
    with pytest.raises(QueryError, match="rejected the query|HTTP 400"):
        RemoteEngine(f"{oxigraph}/query").select("SELECT * WHERE {")
    port = free_port()
    with pytest.raises(QueryError, match="cannot connect"):
        RemoteEngine(f"http://127.0.0.1:{port}/sparql", timeout=2).select("ASK {}")
    with pytest.raises(QueryError, match="not an http"):
        RemoteEngine("ftp://x/sparql")
    with pytest.raises(StoreError, match="cannot connect"):
        put_graph(f"http://127.0.0.1:{port}/store", "http://e.org/g", "", timeout=2)
    result = CliRunner().invoke(main, ["load", str(DATA), "--endpoint", f"{oxigraph}/nothing-here"])
    assert result.exit_code == 1 and "Graph Store URL" in result.output


class _Stub(http.server.BaseHTTPRequestHandler):
    """A SPARQL endpoint stand-in: checks basic auth, or never answers."""

    seen: list = []
    mode = "auth"

    def log_message(self, *args):
        pass

    def _answer(self):
        type(self).seen.append((self.command, self.path, self.headers.get("Authorization")))
        if type(self).mode == "hang":
            time.sleep(3)
            return
        want = "Basic " + base64.b64encode(b"reader:s3cret").decode()
        if self.headers.get("Authorization") != want:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="kg"')
            self.end_headers()
            return
        if self.command == "PUT":
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(204)
            self.end_headers()
            return
        body = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [
            {"x": {"type": "literal", "value": "ok", "xml:lang": "en"}}]}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _answer


@pytest.fixture()
def stub():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    server.daemon_threads = True
    _Stub.seen = []
    _Stub.mode = "auth"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Stub
    server.shutdown()
    server.server_close()


def test_basic_auth_is_sent(stub):
    url, handler = stub
    with pytest.raises(QueryError, match="not authorised"):
        RemoteEngine(f"{url}/sparql").select("SELECT ?x WHERE {}")
    with pytest.raises(QueryError, match="not authorised"):
        RemoteEngine(f"{url}/sparql", user="reader", password="wrong").select("SELECT ?x WHERE {}")
    result = RemoteEngine(f"{url}/sparql", user="reader", password="s3cret").select("SELECT ?x WHERE {}")
    assert result.rows[0][0].value == "ok" and result.rows[0][0].lang == "en"
    put_graph(f"{url}/store", "http://e.org/g", "<http://e.org/a> <http://e.org/b> 1 .\n", user="reader",
              password="s3cret")
    assert handler.seen[-1][0] == "PUT" and "graph=http%3A%2F%2Fe.org%2Fg" in handler.seen[-1][1]
    with pytest.raises(StoreError, match="401"):
        put_graph(f"{url}/store", "http://e.org/g", "", user="reader", password="no")
    runner = CliRunner()
    out = runner.invoke(main, ["query", "people", "--endpoint", f"{url}/sparql", "--user", "reader",
                               "--password", "s3cret"])
    assert out.exit_code == 0 and "ok" in out.output


def test_timeout(stub):
    url, handler = stub
    handler.mode = "hang"
    t = time.monotonic()
    with pytest.raises(QueryError, match="no answer within 1 s"):
        RemoteEngine(f"{url}/sparql", timeout=1).select("SELECT ?x WHERE {}")
    assert time.monotonic() - t < 3
    out = CliRunner().invoke(main, ["query", "people", "--endpoint", f"{url}/sparql", "--timeout", "1"])
    assert out.exit_code == 1 and "no answer within 1 s" in out.output


def test_long_queries_go_by_post(stub):
    url, handler = stub
    long = "SELECT ?x WHERE { " + " ".join(f"BIND({i} AS ?v{i})" for i in range(400)) + " }"
    RemoteEngine(f"{url}/sparql", user="reader", password="s3cret").select(long)
    assert handler.seen[-1][0] == "POST"


def test_values_sent_are_checked_terms(stub):
    """A parameter value cannot change the query text sent to an endpoint."""
    url, handler = stub
    engine = RemoteEngine(f"{url}/sparql", user="reader", password="s3cret")
    from cable_kg.queries import load_query, prepare

    text = prepare(engine, load_query("timeline"), {"from": "1951-01-01"}, BASE)
    assert '"1951-01-01"^^<http://www.w3.org/2001/XMLSchema#date>' in text
    with pytest.raises(QueryError):
        prepare(engine, load_query("timeline"), {"from": '1951-01-01"} } UNION { ?s ?p ?o'}, BASE)


def test_paths_exist():
    assert Path(DATA).is_dir() and Path(FIXTURES).is_dir()
