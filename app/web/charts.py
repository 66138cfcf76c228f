"""Server-rendered SVG bar charts: no script, readable without JavaScript, printable, pasteable
into a report (the figures are also in a table and a CSV beside each chart)."""

from markupsafe import Markup, escape

BAR_HEIGHT, GAP, LABEL_WIDTH, CHART_WIDTH = 22, 6, 220, 640


def bar_chart(data: list[tuple[str, int]], *, title: str) -> Markup:
    """Horizontal bars, one per (label, value), longest first as given; labelled values."""
    if not data:
        return Markup("")
    most = max(value for _, value in data) or 1
    bar_space = CHART_WIDTH - LABEL_WIDTH - 50
    height = len(data) * (BAR_HEIGHT + GAP) + GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_WIDTH} {height}" '
        f'role="img" aria-label="{escape(title)}" class="bars">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(data):
        y = GAP + i * (BAR_HEIGHT + GAP)
        width = max(1, round(bar_space * value / most))
        text_y = y + BAR_HEIGHT * 0.72
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{text_y:.1f}" text-anchor="end" font-size="13" '
            f'fill="#1b1f24">{escape(_short(label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" '
            f'fill="#a61b1b" rx="2"><title>{escape(label)}: {value}</title></rect>'
            f'<text x="{LABEL_WIDTH + width + 6}" y="{text_y:.1f}" font-size="13" '
            f'fill="#1b1f24">{value}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _short(label: str, limit: int = 16) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
