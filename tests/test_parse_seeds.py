"""The two real seed telegrams come out right (issue: core pipeline)."""

from __future__ import annotations

from cable_kg.resolve import Authority


def names(refs, authority: Authority):
    return [authority.person(r.name, r.bracket).name for r in refs]


def test_3410_header(seed_3410, authority):
    t = seed_3410.telegram
    assert t.doc_type == "telegram"
    assert t.date.iso == "1951-06-05"
    assert t.telegram_number.value == "3410"
    assert t.number("title").value == "3410"
    assert t.number("outgoing").value == "297/sh"
    who = authority.person(t.author.name, t.author.bracket)
    assert (who.name, who.pseudonym) == ("Joseph Stalin", "Filippov")
    assert names(t.via, authority) == ["Krasovsky"]
    assert names(t.addressees, authority) == ["Mao Zedong"]
    assert t.destination.value == "Beijing"
    assert t.signature_date.iso == "1951-06-05"
    assert t.summary.value.startswith("Telegram from Stalin to Mao")
    assert t.record_id is None and t.archive_citation is None


def test_16052_header(seed_16052, authority):
    t = seed_16052.telegram
    assert t.date.iso == "1951-01-29"
    assert t.telegram_number.value == "16052"
    assert t.origin.value == "Beijing"
    [received] = t.transmissions
    assert (received.kind, received.when.iso, received.when.precision) == ("received", "1951-01-29T18:40", "minute")
    assert t.urgency.value == "extremely urgent"
    assert [(authority.person(c.person.name).name, c.count) for c in t.copies] == [("Joseph Stalin", 2)]
    [to] = t.addressees
    assert authority.person(to.name, to.bracket).name == "Joseph Stalin"
    assert authority.person(to.name, to.bracket).pseudonym == "Filippov"
    assert authority.person(t.author.name).name == "Mao Zedong"
    assert t.issuing_office.value == "SECOND MAIN ADMINISTRATION OF THE GENERAL STAFF OF THE SOVIET ARMY"
    a = t.archive_citation
    assert (a.archive, a.fond, a.opis, a.delo, a.listy) == ("APRF", "45", "1", "337", "41-43")
    assert t.record_id.value == "112096"
    assert t.uploaded.iso == "2011-11-20"
    assert t.archive_type.value == "Telegram"


def test_16052_embedded_order(seed_16052, authority):
    t = seed_16052.telegram
    [order] = t.embedded
    assert order.telegram_number.value == "478"
    assert authority.person(order.author.name).name == "Mao Zedong"
    assert names(order.addressees, authority) == ["Peng Dehuai"]
    assert order.signature_date.iso == "1951-01-28T19:00"
    assert order.salutation.value == "Comrade PENG DEHUAI"
    # the order's own text is inside the carrier's, and its number is not the carrier's
    assert t.text.start < order.text.start < order.text.end <= t.text.end
    assert t.number("outgoing") is None


def test_spans_point_at_the_words(seed_16052, seed_3410):
    for doc in (seed_3410, seed_16052):
        t, text = doc.telegram, doc.text
        spans = [n.span for _, n in t.numbers] + [t.author.span, t.date.span]
        spans += [a.span for a in t.addressees] + [v.span for v in t.via]
        for e in t.embedded:
            spans += [n.span for _, n in e.numbers] + [e.author.span]
        for s in spans:
            assert text[s.start:s.end] == s.text, s


def test_nbsp_and_curly_quotes_kept(seed_16052):
    assert "\u201cComrade PENG DEHUAI!" in seed_16052.text
    assert "\u00a0" in seed_16052.text
