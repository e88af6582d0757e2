"""Charts as SVG drawn on the server: the same code for the dashboard and the PDF.

Plain horizontal bars with their numbers written out, readable in black and white and by a
screen reader (a title and a description on every chart); no script, no external font.
Labels wrap onto as many lines as they need: a label is never cut, in any language.
"""

from django.utils.html import escape

BAR_HEIGHT = 22
GAP = 6
LINE_HEIGHT = 14
LABEL_WIDTH = 210
BAR_WIDTH = 320
VALUE_WIDTH = 60
LABEL_SPACE = LABEL_WIDTH - 8  # the label column, less the gap before the bar


def _glyph_width(char: str) -> float:
    """DejaVu Sans at 12px, rounded up by class, so a line is never wider than estimated."""
    if char in "WMmw@%":
        return 12.0
    if char.isupper() or char.isdigit():
        return 9.5
    if char in " .,:;'!|iljtfr()[]-/":
        return 5.0
    return 7.5


def _width(text: str) -> float:
    return sum(_glyph_width(char) for char in text)


def label_lines(label: str) -> list[str]:
    """A label broken into lines that each fit the label column: at spaces where it can,
    inside a word only when the word alone is too wide."""
    lines: list[str] = []
    line = ""
    for word in label.split():
        candidate = f"{line} {word}" if line else word
        if _width(candidate) <= LABEL_SPACE:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for char in word:
            if _width(line + char) > LABEL_SPACE:
                lines.append(line)
                line = ""
            line += char
    if line or not lines:
        lines.append(line)
    return lines


def bar_chart(title: str, rows: list[tuple[str, int | str]], *, description: str = "") -> str:
    """rows: (label, value); a suppressed value ('<5') is drawn as a short hatched stub."""
    numbers = [v for _label, v in rows if isinstance(v, int)]
    top = max(numbers or [1]) or 1
    lines = [label_lines(str(label)) for label, _value in rows]
    heights = [max(BAR_HEIGHT, len(parts) * LINE_HEIGHT + 8) for parts in lines]
    height = sum(h + GAP for h in heights) + GAP if rows else BAR_HEIGHT + 2 * GAP
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" class="chart" '
        f'aria-labelledby="t" font-family="DejaVu Sans, sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(description or title)}</desc>",
    ]
    y = GAP
    for (_label, value), label_parts, row_height in zip(rows, lines, heights, strict=True):
        length = BAR_WIDTH * value / top if isinstance(value, int) else 6
        fill = "#154273" if isinstance(value, int) else "#6b6b6b"
        middle = y + row_height / 2
        first = middle - (len(label_parts) - 1) * LINE_HEIGHT / 2 + 4
        text = "".join(
            f'<tspan x="{LABEL_WIDTH - 8}" y="{first + n * LINE_HEIGHT:.1f}">'
            f"{escape(part)}</tspan>" for n, part in enumerate(label_parts))
        parts.append(
            f'<text text-anchor="end" fill="#1b1b1b">{text}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{middle - BAR_HEIGHT / 2:.1f}" width="{length:.1f}" '
            f'height="{BAR_HEIGHT}" fill="{fill}"/>'
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{middle + 4:.1f}" '
            f'fill="#1b1b1b">{escape(str(value))}</text>')
        y += row_height + GAP
    parts.append("</svg>")
    return "".join(parts)
