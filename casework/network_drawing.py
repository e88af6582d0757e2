"""The network drawn on the server as SVG: the center in the middle, each step out on a wider
ring. No script and no style attribute, so the Content-Security-Policy stays strict; the list
of nodes and links beside it is what a screen reader and a printer use."""

import math

SIZE = 760
RING = 85


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
