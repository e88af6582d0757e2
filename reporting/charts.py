"""Charts as SVG drawn on the server: the same code for the dashboard and the PDF.

Plain horizontal bars with their numbers written out, readable in black and white and by a
screen reader (a title and a description on every chart); no script, no external font.
"""

from django.utils.html import escape

BAR_HEIGHT = 22
GAP = 6
LABEL_WIDTH = 210
BAR_WIDTH = 320


def bar_chart(title: str, rows: list[tuple[str, int | str]], *, description: str = "") -> str:
    """rows: (label, value); a suppressed value ('<5') is drawn as a short hatched stub."""
    numbers = [v for _label, v in rows if isinstance(v, int)]
    top = max(numbers or [1]) or 1
    height = max(1, len(rows)) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" class="chart" '
        f'aria-labelledby="t" font-family="DejaVu Sans, sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(description or title)}</desc>",
    ]
    for index, (label, value) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = BAR_WIDTH * value / top if isinstance(value, int) else 6
        fill = "#154273" if isinstance(value, int) else "#6b6b6b"
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end" '
            f'fill="#1b1b1b">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{fill}"/>'
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 15}" '
            f'fill="#1b1b1b">{escape(str(value))}</text>')
    parts.append("</svg>")
    return "".join(parts)
