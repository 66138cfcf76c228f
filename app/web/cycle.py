"""The pages of the yearly cycle: desk, college filing, review, province referrals, bureau
admin (rounds and lists). Mounted beside the public pages by ``install_cycle_pages``."""

from fastapi import FastAPI

from app.i18n import t
from app.vocab import Decision, FilingStatus, ProgramStatus, PublicationStatus, ReferralStatus
from app.web import admin, desk, filing, lifecycle, lists, referrals, review
from app.web.actor import install_login_redirect
from app.web.templating import env

# The text of a value of a vocabulary (a status, a decision, a column): ``label("web.status",
# "draft")`` is t("web.status.draft"); tests/web/test_cycle_labels.py checks every value has one.
LABELS = {
    "web.status": tuple(FilingStatus),
    "web.decision": tuple(Decision),
    "web.referrals": tuple(ReferralStatus),
    "web.severity": ("error", "warning", "info"),
    "web.pubs": tuple(PublicationStatus),
    "web.program": tuple(ProgramStatus),
    "web.filings.col": (
        "major_code",
        "major_name",
        "category",
        "intake",
        "level",
        "length_years",
        "remark",
    ),
    "web.history": (
        "created",
        "edited",
        "submitted",
        "withdrawn",
        "decided",
        "entry.approved",
        "entry.rejected",
        "entry.referred",
        "referral.approved",
        "referral.rejected",
    ),
}


def label(prefix: str, value: object) -> str:
    return t(f"{prefix}.{value}")


env.globals["label"] = label


def install_cycle_pages(app: FastAPI) -> None:
    install_login_redirect(app)
    for module in (desk, filing, review, referrals, admin, lists, lifecycle):
        app.include_router(module.router)
