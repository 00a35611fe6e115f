"""HTML: the Jinja templates, relative links, the highlighted telegram text,
and the thread and timeline drawn as inline SVG (no script, no network).

Every link in a page is relative to the page's own path, so the same
pages work from the HTTP server, from a static host at the base IRI, and
behind a proxy that mounts the site under a prefix.
"""

from __future__ import annotations

import html
from datetime import date
from itertools import pairwise

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from .site import Page, Site, Span

KIND_NAMES = {"person": "People", "place": "Places", "unit": "Units", "operation": "Operations",
              "event": "Reported events", "date": "Dates"}
FORMAT_NAMES = {"ttl": "Turtle", "jsonld": "JSON-LD", "nt": "N-Triples", "rdf": "RDF/XML"}
MEDIA_TYPES = {"ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples",
               "rdf": "application/rdf+xml"}


def relative(from_path: str, to_path: str) -> str:
    """A link from the page at ``from_path`` to ``to_path`` (both site paths).

    >>> relative("telegram/x.html", "person/y.html")
    '../person/y.html'
    >>> relative("index.html", "static/style.css")
    'static/style.css'
    >>> relative("telegram/x/index.html", "telegram/x.html")
    '../x.html'
    """
    here = from_path.split("/")[:-1]
    there = to_path.split("/")
    i = 0
    while i < len(here) and i < len(there) - 1 and here[i] == there[i]:
        i += 1
    return "/".join([".."] * (len(here) - i) + there[i:]) or "."


class Renderer:
    def __init__(self, site: Site, static: bool = False, endpoint: str | None = None):
        self.site = site
        self.static = static  # a static site: no server-side search or SPARQL
        self.endpoint = endpoint
        self.env = Environment(loader=PackageLoader("cable_kg.web", "templates"),
                               autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
        # the static site writes Turtle and JSON-LD documents; the server has all four formats
        formats = {k: v for k, v in FORMAT_NAMES.items() if not static or k in ("ttl", "jsonld")}
        self.env.globals.update(kind_names=KIND_NAMES, format_names=formats, site_title=site.title,
                                media_types=MEDIA_TYPES)

    # ------------------------------------------------------------ links
    def linker(self, page_path: str):
        site = self.site

        def href(target: str | None, ext: str = "html") -> str:
            """A site path (``query.html``), or an IRI: local IRIs link to
            their document, others (Wikidata, GeoNames) stay as they are."""
            if target is None:
                return "#"
            if "://" not in target:
                return relative(page_path, target)
            local = site.local(target)
            if local is None:
                return target
            return relative(page_path, f"{local}.{ext}" if ext else local)

        return href

    def render(self, template: str, page_path: str, **context) -> str:
        href = self.linker(page_path)
        return self.env.get_template(template).render(
            href=href, page_path=page_path, static=self.static, endpoint=self.endpoint,
            base=self.site.base, **context)

    def page(self, page: Page, page_path: str) -> str:
        href = self.linker(page_path)
        extra = {}
        if page.kind == "telegram":
            d = page.data
            extra["text_html"] = highlight(d["content"], d["window"], d["spans"], href)
            extra["thread_svg"] = thread_svg(d["thread"], page.iri, href) if d["thread"] else None
            extra["timeline_svg"] = timeline_svg(d["position"], href) if d["position"] else None
        local = self.site.local(page.iri) or ""
        return self.render(page.template, page_path, page=page, d=page.data, iri=page.iri, local=local, **extra)


# ------------------------------------------------------------------ text

def highlight(text: str, window: tuple[int, int], spans: list[Span], href) -> Markup:
    """The text between ``window`` with every span marked.

    Spans nest and overlap (a date inside an event, a name inside a
    citation), and links cannot nest, so the text is cut at every span
    boundary; each piece is one element whose classes are the kinds of all
    spans covering it and whose link is the narrowest covering span that
    links somewhere.

    >>> s = [Span(0, 5, "person", "author: Stalin", "https://x.org/person/s", "m1")]
    >>> str(highlight("STALIN wrote", (0, 12), s, lambda i: "p.html"))
    '<a class="m m-person" href="p.html" title="author: Stalin" data-mention="m1">STALI</a>N wrote'
    """
    lo, hi = window
    spans = [s for s in spans if s.start < hi and s.end > lo and s.end > s.start]
    cuts = sorted({lo, hi} | {max(lo, min(hi, s.start)) for s in spans} | {max(lo, min(hi, s.end)) for s in spans})
    out: list[str] = []
    for a, b in pairwise(cuts):
        piece = html.escape(text[a:b], quote=False)
        cover = [s for s in spans if s.start <= a and s.end >= b]
        if not cover:
            out.append(piece)
            continue
        cover.sort(key=lambda s: s.end - s.start)
        classes = " ".join(["m"] + sorted({f"m-{s.kind}" for s in cover}))
        title = html.escape("; ".join(dict.fromkeys(s.label for s in cover)))
        target = next((s for s in cover if s.iri), None)
        mention = html.escape(cover[0].mention)
        if target:
            out.append(f'<a class="{classes}" href="{html.escape(href(target.iri))}" title="{title}" '
                       f'data-mention="{mention}">{piece}</a>')
        else:
            out.append(f'<span class="{classes}" title="{title}" data-mention="{mention}">{piece}</span>')
    return Markup("".join(out))


# ------------------------------------------------------------------ thread

def thread_svg(thread, current: str, href) -> Markup:
    """The reply thread as a sequence chart: one lane per sender, telegrams
    left to right in time order, an arrow from each reply to what it
    answers.  Placeholders (telegrams the collection lacks) are dashed."""
    nodes = sorted(thread.nodes.values(), key=lambda n: (n.date or "9999", n.iri))
    lanes: list[str] = []
    for n in nodes:
        lane = (n.sender or "unknown sender").split(";")[0].strip()
        if lane not in lanes:
            lanes.append(lane)
    col_w, row_h, left, top, box_w, box_h = 150, 64, 130, 24, 128, 44
    pos = {}
    for i, n in enumerate(nodes):
        lane = lanes.index((n.sender or "unknown sender").split(";")[0].strip())
        pos[n.iri] = (left + i * col_w, top + lane * row_h)
    width = left + len(nodes) * col_w
    height = top + len(lanes) * row_h + 8
    parts = [f'<svg class="thread" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="Reply thread">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>']
    for i, lane in enumerate(lanes):
        y = top + i * row_h + box_h / 2
        parts.append(f'<line x1="{left - 6}" y1="{y}" x2="{width - 8}" y2="{y}" class="lane"/>')
        parts.append(f'<text x="4" y="{y + 4}" class="lane-label">{html.escape(_clip(lane, 18))}</text>')
    for e in thread.edges:
        if e.citing not in pos or e.replied not in pos:
            continue
        (x1, y1), (x2, y2) = pos[e.citing], pos[e.replied]
        ax, ay = x1 + (0 if x2 <= x1 else box_w), y1 + box_h / 2
        bx, by = x2 + (box_w if x2 <= x1 else 0), y2 + box_h / 2
        if x1 == x2:
            ax, bx = x1 + box_w / 2, x2 + box_w / 2
            ay, by = (y1, y2 + box_h) if y2 < y1 else (y1 + box_h, y2)
        mid = (ax + bx) / 2
        bend = -18 if y1 == y2 else 0
        score = f" (score {e.score:.2f})" if e.score is not None else ""
        tip = html.escape(f"replies to{score}: {e.evidence}")
        parts.append(f'<path class="edge" d="M{ax},{ay} C{mid},{ay + bend} {mid},{by + bend} {bx},{by}" '
                     f'marker-end="url(#arrow)"><title>{tip}</title></path>')
    for n in nodes:
        x, y = pos[n.iri]
        cls = "node" + (" current" if n.iri == current else "") + (" placeholder" if n.placeholder else "")
        when = n.when() if n.date else "undated"
        line2 = f"No. {n.number}" if n.number else ("not in the collection" if n.placeholder else "")
        tip = html.escape(n.label or n.iri)
        box = (f'<rect x="{x}" y="{y}" width="{box_w}" height="{box_h}" rx="5"/>'
               f'<text x="{x + 6}" y="{y + 17}">{html.escape(_clip(when, 22))}</text>'
               f'<text x="{x + 6}" y="{y + 34}" class="sub">{html.escape(_clip(line2, 24))}</text>'
               f"<title>{tip}</title>")
        if n.iri == current:
            parts.append(f'<g class="{cls}">{box}</g>')
        else:
            parts.append(f'<a href="{html.escape(href(n.iri))}" class="thread-link"><g class="{cls}">{box}</g></a>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


# ------------------------------------------------------------------ timeline

def timeline_svg(position: dict, href) -> Markup:
    """Telegrams per month over the whole collection, this one marked."""
    months = position["months"]
    if not months:
        return Markup("")
    first, last = _month(months[0][0]), _month(months[-1][0])
    span = max(1, (last.year - first.year) * 12 + last.month - first.month + 1)
    width, height, pad = 640, 70, 10
    step = (width - 2 * pad) / span
    peak = max(n for _, n in months)
    parts = [f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 18}" '
             f'viewBox="0 0 {width} {height + 18}" role="img" aria-label="Position on the timeline">']
    for m, n in months:
        d = _month(m)
        i = (d.year - first.year) * 12 + d.month - first.month
        h = max(2, (height - 14) * n / peak)
        cls = "bar current" if m == position["month"] else "bar"
        parts.append(f'<rect class="{cls}" x="{pad + i * step:.1f}" y="{height - h:.1f}" '
                     f'width="{max(1.5, step - 1):.1f}" height="{h:.1f}"><title>{m}: {n} telegram'
                     f'{"s" if n != 1 else ""}</title></rect>')
    for year in range(first.year, last.year + 1):
        i = (year - first.year) * 12 + 1 - first.month
        if 0 <= i < span:
            x = pad + i * step
            parts.append(f'<line class="tick" x1="{x:.1f}" y1="{height}" x2="{x:.1f}" y2="{height + 5}"/>'
                         f'<text class="tick-label" x="{x + 2:.1f}" y="{height + 15}">{year}</text>')
    cur = _month(position["month"])
    x = pad + ((cur.year - first.year) * 12 + cur.month - first.month + 0.5) * step
    parts.append(f'<path class="marker" d="M{x:.1f},2 l-5,-0 l5,9 l5,-9 z"><title>this telegram: '
                 f'{html.escape(position["date"][:10])}</title></path>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _month(ym: str) -> date:
    return date(int(ym[:4]), int(ym[5:7]), 1)
