"""Password hashing: passlib with argon2 (bcrypt>=4.1 breaks passlib 1.7.4)."""

from passlib.context import CryptContext

_context = CryptContext(schemes=["argon2"], deprecated="auto")


def hash_password(password: str) -> str:
    return _context.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return _context.verify(password, password_hash)
    except (ValueError, TypeError):
        return False


# Verifying against this when the user does not exist keeps the timing the same, so a
# response time does not reveal which usernames exist.
DUMMY_HASH = hash_password("not-a-real-password")
