"""Password hashes as Debian 12's PAM writes and checks them (yescrypt, ``$y$j9T$``).

libcrypt (libxcrypt) does the work through ctypes; the deprecated ``crypt``
module is the second choice. Where neither knows yescrypt, checking answers
False and hashing raises ``HashUnavailable``, so the caller reports a failure
instead of writing a hash the real system could not read.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import warnings
from functools import cache
from typing import Any


class HashUnavailable(Exception):
    """This host has no yescrypt."""


@cache
def _libcrypt() -> Any:
    for name in ("libcrypt.so.1", ctypes.util.find_library("crypt")):
        if not name:
            continue
        try:
            lib = ctypes.CDLL(name)
            lib.crypt.restype = ctypes.c_char_p
            lib.crypt.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
            gensalt = getattr(lib, "crypt_gensalt", None)
            if gensalt is not None:
                gensalt.restype = ctypes.c_char_p
                gensalt.argtypes = [ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p, ctypes.c_int]
            return lib
        except (OSError, AttributeError):
            continue
    return None


def _crypt(password: str, setting: str) -> str | None:
    lib = _libcrypt()
    if lib is not None:
        result = lib.crypt(password.encode("utf-8"), setting.encode("ascii"))
        if result and not result.startswith(b"*"):
            return result.decode("ascii")
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            import crypt as crypt_module  # type: ignore[import-not-found]
        except ImportError:
            return None
    try:
        result = crypt_module.crypt(password, setting)
    except OSError:
        return None
    return result if result and not result.startswith("*") else None


def verify(password: str, stored: str) -> bool:
    """True when ``password`` matches the shadow field ``stored``."""
    if not stored or stored[0] in "!*":
        return False
    result = _crypt(password, stored)
    return result is not None and result == stored


def hash_password(password: str) -> str:
    """A fresh ``$y$j9T$…`` hash with a random salt."""
    lib = _libcrypt()
    setting = None
    if lib is not None and getattr(lib, "crypt_gensalt", None) is not None:
        raw = lib.crypt_gensalt(b"$y$", 0, None, 0)
        setting = raw.decode("ascii") if raw else None
    if setting is None:
        raise HashUnavailable("yescrypt")
    result = _crypt(password, setting)
    if result is None or not result.startswith("$y$"):
        raise HashUnavailable("yescrypt")
    return result
