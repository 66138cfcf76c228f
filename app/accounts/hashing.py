"""argon2 password hashes: one hasher for every user, and a hash to verify against when the user
does not exist."""

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# argon2id with argon2-cffi's defaults (RFC 9106 low-memory profile: 64 MiB, 3 passes).
HASHER = PasswordHasher()


@cache
def dummy_hash() -> str:
    """Verifying against this when the user does not exist takes as long as a real check: the
    time of an answer does not tell which usernames exist. Made on first use (one hash costs
    0.1 s, which every command's start-up paid)."""
    return HASHER.hash("not a password of anyone")


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def needs_rehash(password_hash: str) -> bool:
    return HASHER.check_needs_rehash(password_hash)


def verify(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def verify_nobody(password: str) -> None:
    """The same work as ``verify`` for a username that does not exist (the answer is no)."""
    verify(dummy_hash(), password)
