"""Reply links on the fixture corpus (telegrams citing each other in every
shape) and on the seeds, on real on-disk pyoxigraph stores."""

from __future__ import annotations

import os
import shutil
from datetime import date, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import DATA, FIXTURES

from cable_kg.errors import StoreError
from cable_kg.link import (
    Cited,
    Corpus,
    Doc,
    TEXTS,
    Linker,
    apply_links,
    compute_links,
    decide_and_write,
    gold_link_scores,
    links_lines,
    relink,
)
from cable_kg.model import (
    Citation,
    DateValue,
    PersonRef,
    SourceDocument,
    Span,
    Spanned,
    Telegram,
)
from cable_kg.pipeline import load_paths
from cable_kg.queries import LocalEngine, load_query, run
from cable_kg.rdf.build import DEFAULT_BASE, Iris, build_nquads
from cable_kg.rdf.namespace import CITO, CK
from cable_kg.store import Store

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold"
LINKS = Iris().links_graph()
P = ("PREFIX ck: <https://w3id.org/cable-kg/ns#> PREFIX cito: <http://purl.org/spar/cito/> "
     "PREFIX dct: <http://purl.org/dc/terms/> PREFIX schema: <https://schema.org/> ")


def rows(store: Store, q: str) -> list[list[str | None]]:
    return [[None if v is None else v.value for v in r] for r in store.query(P + q)]


def telegram(store: Store, stem: str) -> str:
    """The IRI of the (outer) telegram of a fixture file."""
    got = rows(store, f'SELECT ?t WHERE {{ ?t ck:sourceFile ?g . ?g ck:fileName "{stem}.txt" '
                      "FILTER NOT EXISTS { ?t ck:carriedBy ?c } }")
    assert len(got) == 1, (stem, got)
    return got[0][0]


def replies_to(store: Store, iri: str) -> set[str]:
    return {r[0] for r in rows(store, f"SELECT ?x WHERE {{ <{iri}> cito:repliesTo ?x }}")}


def citations(store: Store, iri: str) -> dict[str, str]:
    """Cited node -> its words, for one telegram."""
    return {r[0]: r[1] for r in rows(store, f"SELECT ?c ?w WHERE {{ <{iri}> cito:cites ?c . ?c ck:asWritten ?w }}")}


def cited_by_words(store: Store, iri: str, words: str) -> str:
    hits = [c for c, w in citations(store, iri).items() if words.lower() in w.lower()]
    assert len(hits) == 1, (words, citations(store, iri))
    return hits[0]


def resolved(store: Store, cited: str) -> set[str]:
    return {r[0] for r in rows(store, f"SELECT ?t WHERE {{ <{cited}> ck:resolvedTo ?t }}")}


def link_of(store: Store, citing: str, cited: str) -> tuple[float, str]:
    """The score and evidence of the citation of ``citing`` that leads to ``cited`` (resolved to it, or is it)."""
    got = rows(store, f"SELECT ?s ?e WHERE {{ <{citing}> cito:cites ?c . ?c ck:resolvedTo? <{cited}> ; "
                      "ck:score ?s ; ck:evidence ?e } ORDER BY DESC(?s)")
    assert got, (citing, cited)
    return float(got[0][0]), got[0][1]


def is_placeholder(store: Store, cited: str) -> bool:
    return bool(rows(store, f"SELECT ?p WHERE {{ <{cited}> ck:placeholder true }}"))


def load(store: Store, *paths: Path) -> None:
    report = load_paths(store, list(paths), DEFAULT_BASE, workers=1)
    assert not report.failed, report.failed
    relink(store, DEFAULT_BASE)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Store:
    """The fixture telegrams and the seeds, loaded and linked, on disk."""
    store = Store(tmp_path_factory.mktemp("links") / "store")
    load(store, FIXTURES, DATA)
    return store


# ------------------------------------------------------------------ against gold


def test_reply_links_match_the_gold_replies_to(corpus):
    score = gold_link_scores(GOLD, corpus)
    assert score.tp >= 16, score.as_dict()
    assert score.fp == 0, score.false_positives
    assert score.recall >= 0.9, score.false_negatives
    # the same through the Engine protocol
    assert gold_link_scores(GOLD, LocalEngine(corpus)).as_dict()["tp"] == score.tp


# ------------------------------------------------------------------ every shape of citation


def test_same_day_reply(corpus):
    f37, f36 = telegram(corpus, "f37_filippov_pow_reply"), telegram(corpus, "f36_mao_pow")
    assert replies_to(corpus, f37) == {f36}
    score, evidence = link_of(corpus, f37, f36)
    assert score >= 0.5 and "date exact (1952-07-17)" in evidence


def test_one_telegram_answers_several(corpus):
    f20 = telegram(corpus, "f20_filippov_plural_reply")
    assert {telegram(corpus, "f18_mao_dong_jan31_front"), telegram(corpus, "f19_mao_jan31_aviation")} <= \
        replies_to(corpus, f20)
    # singular "your telegram of 13 June": two that day, the second "in addition to" the first
    f27 = telegram(corpus, "f27_filippov_same_day")
    f25, f26 = telegram(corpus, "f25_mao_june13_moscow_trip"), telegram(corpus, "f26_mao_june13_arms")
    assert replies_to(corpus, f27) == {f25, f26}
    assert "addition" in link_of(corpus, f27, f26)[1]


def test_by_number_only(corpus):
    f24, f23 = telegram(corpus, "f24_mao_june4"), telegram(corpus, "f23_filippov_defence_lines")
    assert f23 in replies_to(corpus, f24)
    assert "number 3153" in link_of(corpus, f24, f23)[1]
    f35, f34 = telegram(corpus, "f35_vyshinsky_your_no"), telegram(corpus, "f34_razuvaev_4676")
    assert replies_to(corpus, f35) == {f34}


def test_by_incoming_number_is_a_follow_up_not_a_reply(corpus):
    f22, f21 = telegram(corpus, "f22_roshchin_vkh_addition"), telegram(corpus, "f21_roshchin_letter_peng")
    cited = cited_by_words(corpus, f22, "2967")
    assert resolved(corpus, cited) == {f21}
    evidence = link_of(corpus, f22, f21)[1]
    assert "incoming number 20757 = header number" in evidence and "not a reply" in evidence
    assert f21 not in replies_to(corpus, f22)


def test_by_topic_only(corpus):
    f02, f01 = telegram(corpus, "f02_fengxi_pilot_cadres"), telegram(corpus, "f01_mao_pilot_cadres")
    assert replies_to(corpus, f02) == {f01}
    assert "topic" in link_of(corpus, f02, f01)[1]


def test_a_telegram_not_in_the_collection_is_a_placeholder(corpus):
    f05 = telegram(corpus, "f05_zhou_note_port_arthur")
    cited = cited_by_words(corpus, f05, "7 February")
    assert is_placeholder(corpus, cited) and resolved(corpus, cited) == set()
    assert replies_to(corpus, f05) == {cited}
    (kind, day, who), = rows(corpus, f"SELECT ?k ?d ?n WHERE {{ <{cited}> ck:citationKind ?k ; ck:citedDate ?d ; "
                                     "ck:presumedSender/schema:name ?n }")
    assert (kind, day, who) == ("note", "1950-02-07", "Andrei Vyshinsky")
    assert "no telegram in the store matches" in link_of(corpus, f05, cited)[1]


def test_a_later_load_turns_the_placeholder_into_a_link(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir(), second.mkdir()
    for f in FIXTURES.glob("*.txt"):
        shutil.copy(f, (second if f.name.startswith("f23_") else first) / f.name)
    store = Store(tmp_path / "store")
    load(store, first)
    f24 = telegram(store, "f24_mao_june4")
    cited = cited_by_words(store, f24, "3153")
    assert is_placeholder(store, cited) and replies_to(store, f24) == {cited}
    load(store, second)  # f24 is not loaded again
    f23 = telegram(store, "f23_filippov_defence_lines")
    assert not is_placeholder(store, cited)
    assert resolved(store, cited) == {f23} and replies_to(store, f24) == {f23}


def test_two_unrelated_candidates_on_the_same_day_stay_ambiguous(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for stem in ("f25_mao_june13_moscow_trip", "f27_filippov_same_day"):
        shutil.copy(FIXTURES / f"{stem}.txt", src)
    arms = (FIXTURES / "f26_mao_june13_arms.txt").read_text(encoding="utf-8")
    (src / "f26_mao_june13_arms.txt").write_text(
        arms.replace("In addition to our telegram No. 3336 of today, I send you our new application for arms.",
                     "I send you our new application for arms."), encoding="utf-8")
    store = Store(tmp_path / "store")
    load(store, src)
    f27 = telegram(store, "f27_filippov_same_day")
    cited = cited_by_words(store, f27, "13 June")
    assert is_placeholder(store, cited) and resolved(store, cited) == set()
    result = run(LocalEngine(store), load_query("unresolved"))
    mine = [r for r in result.records() if r["placeholder"] == cited]
    assert "ambiguous" in mine[0]["reason"]
    ranked = {int(r["rank"]): r["candidate"] for r in mine}
    assert set(ranked) == {1, 2}
    assert set(ranked.values()) == {telegram(store, "f25_mao_june13_moscow_trip"),
                                    telegram(store, "f26_mao_june13_arms")}
    assert link_of(store, f27, cited)[1].startswith("placeholder: ambiguous: 2 candidates")


def test_a_date_without_a_year_across_the_year_boundary(corpus):
    f14, f13 = telegram(corpus, "f14_filippov_zhou_via_zakharov"), telegram(corpus, "f13_zhou_antung_bridges")
    assert replies_to(corpus, f14) == {f13}  # "your telegram of 30 December" in a telegram of 3 January 1951


def _doc(name: str, day: str, author: str, to: str, number: str | None = None,
         cites: tuple[Citation, ...] = ()) -> SourceDocument:
    span = Span(0, 1, "x")
    t = Telegram(date=DateValue(day, "day", span), numbers=(("header", Spanned(number, span)),) if number else (),
                 author=PersonRef(author, span), addressees=(PersonRef(to, span),), text=span, citations=cites,
                 title=Spanned(f"Telegram {name}", span))
    return SourceDocument(f"{name}.txt", "x" * 40, t, name * 8)


def test_a_year_wrongly_given_to_a_yearless_date_is_taken_back(tmp_path, authority):
    words = "your telegram of 30 December"
    wrong = Citation(Span(0, len(words), words), "your", dates=(DateValue("1951-12-30", "day", Span(0, 1, "x")),))
    store = Store(tmp_path / "store")
    iris = Iris()
    for doc in (_doc("zhou", "1950-12-30", "Zhou Enlai", "Filippov"),
                _doc("stalin", "1951-01-03", "Filippov", "Zhou Enlai", cites=(wrong,))):
        store.replace_graph(iris.graph(doc.name), build_nquads(doc, authority, iris))
    relink(store)
    citing = rows(store, 'SELECT ?t WHERE { ?t dct:date "1951-01-03"^^<http://www.w3.org/2001/XMLSchema#date> }')[0][0]
    target = rows(store, 'SELECT ?t WHERE { ?t dct:date "1950-12-30"^^<http://www.w3.org/2001/XMLSchema#date> }')[0][0]
    assert replies_to(store, citing) == {target}
    assert "year taken as 1950" in link_of(store, citing, target)[1]


def test_the_archive_summary_is_weaker_evidence(corpus):
    f07, f06 = telegram(corpus, "f07_mao_reply_kim_visit"), telegram(corpus, "f06_filippov_via_roshchin")
    assert replies_to(corpus, f07) == {f06}
    score, evidence = link_of(corpus, f07, f06)
    assert score < 0.7 and "archive's summary" in evidence and "weaker" in evidence


def test_a_carried_telegram_is_not_replied_to(corpus):
    seed = telegram(corpus, "004_60bdd681175bebb0")
    order = f"{seed}-e1"  # order No. 478, embedded
    mine = cited_by_words(corpus, seed, "28 January")
    assert resolved(corpus, mine) == {order}
    assert order not in replies_to(corpus, seed)
    assert "carried with the citing telegram" in link_of(corpus, seed, order)[1]
    # the carrier of Peng's telegram cites it: resolved, not a reply
    f15 = telegram(corpus, "f15_mao_transmitting_peng")
    assert resolved(corpus, cited_by_words(corpus, f15, "3 January")) == {f"{f15}-e1"}
    assert f"{f15}-e1" not in replies_to(corpus, f15)
    # ... while the answer to the carrier also answers Peng's telegram it mentions
    f16 = telegram(corpus, "f16_filipov_reply_4151")
    assert replies_to(corpus, f16) == {f15, f"{f15}-e1"}


def test_a_citation_inside_an_embedded_telegram_belongs_to_it(corpus):
    seed = telegram(corpus, "004_60bdd681175bebb0")
    order = f"{seed}-e1"
    peng = cited_by_words(corpus, order, "27 January 1951, 24:00")
    assert is_placeholder(corpus, peng) and replies_to(corpus, order) >= {peng}
    assert peng not in replies_to(corpus, seed)


def test_nothing_replies_to_a_later_telegram(corpus):
    got = rows(corpus, "SELECT ?a ?da ?b ?db WHERE { ?a cito:repliesTo ?b . ?b a ck:Document . "
                       "?a dct:date ?da . ?b dct:date ?db }")
    assert len(got) >= 15
    for a, da, b, db in got:
        assert db[:10] <= da[:10], (a, da, b, db)


# ------------------------------------------------------------------ the seeds alone


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> Store:
    store = Store(tmp_path_factory.mktemp("seeds") / "store")
    load(store, DATA)
    return store


def test_seed_3410_cites_maos_telegram_of_4_june_as_a_placeholder(seeds):
    t = telegram(seeds, "000_5ae8a120279738db")
    cited = cited_by_words(seeds, t, "June 4")
    assert is_placeholder(seeds, cited) and cited in replies_to(seeds, t)
    (day, who), = rows(seeds, f"SELECT ?d ?n WHERE {{ <{cited}> ck:citedDate ?d ; ck:presumedSender/schema:name ?n }}")
    assert (day, who) == ("1951-06-04", "Mao Zedong")  # the thread words it (test_views)


def test_order_478_cites_pengs_telegram_of_27_january_24_00_as_a_placeholder(seeds):
    order = telegram(seeds, "004_60bdd681175bebb0") + "-e1"
    cited = cited_by_words(seeds, order, "27 January 1951, 24:00")
    assert is_placeholder(seeds, cited) and cited in replies_to(seeds, order)
    (day, who), = rows(seeds, f"SELECT ?d ?n WHERE {{ <{cited}> ck:citedDate ?d ; ck:presumedSender/schema:name ?n }}")
    assert (day, who) == ("1951-01-28T00:00:00", "Peng Dehuai")  # 24:00 of 27 January


# ------------------------------------------------------------------ the graph itself


def test_links_live_in_their_own_graph_and_are_well_formed(corpus):
    graphs = {r[0] for r in rows(corpus, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?a cito:repliesTo ?b } }")}
    assert graphs == {LINKS}
    # every cited node is decided: resolved or a placeholder, never both, with one score and one evidence
    decided = rows(corpus, "SELECT ?c (COUNT(DISTINCT ?s) AS ?scores) (COUNT(DISTINCT ?e) AS ?evidence) (SAMPLE(?s) AS ?score) "
                           f"WHERE {{ ?c a ck:CitedTelegram . GRAPH <{LINKS}> {{ ?c ck:score ?s ; ck:evidence ?e }} }} "
                           "GROUP BY ?c")
    cited = rows(corpus, "SELECT ?c WHERE { ?c a ck:CitedTelegram }")
    assert len(decided) == len(cited) >= 30
    for node, scores, evidence, score in decided:
        assert (scores, evidence) == ("1", "1"), node
        assert 0 <= float(score) <= 1, node
    undecided = rows(corpus, "SELECT ?c WHERE { ?c a ck:CitedTelegram . "
                             "FILTER NOT EXISTS { ?c ck:resolvedTo ?t } FILTER NOT EXISTS { ?c ck:placeholder true } }")
    both = rows(corpus, "SELECT ?c WHERE { ?c ck:resolvedTo ?t ; ck:placeholder true }")
    assert undecided == [] and both == []
    # every reply is one of the citing telegram's citations: resolved to the telegram, or the placeholder itself
    unbacked = rows(corpus, "SELECT ?a ?b WHERE { ?a cito:repliesTo ?b . "
                            "FILTER NOT EXISTS { ?a cito:cites ?c . ?c ck:resolvedTo? ?b } }")
    assert unbacked == []
    assert len(rows(corpus, "SELECT ?a ?b WHERE { ?a cito:repliesTo ?b }")) >= 30


def test_a_placeholder_says_what_its_citation_says_in_a_telegrams_own_terms(corpus, seeds):
    """In the links graph a placeholder has the date, number, sender and
    addressee its citation gives (ck:citedDate, ck:citedNumber,
    ck:presumedSender, ck:presumedRecipient) as dct:date, ck:number,
    schema:sender and schema:recipient: a thread reads it as a telegram."""
    pairs = {"dct:date": "ck:citedDate", "ck:number": "ck:citedNumber", "schema:sender": "ck:presumedSender",
             "schema:recipient": "ck:presumedRecipient"}
    placeholders = {r[0] for r in rows(corpus, "SELECT ?c WHERE { ?c ck:placeholder true }")}
    assert len(placeholders) >= 5
    seen = set()
    for as_telegram, as_cited in pairs.items():
        given = set(map(tuple, rows(corpus, f"SELECT ?c ?v WHERE {{ GRAPH <{LINKS}> {{ ?c {as_telegram} ?v }} "
                                            "?c ck:placeholder true }")))
        said = set(map(tuple, rows(corpus, f"SELECT ?c ?v WHERE {{ ?c ck:placeholder true ; {as_cited} ?v }}")))
        assert given == said and {c for c, _ in given} <= placeholders, as_telegram
        seen |= {c for c, _ in given}
    assert len(seen) >= 5
    resolved_ones = rows(corpus, f"SELECT ?c WHERE {{ GRAPH <{LINKS}> {{ ?c ck:resolvedTo ?t ; dct:date|schema:sender ?v }} }}")
    assert resolved_ones == []  # a resolved citation has the telegram's own values
    t = telegram(seeds, "000_5ae8a120279738db")
    cited = cited_by_words(seeds, t, "June 4")
    (day, who, to), = rows(seeds, f"SELECT ?d ?n ?m WHERE {{ GRAPH <{LINKS}> {{ <{cited}> dct:date ?d ; schema:sender ?s ; "
                                  "schema:recipient ?r } ?s schema:name ?n . ?r schema:name ?m }")
    assert (day, who, to) == ("1951-06-04", "Mao Zedong", "Joseph Stalin")


def test_each_reply_has_a_record_with_the_best_score_of_the_citations_it_rests_on(corpus):
    """<citing>/replies-to/<replied> (Iris.reply_link) holds one ck:score: the
    best of the citing telegram's citations that lead to the telegram it
    replies to (or are the placeholder); the saved query thread reads it
    there, reply-links reads the citations (the best score, each evidence
    after " | ")."""
    iris = Iris()
    links = rows(corpus, "SELECT ?a ?b WHERE { ?a cito:repliesTo ?b }")
    assert len(links) >= 30
    scores: dict[str, list[float]] = {}
    for r, s in rows(corpus, f"SELECT ?r ?s WHERE {{ GRAPH <{LINKS}> {{ ?r ck:score ?s }} FILTER(CONTAINS(STR(?r), "
                             "'/replies-to/')) }"):
        scores.setdefault(r, []).append(float(s))
    assert set(scores) == {iris.reply_link(a, b) for a, b in links}
    expected = {}
    for a, b in links:
        leads = rows(corpus, f"SELECT ?c ?s ?e WHERE {{ <{a}> cito:cites ?c . ?c ck:resolvedTo? <{b}> ; "
                             "ck:score ?s ; ck:evidence ?e }")
        assert leads, (a, b)
        expected[(a, b)] = (max(float(s) for _, s, _ in leads), {e for _, _, e in leads})
        assert scores[iris.reply_link(a, b)] == [expected[(a, b)][0]], (a, b)  # one score: the best
    engine = LocalEngine(corpus)
    listed = {(r["telegram"], r["replies_to"]): (float(r["score"]), set(r["evidence"].split(" | ")))
              for r in run(engine, load_query("reply-links")).records()}
    split = {k: (s, {w for e in es for w in e.split(" | ")}) for k, (s, es) in expected.items()}
    assert listed == split
    for a, _ in sorted(expected)[:40]:
        for r in run(engine, load_query("thread"), {"telegram": a}).records():
            if r["direction"] != "self":
                citing, replied = (r["parent"], r["node"]) if r["direction"] == "up" else (r["node"], r["parent"])
                assert float(r["score"]) == split[(citing, replied)][0]


def test_a_placeholder_in_the_links_graph_is_not_read_as_a_document(corpus):
    """The linker reads the source graphs: a placeholder's date and parties,
    in the links graph, never make it a candidate."""
    read = Corpus.from_store(corpus, DEFAULT_BASE)
    placeholders = {r[0] for r in rows(corpus, "SELECT ?c WHERE { ?c ck:placeholder true }")}
    assert placeholders and not placeholders & set(read.docs)


def test_relinking_is_deterministic_incremental_and_skipped_when_nothing_changed(corpus):
    before = corpus.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{LINKS}> {{ ?s ?p ?o }} }}")
    before = sorted(str(t) for t in before)
    again = relink(corpus, DEFAULT_BASE, force=True)
    assert not again.skipped and (again.added, again.removed) == (0, 0)
    after = sorted(str(t) for t in corpus.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{LINKS}> {{ ?s ?p ?o }} }}"))
    assert after == before
    lines, _ = compute_links(corpus, DEFAULT_BASE)
    assert lines == compute_links(corpus, DEFAULT_BASE)[0]
    skipped = relink(corpus, DEFAULT_BASE)
    assert skipped.skipped and skipped.links == again.links


def test_a_changed_telegram_changes_only_its_links(tmp_path, monkeypatch):
    import cable_kg.link as link_module

    src = tmp_path / "in"
    shutil.copytree(FIXTURES, src)
    store = Store(tmp_path / "store")
    load(store, src)
    f37 = telegram(store, "f37_filippov_pow_reply")
    assert replies_to(store, f37) == {telegram(store, "f36_mao_pow")}
    page = src / "f37_filippov_pow_reply.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("Your telegram of July 17", "Your telegram of July 2"),
                    encoding="utf-8")
    load_paths(store, [page], DEFAULT_BASE, workers=1)
    # the parts of the copy kept beside the store are compared, not the store's graph
    monkeypatch.setattr(link_module, "stored_lines", lambda *a: pytest.fail("read the store's links graph"))
    report = relink(store, DEFAULT_BASE)
    assert 0 < report.added < 20 and 0 < report.removed < 20
    (cited,) = [c for c in replies_to(store, f37)]
    assert is_placeholder(store, cited)
    got = {(t.subject, t.predicate, t.object)
           for t in store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{LINKS}> {{ ?s ?p ?o }} }}")}
    want = {(q.subject, q.predicate, q.object)
            for q in ox.parse("".join(compute_links(store, DEFAULT_BASE)[0]), format=ox.RdfFormat.N_TRIPLES)}
    assert got == want  # what a full recompute gives
    copy = Path(f"{store.path}.links.nt").read_text(encoding="utf-8")
    assert copy.count("# part\n") == TEXTS + 1 and len(list(ox.parse(copy, format=ox.RdfFormat.N_TRIPLES))) == report.quads


def test_a_quad_that_moves_to_another_text_stays_in_the_graph(tmp_path):
    """A reply stated by a bare citation's text moves to the first text when a
    citation with a date comes to lead to it too: deleted from one, inserted from
    the other, in one update."""
    store = Store(tmp_path / "store")
    g = " .\n"
    a, b = f"{DEFAULT_BASE}telegram/a", f"{DEFAULT_BASE}telegram/b"
    reply = f"<{a}> <{CITO.repliesTo}> <{b}>{g}"
    first = f"<{a}/cited/1> <{CK.score}> \"0.9\"^^<http://www.w3.org/2001/XMLSchema#decimal>{g}"
    stamp = f"<{LINKS}> <http://purl.org/dc/terms/identifier> \"links-1\"{g}"
    assert apply_links(store, LINKS, [first, reply, stamp]) == (3, 0)
    assert apply_links(store, LINKS, [first + reply, "", stamp], "links-1") == (1, 1)
    held = {(t.subject.value, t.predicate.value, t.object.value)
            for t in store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{LINKS}> {{ ?s ?p ?o }} }}")}
    assert len(held) == 3 and (a, str(CITO.repliesTo), b) in held


def test_a_copy_that_does_not_fit_is_not_trusted(tmp_path):
    """A copy in another layout (or of another fingerprint) is ignored: the store's graph is compared."""
    src = tmp_path / "in"
    shutil.copytree(FIXTURES, src)
    store = Store(tmp_path / "store")
    load(store, src)
    copy = Path(f"{store.path}.links.nt")
    copy.write_text(copy.read_text(encoding="utf-8").replace("# part\n", ""), encoding="utf-8")  # one part
    page = src / "f37_filippov_pow_reply.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("Your telegram of July 17", "Your telegram of July 2"),
                    encoding="utf-8")
    load_paths(store, [page], DEFAULT_BASE, workers=1)
    report = relink(store, DEFAULT_BASE)
    assert 0 < report.added < 20 and 0 < report.removed < 20
    got = {(t.subject, t.predicate, t.object)
           for t in store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{LINKS}> {{ ?s ?p ?o }} }}")}
    want = {(q.subject, q.predicate, q.object)
            for q in ox.parse("".join(compute_links(store, DEFAULT_BASE)[0]), format=ox.RdfFormat.N_TRIPLES)}
    assert got == want
    assert copy.read_text(encoding="utf-8").count("# part\n") == TEXTS + 1  # written anew


def test_saved_queries_reply_links_and_unresolved(corpus):
    engine = LocalEngine(corpus)
    result = run(engine, load_query("reply-links"))
    assert result.columns == ["telegram", "replies_to", "score", "evidence"]
    targets = {r["replies_to"] for r in result.records()}
    assert any("/cited/" in t for t in targets) and any("/cited/" not in t for t in targets)
    assert all(r["evidence"] and 0 <= float(r["score"]) <= 1 for r in result.records())
    unresolved = run(engine, load_query("unresolved"))
    assert unresolved.columns[:3] == ["telegram", "placeholder", "text"]
    assert any("7 February" in (r["text"] or "") for r in unresolved.records())


# ------------------------------------------------------------------ the linker's parts


def test_the_fast_score_is_the_explained_score(corpus):
    linker = Linker(Corpus.from_store(corpus))
    c = linker.c
    checked = 0
    bare = 0
    for cited in c.cited.values():
        a = linker.ask(cited)
        if cited.bare:  # in a thread whose telegrams are all its context, the first also taken
            near = sorted(c.docs)
            linker.gather_bare(a, {i: "in the thread" for i in near}, frozenset(near[:1]))
            bare += len(a.pool)
        else:
            linker.gather(a)
            c.fetch_texts(a.pool)
        for iri in a.pool:
            assert linker.fast(a, iri) == pytest.approx(linker.score(a, iri, explain=True).score), (cited.iri, iri)
            checked += 1
    assert checked >= 20 and bare >= 5


def test_candidates_come_from_the_indexes_not_from_every_pair():
    """5000 telegrams, 2000 citations: scored candidates stay a few per citation."""
    docs, cited = {}, {}
    people = [f"p/{k}" for k in range(12)]
    for i in range(5000):
        day = date(1950, 1, 1).toordinal() + i // 6
        s, r = people[i % 12], people[(i * 7 + 1) % 12]
        if s == r:
            r = people[(i + 1) % 12]
        docs[f"t/{i}"] = Doc(f"t/{i}", date.fromordinal(day), [("outgoing", str(1000 + i))], {s}, {r})
    for i in range(2000):
        j = 100 + i * 2
        citing = f"t/{j + 40}"
        a = docs[f"t/{j}"]
        c = Cited(f"{citing}/cited/1", citing, "your" if i % 2 else "third")
        c.psender = next(iter(a.senders)) if c.direction == "third" else None
        docs[citing].recipients = set(a.senders)
        docs[citing].senders = set(a.recipients)
        if i % 3:
            c.dates = [(a.day.isoformat(), "day")]
        else:
            c.number = a.numbers[0][1]
        cited[c.iri] = c
    corpus = Corpus(docs, cited)
    corpus.index()
    linker = Linker(corpus)
    calls = 0
    fast = linker.fast

    def counting(*args, **kwargs):
        nonlocal calls
        calls += 1
        return fast(*args, **kwargs)

    linker.fast = counting
    decisions = linker.run()
    assert len(decisions) == 2000
    assert calls < 2000 * 15, calls  # every pair would be 10 million
    right = sum(1 for d in decisions for t in d.targets if int(t.doc[2:]) == int(d.cited.citing[2:]) - 40)
    assert right >= 1900


# ------------------------------------------------------------------ the facts file beside the store


def test_the_store_hashes_are_read_as_values_when_they_are_the_files(corpus, monkeypatch):
    """The store's hash values, read alone, confirm the facts file's pairs; any
    value that differs sends the check to the pairs themselves."""
    import cable_kg.link as link_module
    from cable_kg.link import source_hashes, source_hashes_as

    pairs = source_hashes(corpus)
    with monkeypatch.context() as m:
        m.setattr(link_module, "source_hashes", lambda *a: pytest.fail("read the pairs"))
        assert source_hashes_as(corpus, dict(pairs)) == pairs
    graph = sorted(pairs)[0]
    stale = {**pairs, graph: "not-the-sha-the-store-has"}
    assert source_hashes_as(corpus, stale) == pairs
    assert source_hashes_as(corpus, {}) == pairs


def test_the_facts_file_gives_what_the_store_gives(corpus, monkeypatch):
    """Linking from the records kept at load time decides exactly what reading
    every value back from the store decides."""
    import cable_kg.link as link_module
    from cable_kg.link import source_hashes
    from cable_kg.linkfacts import facts_path

    hashes = source_hashes(corpus)
    assert facts_path(corpus.path).is_file()
    with monkeypatch.context() as m:
        m.setattr(link_module, "_graph_rows", lambda *a: pytest.fail("read from the store"))
        m.setattr(link_module, "_store_rows", lambda *a: pytest.fail("read from the store"))
        from_facts = Corpus.from_store(corpus, DEFAULT_BASE, hashes)
    from_store = Corpus.from_store(corpus, DEFAULT_BASE)  # no hashes: the store only
    assert from_facts.docs == from_store.docs
    assert from_facts.cited == from_store.cited
    assert from_facts.stamps == from_store.stamps and from_facts.heads == from_store.heads
    assert len(from_facts.cited) >= 40


def test_a_stale_or_missing_facts_entry_is_read_from_the_store(tmp_path):
    from cable_kg.linkfacts import facts_path, open_facts, pack

    store = Store(tmp_path / "store")
    load(store, FIXTURES / "f24_mao_june4.txt", DATA)
    before = compute_links(store, DEFAULT_BASE)[0]
    path = facts_path(store.path)
    graph = Iris().graph("f24_mao_june4.txt")
    with open_facts(store.path, DEFAULT_BASE) as facts:
        facts.put([(graph, "not-the-sha-the-store-has", pack([]))])  # stale: would hide its citations
    assert compute_links(store, DEFAULT_BASE)[0] == before
    path.unlink()  # no file at all
    assert compute_links(store, DEFAULT_BASE)[0] == before
    path.write_bytes(b"not a database")  # a damaged one is replaced
    assert compute_links(store, DEFAULT_BASE)[0] == before


def test_a_file_named_like_the_stores_own_graphs_gets_a_graph_of_its_own(tmp_path):
    """links.txt and authority.txt are telegrams like any other: loading them
    must not overwrite the links graph or the authority graph."""
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(FIXTURES / "f24_mao_june4.txt", pages / "links.txt")
    shutil.copy(DATA / "004_60bdd681175bebb0.txt", pages / "authority.txt")
    store = Store(tmp_path / "store")
    load(store, pages)
    graphs = {r[0] for r in rows(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}
    assert {Iris().graph("links.txt"), Iris().graph("authority.txt"), LINKS, Iris().authority_graph()} <= graphs
    assert len({Iris().graph("links.txt"), Iris().graph("authority.txt"), LINKS, Iris().authority_graph()}) == 4
    # the authority graph still names people, and the links graph still holds the links
    assert rows(store, f"SELECT ?n WHERE {{ GRAPH <{Iris().authority_graph()}> {{ ?p <https://schema.org/name> ?n }} }} LIMIT 1")
    assert rows(store, f"SELECT ?x WHERE {{ GRAPH <{LINKS}> {{ ?x ck:score ?s }} }} LIMIT 1")


def test_a_full_date_does_not_resolve_to_the_day_before(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    text = (FIXTURES / "f41_filippov_relative_times.txt").read_text(encoding="utf-8")
    (pages / "f41_cites_28_february.txt").write_text(
        text.replace("Your telegram of 20 February received.", "Your telegram of 28 February received."),
        encoding="utf-8")
    shutil.copy(FIXTURES / "f21_roshchin_letter_peng.txt", pages)
    store = Store(tmp_path / "store")
    load(store, pages)
    citing = telegram(store, "f41_cites_28_february")
    cited = cited_by_words(store, citing, "28 February")
    assert is_placeholder(store, cited), resolved(store, cited)


def _near_date_corpus(received: list[datetime]) -> Corpus:
    """Stalin's telegram of 27 February (received ``received``); Mao's of 5 March
    cites "your telegram of 28 February" (no time of day)."""
    docs = {"t/a": Doc("t/a", date(1951, 2, 27), [], {"p/stalin"}, {"p/mao"}),
            "t/c": Doc("t/c", date(1951, 3, 5), [], {"p/mao"}, {"p/stalin"})}
    cited = Cited("t/c/cited/1", "t/c", "your")
    cited.dates = [("1951-02-28", "day")]
    corpus = Corpus(docs, {cited.iri: cited})
    corpus.stamps = {"t/a": ([], received)} if received else {}
    corpus.index()
    return corpus


def test_a_day_off_counts_in_full_only_when_the_telegram_was_received_that_day():
    off = Linker(_near_date_corpus([])).run()[0]
    assert not off.targets and [k.doc for k in off.candidates] == ["t/a"]  # kept as a ranked candidate
    assert "no time of day cited" in " ".join(off.candidates[0].evidence)
    on = Linker(_near_date_corpus([datetime(1951, 2, 28, 9, 30)])).run()[0]
    assert [t.doc for t in on.targets] == ["t/a"]


def test_two_citations_of_the_same_telegram_make_one_reply_each_with_its_evidence():
    docs = {"https://k.org/telegram/a": Doc("https://k.org/telegram/a", date(1951, 2, 27), [("outgoing", "12")],
                                            {"p/stalin"}, {"p/mao"}),
            "https://k.org/telegram/c": Doc("https://k.org/telegram/c", date(1951, 3, 5), [], {"p/mao"}, {"p/stalin"})}
    by_date = Cited("https://k.org/telegram/c/cited/1", "https://k.org/telegram/c", "your")
    by_date.dates = [("1951-02-27", "day")]
    by_number = Cited("https://k.org/telegram/c/cited/2", "https://k.org/telegram/c", "your")
    by_number.number = "12"
    corpus = Corpus(docs, {by_date.iri: by_date, by_number.iri: by_number})
    corpus.index()
    decisions = Linker(corpus).run()
    assert all([t.doc for t in d.targets] == ["https://k.org/telegram/a"] for d in decisions)
    lines, report = links_lines(decisions, corpus, Iris("https://k.org/"), "links-x")
    replies = [ln for ln in lines if f"<{CITO.repliesTo}>" in ln]
    assert replies == [f"<https://k.org/telegram/c> <{CITO.repliesTo}> <https://k.org/telegram/a> .\n"]
    assert report.links == 1
    evidence = {ln.split(" ", 1)[0]: ln for ln in lines if f"<{CK.evidence}>" in ln}
    assert "date exact" in evidence[f"<{by_date.iri}>"] and "number 12" in evidence[f"<{by_number.iri}>"]


@pytest.mark.parametrize("value", ["plain words", 'a "quoted" word, a back\\slash \\" and \\n as text',
                                   "a line\nbreak, a\ttab, a\rreturn", "a control \x01 character", "Zhou Enlai 周恩来, ü, \u2014", ""])
def test_the_trusted_bulk_load_reads_the_linkers_literals_as_the_strict_parser_does(tmp_path, value):
    from cable_kg.link import _lit

    line = f"<http://x/c/1> <{CK.evidence}> {_lit(value)} .\n".encode()
    strict, trusted = Store(tmp_path / "strict"), Store(tmp_path / "trusted")
    strict.bulk_load_triples(line, "http://x/links")
    trusted.bulk_load_triples(line, "http://x/links", trusted=True)
    got = list(trusted.oxigraph.quads_for_pattern(None, None, None, None))
    assert got == list(strict.oxigraph.quads_for_pattern(None, None, None, None))
    assert [q.object.value for q in got] == [value.replace("\x01", " ")]


def test_a_first_large_write_goes_through_the_bulk_loader_and_keeps_a_copy(corpus, tmp_path, monkeypatch):
    import cable_kg.link as link_module

    want = sorted(str(t) for t in corpus.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{LINKS}> {{ ?s ?p ?o }} }}"))
    fresh = Store(tmp_path / "fresh")
    load_paths(fresh, [FIXTURES, DATA], DEFAULT_BASE, workers=1)
    monkeypatch.setattr(link_module, "BULK_CITATIONS", 10)
    calls = []
    monkeypatch.setattr(fresh, "bulk_load_triples", lambda data, *a, real=fresh.bulk_load_triples, **kw: calls.append(data) or real(data, *a, **kw))
    first = relink(fresh, DEFAULT_BASE)
    assert len(calls) >= 2 and first.added > 10 and first.removed == 0
    assert calls[-1].decode().startswith(f"<{LINKS}> <http://purl.org/dc/terms/identifier> ")  # the fingerprint last
    assert len(b"".join(calls).splitlines()) == first.quads  # each quad loaded once
    got = sorted(str(t) for t in fresh.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{LINKS}> {{ ?s ?p ?o }} }}"))
    assert got == want
    copy = Path(f"{fresh.path}.links.nt")
    assert sorted(ln for ln in copy.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")) == sorted(
        line[:-len(f" <{LINKS}> .")] + " ." for line in fresh.dump().decode("utf-8").splitlines()
        if line.endswith(f"<{LINKS}> ."))
    loads = len(calls)
    again = relink(fresh, DEFAULT_BASE, force=True)
    assert (again.added, again.removed) == (0, 0) and len(calls) == loads


def wait_for(condition, seconds: float = 10.0) -> None:
    import time

    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.005)


def test_the_loader_takes_what_came_meanwhile_and_raises_what_failed(tmp_path):
    """While one load runs, the texts that come are loaded together next; a
    failed load is raised in the producer's thread, and nothing is lost."""
    import threading

    from cable_kg.link import _Loader

    store = Store(tmp_path / "store")
    release, calls = threading.Event(), []
    real = store.bulk_load_triples

    def slow_first(data, graph, trusted=False):
        calls.append(data)
        if len(calls) == 1:
            release.wait(10)
        real(data, graph, trusted=trusted)

    store.bulk_load_triples = slow_first
    texts = [f"<http://x/s{k}> <http://x/p> <http://x/o> .\n".encode() for k in range(4)]
    loader = _Loader(store, LINKS, least=1)
    loader.put(texts[0])
    wait_for(lambda: len(calls) == 1)  # the first load runs
    for data in texts[1:]:
        loader.put(data)
    release.set()
    wait_for(lambda: len(calls) == 2)
    loader.finish()
    assert calls == [texts[0], b"".join(texts[1:])] and len(store) == 4

    def broken(data, graph, trusted=False):
        raise StoreError("bulk load failed: disk full")

    store.bulk_load_triples = broken
    loader = _Loader(store, LINKS)
    loader.put(texts[0])
    with pytest.raises(StoreError, match="disk full"):
        loader.finish()

    calls.clear()
    store.bulk_load_triples = lambda data, graph, trusted=False: calls.append(data) or real(data, graph, trusted=trusted)
    loader = _Loader(store, LINKS, least=len(texts[0]) * 3)  # small texts wait for more, or for the end
    loader.put(texts[0])
    loader.put(texts[1])
    loader.finish()
    assert sorted(calls) == sorted(texts[:2])  # at the end, two threads: half each


@pytest.mark.parametrize("order", ["reply first", "reply last"])
def test_a_reply_written_over_several_texts_has_every_citation_that_leads_to_it(order):
    """A telegram that cites another as its author's own ("my telegram") in one
    text and as a reply in another: one cito:repliesTo, and the link's record
    has the best score of both citations, as when both are written in one
    text."""
    from cable_kg.link import Candidate, Decision, Replies, links_body, record_scores

    iris = Iris(DEFAULT_BASE)
    a, b = f"{DEFAULT_BASE}telegram/a", f"{DEFAULT_BASE}telegram/b"
    own = Decision(Cited(f"{a}/cited/1", a, "my"), [Candidate(b, 0.9, ["sender matches"])], [], "", False)
    reply = Decision(Cited(f"{a}/cited/2", a, "your"), [Candidate(b, 0.8, ["addressee matches"])], [], "", True)
    other = Decision(Cited(f"{a}/cited/3", a, "my"), [Candidate(f"{DEFAULT_BASE}telegram/c", 0.7)], [], "", False)
    one_text = set(links_body([own, reply, other], iris)[0].splitlines(keepends=True))
    texts = [[own, other], [reply]] if order == "reply last" else [[reply], [own, other]]
    earlier = Replies()
    lines = [ln for part in texts for ln in links_body(part, iris, earlier)[0].splitlines(keepends=True)]
    lines += record_scores(earlier, iris)
    assert len(lines) == len(set(lines)) and set(lines) == one_text
    record = iris.reply_link(a, b)
    assert [ln.split("> ")[2] for ln in lines if ln.startswith(f"<{record}> <{CK.score}>")] == ['"0.9"^^<http://www.w3.org/2001/XMLSchema#decimal']
    assert sum(f"<{CITO.repliesTo}>" in ln for ln in lines) == 1


def test_links_written_in_parts_are_those_of_one_run(corpus):
    iris = Iris(DEFAULT_BASE)
    streamed: list[str] = []
    texts, counted = decide_and_write(Corpus.from_store(corpus, DEFAULT_BASE), iris, sink=streamed.append)
    assert streamed == texts and len(texts) > 1 and counted.quads > 100
    assert decide_and_write(Corpus.from_store(corpus, DEFAULT_BASE), iris)[0] == texts  # deterministic
    serial, _ = links_lines(Linker(Corpus.from_store(corpus, DEFAULT_BASE)).run(), None, iris, "links-x")
    assert sorted("".join(texts).splitlines(keepends=True)) == sorted(serial[:-3])


def test_a_store_changed_behind_the_facts_files_back_is_relinked(tmp_path, monkeypatch):
    """The facts file's own hashes only say whether to decode it early: a graph
    changed in the store without the file knowing is still seen, and relinked."""
    from cable_kg.linkfacts import FactsFile

    decoded = []
    entries = FactsFile.entries
    monkeypatch.setattr(FactsFile, "entries", lambda self: decoded.append(1) or entries(self))
    store = Store(tmp_path / "store")
    load(store, FIXTURES / "f24_mao_june4.txt", DATA)  # loads and links
    decoded.clear()
    assert relink(store, DEFAULT_BASE).skipped
    assert not decoded  # nothing changed: the facts were not decoded
    graph = Iris().graph("f24_mao_june4.txt")
    store.update(f"DELETE {{ GRAPH <{graph}> {{ <{graph}> <{CK.sha256}> ?h }} }} "
                 f"INSERT {{ GRAPH <{graph}> {{ <{graph}> <{CK.sha256}> \"changed-elsewhere\" }} }} "
                 f"WHERE {{ GRAPH <{graph}> {{ <{graph}> <{CK.sha256}> ?h }} }}")
    again = relink(store, DEFAULT_BASE)
    assert not again.skipped and decoded
    assert relink(store, DEFAULT_BASE).skipped



def test_the_corpus_is_built_from_the_facts_file_while_the_store_is_asked_and_again_only_if_they_differ(
        tmp_path, monkeypatch):
    """read_corpus builds the corpus from the facts file as if its hashes were
    the store's; where one is not, it builds it again (the store's rows for
    that graph) and decides what a corpus read from the store decides."""
    from cable_kg.link import read_corpus
    from cable_kg.linkfacts import open_facts, pack

    store = Store(tmp_path / "store")
    load(store, FIXTURES, DATA)
    built = []
    from_records = Corpus.from_records.__func__
    monkeypatch.setattr(Corpus, "from_records", classmethod(lambda cls, *a, **k: built.append(1) or from_records(cls, *a, **k)))
    _, hoped = read_corpus(store, DEFAULT_BASE)
    assert len(built) == 1 and len(hoped.cited) >= 40
    graph = Iris().graph("f24_mao_june4.txt")
    with open_facts(store.path, DEFAULT_BASE) as facts:
        facts.put([(graph, "not-the-sha-the-store-has", pack([]))])  # stale: would hide its citations
    built.clear()
    _, fixed = read_corpus(store, DEFAULT_BASE)
    assert len(built) == 2 and fixed.docs == hoped.docs and fixed.cited == hoped.cited


@pytest.mark.parametrize("how", ["bulk-loaded", "bulk-loaded, the store slow to answer", "updated"])
def test_relink_starts_from_the_facts_file_and_checks_the_store_before_it_writes(corpus, tmp_path, monkeypatch, how):
    """Linking goes on from the facts file while the store answers for the
    hashes; a file that does not match the store (here: one graph's entry
    stale and empty, which would hide its citations) is found out before an
    update is applied, or, for the first links of a store bulk-loaded while
    the store had not answered, before the fingerprint is written: then they
    are removed again.  Either way the work is done again from what the store holds."""
    import time

    import cable_kg.link as link_module
    from cable_kg.linkfacts import open_facts, pack

    fresh = Store(tmp_path / "fresh")
    load_paths(fresh, [FIXTURES, DATA], DEFAULT_BASE, workers=1)
    if how.startswith("bulk"):
        monkeypatch.setattr(link_module, "BULK_CITATIONS", 10)
    else:
        relink(fresh, DEFAULT_BASE)
    graph = Iris().graph("f24_mao_june4.txt")
    with open_facts(fresh.path, DEFAULT_BASE) as facts:
        facts.put([(graph, "not-the-sha-the-store-has", pack([]))])
    built, loaded, removed = [], [], []
    from_records = Corpus.from_records.__func__
    monkeypatch.setattr(Corpus, "from_records", classmethod(lambda cls, *a, **k: built.append(1) or from_records(cls, *a, **k)))
    monkeypatch.setattr(fresh, "bulk_load_triples", lambda data, *a, real=fresh.bulk_load_triples, **kw: loaded.append(data) or real(data, *a, **kw))
    monkeypatch.setattr(fresh, "remove_graph", lambda g, real=fresh.remove_graph: removed.append(g) or real(g))
    if "slow" in how:
        hashes = link_module.source_hashes
        monkeypatch.setattr(link_module, "source_hashes", lambda store: time.sleep(1) or hashes(store))
    else:  # the store answers before the first text is written
        monkeypatch.setattr(link_module._Reading, "answered", lambda self: bool(self.hashes()) or True)
    report = relink(fresh, DEFAULT_BASE, force=True)
    assert len(built) == 2  # from the file, then again once the store's hashes were known
    assert links_of(fresh) == links_of(corpus) and report.links == relink(corpus, DEFAULT_BASE).links
    loaded_quads = len(b"".join(loaded).splitlines())
    if how == "bulk-loaded":
        assert loaded_quads == report.quads and not removed  # nothing loaded before the check
    elif "slow" in how:
        assert loaded_quads > report.quads and removed == [LINKS]  # loaded, removed, loaded again
    else:
        assert not loaded and not removed


def links_of(store: Store) -> list[str]:
    return sorted(str(t) for t in store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{LINKS}> {{ ?s ?p ?o }} }}"))


@pytest.mark.parametrize("version", ["1", "2"])
def test_a_facts_file_of_an_earlier_version_is_read_again_once(tmp_path, monkeypatch, version):
    """A store loaded by an earlier cable-kg: its facts file lacks what the
    linker reads now (the presumed addressee of a citation), so the next link
    reads the store and writes the file again; the link after that reads the
    file alone, and the corpus is the store's."""
    import sqlite3

    import cable_kg.link as link_module
    from cable_kg.link import source_hashes
    from cable_kg.linkfacts import VERSION, facts_path, open_facts

    store = Store(tmp_path / "store")
    load(store, FIXTURES, DATA)
    hashes = source_hashes(store)
    before = links_of(store)
    db = sqlite3.connect(str(facts_path(store.path)))
    with db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'version'", (version,))
    db.close()
    assert VERSION != version
    with open_facts(store.path, DEFAULT_BASE) as facts:
        assert facts.hashes() == {}  # dropped, not misread
    relink(store, DEFAULT_BASE, force=True)
    assert links_of(store) == before
    with open_facts(store.path, DEFAULT_BASE) as facts:
        assert facts.hashes() == hashes
    monkeypatch.setattr(link_module, "_graph_rows", lambda *a: pytest.fail("read from the store"))
    monkeypatch.setattr(link_module, "_store_rows", lambda *a: pytest.fail("read from the store"))
    from_file = Corpus.from_store(store, DEFAULT_BASE, hashes)
    monkeypatch.undo()
    from_store = Corpus.from_store(store, DEFAULT_BASE)
    assert from_file.docs == from_store.docs and from_file.cited == from_store.cited and len(from_file.cited) >= 40
    assert any(c.presumed_recipient for c in from_file.cited.values())


def test_a_damaged_facts_entry_costs_time_not_the_links(tmp_path):
    """An entry that does not decode (or decodes to something else than
    records) is a damaged cache: the linker reads the store instead."""
    from cable_kg.linkfacts import open_facts

    store = Store(tmp_path / "store")
    load(store, FIXTURES, DATA)
    before = links_of(store)
    graph = Iris().graph("f24_mao_june4.txt")
    for blob in (b"\xff not UTF-8", b"not json", b'{"d": 3}', b"[1]", b'{"d": {}}'):
        with open_facts(store.path, DEFAULT_BASE) as facts:
            sha = facts.hashes()[graph]
            facts.put([(graph, sha, blob)])
        report = relink(store, DEFAULT_BASE, force=True)
        assert (report.added, report.removed) == (0, 0) and links_of(store) == before


TWO_CPUS = pytest.mark.skipif(not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2,
                              reason="needs two CPUs to set apart")


@TWO_CPUS
def test_the_loaders_first_thread_runs_on_the_cpus_it_is_given(tmp_path):
    from cable_kg.link import _Loader

    allowed = os.sched_getaffinity(0)
    cpus = {max(allowed)}
    store, seen = Store(tmp_path / "store"), []
    real = store.bulk_load_triples
    store.bulk_load_triples = lambda data, *a, **kw: seen.append(os.sched_getaffinity(0)) or real(data, *a, **kw)
    loader = _Loader(store, LINKS, least=1, cpus=cpus)
    loader.put(b"<http://x/s> <http://x/p> <http://x/o> .\n")
    wait_for(lambda: len(seen) == 1)  # taken before the end: by the first thread
    loader.finish()
    assert seen == [cpus] and len(store) == 1 and os.sched_getaffinity(0) == allowed


@TWO_CPUS
def test_the_loader_and_the_interpreter_run_on_cpus_apart(corpus, tmp_path, monkeypatch):
    """During a bulk-loaded first write the interpreter's thread runs on one CPU and
    the loads never on that CPU alone; afterwards the thread may run anywhere again."""
    import cable_kg.link as link_module

    allowed = os.sched_getaffinity(0)
    fresh = Store(tmp_path / "fresh")
    load_paths(fresh, [FIXTURES, DATA], DEFAULT_BASE, workers=1)
    monkeypatch.setattr(link_module, "BULK_CITATIONS", 10)
    loads, writer = [], []
    real_load = fresh.bulk_load_triples
    monkeypatch.setattr(fresh, "bulk_load_triples",
                        lambda data, *a, **kw: loads.append(os.sched_getaffinity(0)) or real_load(data, *a, **kw))
    real_decide = link_module.decide_and_write
    monkeypatch.setattr(link_module, "decide_and_write",
                        lambda *a, **kw: writer.append(os.sched_getaffinity(0)) or real_decide(*a, **kw))
    relink(fresh, DEFAULT_BASE)
    mine = {min(allowed)}
    assert writer == [mine]
    assert loads and all(cpus in (allowed - mine, allowed) for cpus in loads)
    assert os.sched_getaffinity(0) == allowed
    assert links_of(fresh) == links_of(corpus)
