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


def bar_chart(title: str, rows: list[tuple[str, int | str]], *, description: str = "",
              links: list[str | None] | None = None) -> str:
    """rows: (label, value); a suppressed value ('<5') is drawn as a short hatched stub.
    links: a page per bar (what lies behind it), reached by a click or the keyboard."""
    links = links or [None] * len(rows)
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
    for (_label, value), label_parts, row_height, link in zip(rows, lines, heights, links,
                                                              strict=True):
        length = BAR_WIDTH * value / top if isinstance(value, int) else 6
        fill = "#154273" if isinstance(value, int) else "#6b6b6b"
        middle = y + row_height / 2
        first = middle - (len(label_parts) - 1) * LINE_HEIGHT / 2 + 4
        text = "".join(
            f'<tspan x="{LABEL_WIDTH - 8}" y="{first + n * LINE_HEIGHT:.1f}">'
            f"{escape(part)}</tspan>" for n, part in enumerate(label_parts))
        if link:
            parts.append(f'<a href="{escape(link)}">')
        parts.append(
            f'<text text-anchor="end" fill="#1b1b1b">{text}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{middle - BAR_HEIGHT / 2:.1f}" width="{length:.1f}" '
            f'height="{BAR_HEIGHT}" fill="{fill}"/>'
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{middle + 4:.1f}" '
            f'fill="#1b1b1b">{escape(str(value))}</text>')
        if link:
            parts.append("</a>")
        y += row_height + GAP
    parts.append("</svg>")
    return "".join(parts)


# Lines told apart without colour: each island its own dash pattern and point marker.
LINE_STYLES = (("", "circle"), ("6 3", "square"), ("2 3", "diamond"), ("8 3 2 3", "circle"),
               ("1 2", "square"), ("4 4", "diamond"))
PLOT_WIDTH, PLOT_HEIGHT, MARGIN = 460, 180, 40


def _marker(shape: str, x: float, y: float) -> str:
    if shape == "square":
        return f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" fill="#154273"/>'
    if shape == "diamond":
        return (f'<path d="M{x:.1f} {y - 4:.1f}L{x + 4:.1f} {y:.1f}L{x:.1f} {y + 4:.1f}'
                f'L{x - 4:.1f} {y:.1f}Z" fill="#154273"/>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#154273"/>'


def line_chart(title: str, years: list[int],
               series: list[tuple[str, list[int | str]]], *, description: str = "",
               links: list[list[str | None]] | None = None) -> str:
    """One line per series over the years; a suppressed value ('<5') leaves a gap, as the
    line cannot say where below the threshold it lies. The table beside it says it all.
    links: per series, a page per point (what lies behind it), reached by a click or the
    keyboard, named by the series, year and value."""
    links = links or [[None] * len(years) for _series in series]
    numbers = [v for _name, values in series for v in values if isinstance(v, int)]
    top = max(numbers or [1]) or 1
    legend_height = 16 * len(series)
    width = PLOT_WIDTH + 2 * MARGIN
    height = PLOT_HEIGHT + 2 * MARGIN + legend_height
    step = PLOT_WIDTH / max(1, len(years) - 1)

    def x(i: int) -> float:
        return MARGIN + i * step

    def y(value: int) -> float:
        return MARGIN + PLOT_HEIGHT * (1 - value / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" class="chart line-chart" '
        f'font-family="DejaVu Sans, sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(description or title)}</desc>",
        f'<line x1="{MARGIN}" y1="{MARGIN + PLOT_HEIGHT}" x2="{MARGIN + PLOT_WIDTH}" '
        f'y2="{MARGIN + PLOT_HEIGHT}" stroke="#6b6b6b"/>',
        f'<text x="{MARGIN - 6}" y="{MARGIN + 4}" text-anchor="end" fill="#1b1b1b">{top}</text>',
        f'<text x="{MARGIN - 6}" y="{MARGIN + PLOT_HEIGHT + 4}" text-anchor="end" '
        f'fill="#1b1b1b">0</text>',
    ]
    for i, year in enumerate(years):
        parts.append(f'<text x="{x(i):.1f}" y="{MARGIN + PLOT_HEIGHT + 16}" '
                     f'text-anchor="middle" fill="#1b1b1b">{year}</text>')
    for n, ((name, values), targets) in enumerate(zip(series, links, strict=True)):
        dash, shape = LINE_STYLES[n % len(LINE_STYLES)]
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        runs: list[list[str]] = [[]]
        for i, value in enumerate(values):
            if isinstance(value, int):
                runs[-1].append(f"{x(i):.1f},{y(value):.1f}")
                marker = _marker(shape, x(i), y(value))
                if targets[i]:
                    marker = (f'<a href="{escape(targets[i])}" aria-label="'
                              f'{escape(f"{name} {years[i]}: {value}")}">{marker}</a>')
                parts.append(marker)
            elif runs[-1]:
                runs.append([])
        for run in runs:
            if len(run) > 1:
                parts.append(f'<polyline points="{" ".join(run)}" fill="none" '
                             f'stroke="#154273" stroke-width="2"{dashes}/>')
        legend_y = MARGIN + PLOT_HEIGHT + 34 + 16 * n
        parts.append(f'<line x1="{MARGIN}" y1="{legend_y - 4}" x2="{MARGIN + 30}" '
                     f'y2="{legend_y - 4}" stroke="#154273" stroke-width="2"{dashes}/>'
                     f'{_marker(shape, MARGIN + 15, legend_y - 4)}'
                     f'<text x="{MARGIN + 38}" y="{legend_y}" fill="#1b1b1b">'
                     f"{escape(name)}</text>")
    parts.append("</svg>")
    return "".join(parts)
