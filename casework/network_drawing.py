"""The network page's markup for many records: the server's SVG drawing, the list of records
and the list of links. Written here rather than in the template because a two-step network
holds several hundred records and links, and the template language spent two thirds of the
page's time on them (a variable lookup, an escape and a localisation per attribute). Every
text is escaped as the template would (html.escape, which Django's escape calls); numbers
and class names come from the code, not from what anyone typed.

No script and no style attribute, so the Content-Security-Policy stays strict; the list is
what a screen reader and a printer use."""

import math
from html import escape
from urllib.parse import quote

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

SIZE = 760
RING = 85
# A record kind -> the route of its own page, by the number its node id carries.
PAGES = {"person": "casework:person_network", "business": "casework:business_network",
         "phone": "casework:phone_network", "vehicle": "casework:vessel_network"}


def layout(network: dict) -> dict:
    """Positions for nodes and lines for edges: {"nodes": [...], "edges": [...], "size"}."""
    rings: dict[int, list[dict]] = {}
    for node in network["nodes"]:
        rings.setdefault(node["level"], []).append(node)
    middle = SIZE / 2
    placed = {}
    for level, nodes in rings.items():
        for index, node in enumerate(sorted(nodes, key=lambda n: (n["kind"], n["id"]))):
            angle = 2 * math.pi * index / max(len(nodes), 1) + level * 0.35
            radius = RING * level
            placed[node["id"]] = {**node, "x": round(middle + radius * math.cos(angle), 1),
                                  "y": round(middle + radius * math.sin(angle), 1)}
    lines = [{"x1": placed[e["source"]]["x"], "y1": placed[e["source"]]["y"],
              "x2": placed[e["target"]]["x"], "y2": placed[e["target"]]["y"], "kind": e["kind"]}
             for e in network["edges"] if e["source"] in placed and e["target"] in placed]
    return {"nodes": list(placed.values()), "edges": lines, "size": SIZE}


def svg(network: dict) -> SafeString:
    """The drawing (coordinates with a decimal point in every language, as SVG wants)."""
    drawing = layout(network)
    count = len(drawing["nodes"])
    title = ngettext("A drawing of %(nodes)s connected record; the list below holds the same.",
                     "A drawing of %(nodes)s connected records; the list below holds the same.",
                     count) % {"nodes": count}
    lines = "".join(f'<line x1="{e["x1"]}" y1="{e["y1"]}" x2="{e["x2"]}" y2="{e["y2"]}" '
                    f'class="link {e["kind"]}"></line>' for e in drawing["edges"])
    nodes = "".join(
        f'<g class="node {n["kind"]}{" center" if n.get("center") else ""}">'
        f'<circle cx="{n["x"]}" cy="{n["y"]}" r="{11 if n.get("center") else 7}"></circle>'
        f'<text x="{n["x"]}" y="{n["y"]}" dy="-10">{escape(_short(n["label"]))}</text></g>'
        for n in drawing["nodes"])
    return mark_safe(  # noqa: S308 -- numbers and kinds from the code, texts escaped
        f'<svg viewBox="0 0 {SIZE} {SIZE}" role="img" aria-labelledby="network-title" '
        f'class="network-drawing"><title id="network-title">{escape(title)}</title>'
        f'{lines}{nodes}</svg>')


def _short(label: str) -> str:
    """At most 22 characters, as the template's truncatechars:22 did."""
    return label if len(label) <= 22 else label[:21] + "…"


def _href(node: dict, prefixes: dict) -> str:
    kind, _sep, number = node["id"].partition(":")
    if kind in ("signal", "dossier"):  # by reference or number, which is what they show
        return prefixes[kind].replace("0-0", quote(node["label"]))
    if kind in PAGES:
        return prefixes[kind].replace("999999999", number)
    return ""


def record_rows(nodes: list[dict]) -> SafeString:
    """The table rows of the records: steps out, kind, the record (a link to its page or
    network), and the link that expands it without script."""
    # One reverse() per kind, not per row: the number is put into the address afterwards.
    prefixes = {kind: reverse(name, args=[999999999]) for kind, name in PAGES.items()}
    prefixes["signal"] = reverse("signals:detail", args=["0-0"])
    prefixes["dossier"] = reverse("casework:dossier_network", args=["0-0"])
    show, expand = _("Show %(label)s"), _("Expand %(label)s")
    rows = []
    for node in nodes:
        href, label = _href(node, prefixes), escape(node["label"])
        record = f'<a href="{escape(href)}">{label}</a>' if href else label
        action = ""
        if node["expand_url"]:
            text = (show if node["kind"] == "more" else expand) % {"label": node["label"]}
            action = f'<a href="{escape(node["expand_url"])}#nodes">{escape(text)}</a>'
        rows.append(f'<tr data-node="{escape(node["id"])}"><td>{node["level"]}</td>'
                    f'<td>{escape(str(node["kind_label"]))}</td><td>{record}</td>'
                    f'<td>{action}</td></tr>')
    return mark_safe("".join(rows))  # noqa: S308 -- every text in it is escaped


def link_items(links: list[dict]) -> SafeString:
    return mark_safe("".join(  # noqa: S308 -- every text in it is escaped
        f"<li>{escape(link['source'])} · {escape(str(link['kind']))} · "
        f"{escape(link['target'])}</li>" for link in links))
