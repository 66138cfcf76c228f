"""argon2 password hashes: one hasher for every user, and a hash to verify against when the user
does not exist."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# argon2id with argon2-cffi's defaults (RFC 9106 low-memory profile: 64 MiB, 3 passes).
HASHER = PasswordHasher()
# Verifying against this when the user does not exist takes as long as a real check: the time
# of an answer does not tell which usernames exist.
DUMMY_HASH = HASHER.hash("not a password of anyone")


def verify(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
