"""The pages of the yearly cycle: desk, college filing, review, province referrals, bureau
admin (rounds and lists). Mounted beside the public pages by ``install_cycle_pages``."""

from fastapi import FastAPI

from app.web import admin, desk, filing, referrals, review
from app.web.actor import install_login_redirect


def install_cycle_pages(app: FastAPI) -> None:
    install_login_redirect(app)
    # /filings/new before /filings/{filing_id}: routes match in order
    for module in (desk, filing, review, referrals, admin):
        app.include_router(module.router)
