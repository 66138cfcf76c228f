"""The password rule (NIST SP 800-63B 3.1.1.2): at least ``MIN_PASSWORD`` characters, and not a
value an attacker tries first — a commonly used password (``common_passwords.txt``, shipped with
the registry), one of those followed by digits or punctuation, a repeated or sequential run
(``aaaaaaaaaa``, ten spaces, ``1212121212``, ``abcdefghij``), the username, or the registry's
name. No composition rules (digits, capitals): NIST advises against them."""

import re
from functools import cache
from itertools import pairwise
from pathlib import Path

from app.errors import Invalid

MIN_PASSWORD = 10
_LIST = Path(__file__).with_name("common_passwords.txt")
# the registry's names a person might reuse (its title in both languages, and short forms)
REGISTRY_NAMES = ("职业院校专业登记", "vocational program registry", "registry", "专业登记")
_TAIL = re.compile(r"[\d\W_]+$")


@cache
def common_passwords() -> frozenset[str]:
    lines = _LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _squeezed(text: str) -> str:
    return "".join(text.casefold().split())


def _repetitive(password: str) -> bool:
    """One short pattern over and over, or a run of consecutive characters either way."""
    for size in (1, 2, 3):
        if (password[:size] * len(password))[: len(password)] == password:
            return True
    steps = {ord(b) - ord(a) for a, b in pairwise(password)}
    if steps in ({1}, {-1}):
        return True
    return password.isdigit() and (steps <= {1, -9} or steps <= {-1, 9})  # 7890123456


def check_password_rules(password: str, *, username: str = "") -> None:
    """``422`` with the reason a person can act on; nothing when the password may be used."""
    if len(password) < MIN_PASSWORD:
        raise Invalid(error="weak_password", min=MIN_PASSWORD)
    if _repetitive(password):
        raise Invalid(error="password_repetitive")
    whole = _squeezed(password)
    candidates = {whole, _TAIL.sub("", whole)} - {""}
    if candidates & common_passwords():
        raise Invalid(error="password_common")
    name = _squeezed(username)
    if name and name in candidates:
        raise Invalid(error="password_is_username")
    if candidates & {_squeezed(n) for n in REGISTRY_NAMES}:
        raise Invalid(error="password_is_registry_name")
