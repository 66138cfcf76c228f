"""axe-core in the browser tests: the npm package pinned in tests/web/package.json (installed by
`make axe`, which `make test` runs first). Evaluated through DevTools, so the page's
Content-Security-Policy (no inline script) does not stop it."""

from functools import cache
from pathlib import Path

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("moderate", "serious", "critical")


@cache
def source() -> str:
    assert AXE.exists(), f"{AXE} is missing: run `make axe` (npm ci in tests/web)"
    return AXE.read_text(encoding="utf-8")


def violations(page) -> list[str]:
    """The violations of impact moderate or worse on the page as it stands, one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(source())
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
    )
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {v['nodes']}"
        for v in found
        if v["impact"] in SERIOUS
    ]


def sideways(page) -> list[str]:
    """Work tables (and the page) wider than the window: a person would scroll sideways."""
    return page.evaluate(
        """() => {
          const root = document.documentElement, width = root.clientWidth, wide = [];
          if (root.scrollWidth > width + 1) wide.push('page ' + root.scrollWidth);
          document.querySelectorAll('main table').forEach((t, i) => {
            const box = t.getBoundingClientRect();
            const wrap = t.closest('.table-wrap');
            if (box.right > width + 1 || (wrap && wrap.scrollWidth > wrap.clientWidth + 1))
              wide.push((t.id || t.className || 'table ' + i) + ' ' + Math.round(box.width));
          });
          return wide;
        }"""
    )
