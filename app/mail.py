"""E-mail of the in-app notices through SMTP (settings ``REGISTRY_SMTP_*``): the same notices a
person's desk shows (``app.notices``), as one plain-text message in the reader's language with a
link to each page. Optional: without ``REGISTRY_SMTP_HOST`` nothing is sent."""

import smtplib
from email.message import EmailMessage

from app.config import Settings
from app.errors import Invalid
from app.i18n import t
from app.notices import Notice


def compose(settings: Settings, to: str, notices: list[Notice]) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Subject"] = t("mail.notices.subject", count=len(notices))
    base = settings.public_url.rstrip("/")
    lines = [t("mail.notices.lead"), ""]
    lines += [f"- {t(n.key, **n.params)}\n  {base}{n.link}" for n in notices]
    lines += ["", t("mail.notices.footer", url=f"{base}/desk")]
    message.set_content("\n".join(lines))
    return message


def send(settings: Settings, message: EmailMessage) -> None:
    """One SMTP session: STARTTLS and login when configured."""
    if not settings.smtp_host:
        raise Invalid(error="smtp_not_configured")
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message)
