"""Every value a cycle page shows through ``label(prefix, value)`` has a text in both languages."""

from app.i18n import EN, ZH, has, t
from app.web.cycle import LABELS


def test_every_label_of_the_cycle_pages_has_a_text():
    missing = [f"{p}.{v}" for p, values in LABELS.items() for v in values if not has(f"{p}.{v}")]
    assert not missing


def test_labels_read_in_the_readers_language():
    assert t("web.status.submitted", locale=ZH) == "已提交"
    assert t("web.status.submitted", locale=EN) == "submitted"
