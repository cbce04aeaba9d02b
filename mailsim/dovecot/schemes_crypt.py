"""The crypt(3)-family hashes behind Dovecot's CRYPT, *-CRYPT and ARGON2 schemes.

Dovecot calls the system's crypt() for DES, MD5, SHA-256 and SHA-512 crypt (and,
through PAM, yescrypt in /etc/shadow): we call the same library, libxcrypt, so a
hash verifies here exactly when it verifies on a Debian host. Blowfish goes
through the bcrypt package (Dovecot bundles its own crypt_blowfish and writes the
``$2y$`` prefix), Argon2 through argon2-cffi with libsodium's parameters.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import secrets
import threading
from typing import Any

SALT_CHARS = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

BLF_ROUNDS_DEFAULT, BLF_ROUNDS_MIN, BLF_ROUNDS_MAX = 5, 4, 31
BLF_PREFIX_LEN = 30  # "$2y$05$" + 22 salt characters + one byte, as Dovecot cuts it
SHA2_ROUNDS_DEFAULT, SHA2_ROUNDS_MIN, SHA2_ROUNDS_MAX = 5000, 1000, 999999999

# libsodium's crypto_pwhash_argon2i(d)_{OPSLIMIT,MEMLIMIT}_{INTERACTIVE,MODERATE,SENSITIVE}
# (memory in KiB): Dovecot picks the memory limit from the rounds (-r) it is given.
ARGON2I_LIMITS = ((4, 32768), (6, 131072), (8, 524288))
ARGON2ID_LIMITS = ((2, 65536), (3, 262144), (4, 1048576))
ARGON2I_OPSLIMIT_MIN = 3


class CryptUnavailable(RuntimeError):
    """No crypt(3) library on this computer (mailsim runs outside Linux)."""


def salt(length: int) -> str:
    return "".join(secrets.choice(SALT_CHARS) for _ in range(length))


_LIB: Any = None
_LIB_LOCK = threading.Lock()
_DATA_SIZE = 32768 + 512  # >= sizeof(struct crypt_data) in libxcrypt


def _libcrypt() -> Any:
    global _LIB
    with _LIB_LOCK:
        if _LIB is None:
            name = ctypes.util.find_library("crypt") or "libcrypt.so.1"
            try:
                lib = ctypes.CDLL(name)
                func = lib.crypt_rn
            except (OSError, AttributeError) as exc:
                raise CryptUnavailable(str(exc)) from exc
            func.restype = ctypes.c_char_p
            func.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_int]
            _LIB = func
        return _LIB


def crypt(phrase: bytes, setting: bytes) -> bytes:
    """crypt(3) as Debian's libxcrypt answers it; an invalid setting gives "*0"
    (the failure token Dovecot then compares against, i.e. a mismatch)."""
    func = _libcrypt()
    data = ctypes.create_string_buffer(_DATA_SIZE)
    if b"\0" in phrase:
        phrase = phrase.split(b"\0", 1)[0]
    out = func(phrase, setting, data, _DATA_SIZE)
    if out is None:
        return b"*1" if setting.startswith(b"*0") else b"*0"
    return bytes(out)


def des_crypt(phrase: bytes) -> bytes:
    return crypt(phrase, salt(2).encode())


def md5_crypt(phrase: bytes) -> bytes:
    return crypt(phrase, f"$1${salt(8)}".encode())


def sha_crypt(phrase: bytes, rounds: int, magic: str) -> bytes:
    if rounds == 0:
        rounds = SHA2_ROUNDS_DEFAULT
    rounds = min(max(rounds, SHA2_ROUNDS_MIN), SHA2_ROUNDS_MAX)
    prefix = f"${magic}$" if rounds == SHA2_ROUNDS_DEFAULT else f"${magic}$rounds={rounds}$"
    return crypt(phrase, (prefix + salt(16)).encode())


def blowfish(phrase: bytes, rounds: int) -> bytes:
    import bcrypt

    if rounds == 0:
        rounds = BLF_ROUNDS_DEFAULT
    rounds = min(max(rounds, BLF_ROUNDS_MIN), BLF_ROUNDS_MAX)
    # crypt_blowfish reads at most 72 bytes of the password; the bcrypt package
    # refuses longer ones instead of truncating.
    setting = b"$2y$" + bcrypt.gensalt(rounds, b"2b")[4:]
    return bcrypt.hashpw(phrase[:72], setting)


class NotBlowfish(ValueError):
    """Dovecot: "Password is not blowfish password"."""


def blowfish_verify(phrase: bytes, stored: bytes) -> bool:
    if (
        len(stored) < BLF_PREFIX_LEN
        or not stored.startswith(b"$2")
        or not (97 <= stored[2] <= 122 and stored[3:4] == b"$")
    ):
        raise NotBlowfish(stored)
    import bcrypt

    try:
        return bcrypt.hashpw(phrase.split(b"\0", 1)[0][:72], stored[:29]) == stored
    except ValueError:
        return False


class Argon2Failed(RuntimeError):
    """libsodium refused the parameters (Dovecot: ``crypto_pwhash_argon2i_str failed``)."""


def argon2(phrase: bytes, rounds: int, variant: str) -> bytes:
    from argon2.low_level import Type, hash_secret

    limits = ARGON2I_LIMITS if variant == "i" else ARGON2ID_LIMITS
    if rounds == 0:
        rounds = limits[0][0]
    if rounds >= limits[2][0]:
        memory = limits[2][1]
    elif rounds >= limits[1][0]:
        memory = limits[1][1]
    else:
        memory = limits[0][1]
    if variant == "i" and rounds < ARGON2I_OPSLIMIT_MIN:
        raise Argon2Failed("crypto_pwhash_argon2i_str failed: Invalid argument")
    if variant == "id" and rounds < 3:
        rounds = 3  # Dovecot works around a libsodium 1.0.13 bug this way
    kind = Type.I if variant == "i" else Type.ID
    return hash_secret(phrase, secrets.token_bytes(16), rounds, memory, 1, 32, kind)


def argon2_verify(phrase: bytes, stored: bytes) -> bool:
    from argon2.exceptions import VerificationError, VerifyMismatchError
    from argon2.low_level import Type, verify_secret

    if stored.startswith(b"$argon2id$"):
        kind = Type.ID
    elif stored.startswith(b"$argon2i$"):
        kind = Type.I
    else:
        return False  # libsodium's crypto_pwhash_str_verify knows only these two
    try:
        return verify_secret(stored, phrase, kind)
    except (VerifyMismatchError, VerificationError, ValueError):
        return False
