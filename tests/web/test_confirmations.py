"""Issue 25: every irreversible step asks first. A button with ``data-confirm`` is stopped by
``static/js/confirm.js`` (loaded by the layout for signed-in people) unless the person says yes;
without JavaScript the form still posts (发布 also needs its 我已核对 box)."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "web" / "templates"

# (template, a text that picks out the button): 提交, 不予通过, 发布, the objection outcomes,
# the province's decisions, closing a round, ending a college, revoking, resetting a password.
IRREVERSIBLE = [
    ("filings/detail.html", 't("web.filings.submit")'),
    ("review/_decide.html", 'value="rejected"'),
    ("admin/publication.html", 't("web.pubs.publish")'),
    ("admin/publication.html", 'value="upheld"'),
    ("admin/publication.html", 'value="drop"'),
    ("admin/publication.html", 'value="dismissed"'),
    ("admin/round.html", 't("web.rounds.close")'),
    ("referrals/detail.html", 'value="approved"'),
    ("referrals/detail.html", 'value="rejected"'),
    ("lifecycle/college_end.html", "web.college_end.confirm_close"),
    ("account/account.html", 't("web.account.revoke")'),
    ("account/users.html", 't("web.users.reset")'),
]


@pytest.mark.parametrize(("template", "marker"), IRREVERSIBLE)
def test_an_irreversible_step_asks_before_it_is_taken(template, marker):
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    buttons = [b for b in re.findall(r"<button[^>]*>.*?</button>", text, re.S) if marker in b]
    assert buttons, f"no button {marker} in {template}"
    for button in buttons:
        assert re.search(r"data-confirm=\"\{\{ t\('web\.confirm\.", button), button


def test_the_layout_loads_the_question_for_signed_in_people():
    base = (TEMPLATES / "base.html").read_text(encoding="utf-8")
    assert re.search(r"\{% if user %\}<script src=\"\{\{ static\('js/confirm.js'\) \}\}\"", base)
