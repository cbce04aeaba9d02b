"""Message-digest internals that hashlib does not offer: an MD5 key schedule and MD4.

CRAM-MD5 (and HMAC-MD5): Dovecot does not store a digest of the password for CRAM-MD5. It stores the two
MD5 chaining states that HMAC-MD5 reaches after absorbing the key's outer pad and
inner pad blocks (RFC 2195 compatibility, the same 32 bytes that UW-IMAP and
Cyrus keep), so the server can finish the HMAC of a challenge without the
password. Python's hashlib cannot export an MD5 object's internal state, and no
well-kept library offers it, so the single MD5 compression step needed here is
written out below (RFC 1321, section 3.4).

MD4 (PLAIN-MD4, OTP md4 entries): OpenSSL 3 moved MD4 to its legacy provider, so
hashlib.new("md4") fails on current systems; the algorithm (RFC 1320) is short.
"""

from __future__ import annotations

import hashlib
import math
import struct

_BLOCK = 64
_IV = (0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476)
_SHIFTS = (7, 12, 17, 22) * 4 + (5, 9, 14, 20) * 4 + (4, 11, 16, 23) * 4 + (6, 10, 15, 21) * 4
_K = tuple(int(abs(math.sin(i + 1)) * 2**32) & 0xFFFFFFFF for i in range(64))
_MASK = 0xFFFFFFFF


def _rotl(x: int, n: int) -> int:
    x &= _MASK
    return ((x << n) | (x >> (32 - n))) & _MASK


def md5_compress(state: tuple[int, int, int, int], block: bytes) -> tuple[int, int, int, int]:
    """One application of MD5's compression function to a 64-byte block."""
    words = struct.unpack("<16I", block)
    a, b, c, d = state
    for i in range(64):
        if i < 16:
            f, g = (b & c) | (~b & d), i
        elif i < 32:
            f, g = (d & b) | (~d & c), (5 * i + 1) % 16
        elif i < 48:
            f, g = b ^ c ^ d, (3 * i + 5) % 16
        else:
            f, g = c ^ (b | ~d), (7 * i) % 16
        f = (f + a + _K[i] + words[g]) & _MASK
        a, d, c = d, c, b
        b = (b + _rotl(f, _SHIFTS[i])) & _MASK
    return (
        (state[0] + a) & _MASK,
        (state[1] + b) & _MASK,
        (state[2] + c) & _MASK,
        (state[3] + d) & _MASK,
    )


def cram_md5_context(password: bytes) -> bytes:
    """The 32-byte context: outer state then inner state, each as four little-endian words."""
    key = hashlib.md5(password).digest() if len(password) > _BLOCK else password
    key = key.ljust(_BLOCK, b"\0")
    inner = md5_compress(_IV, bytes(k ^ 0x36 for k in key))
    outer = md5_compress(_IV, bytes(k ^ 0x5C for k in key))
    return struct.pack("<4I", *outer) + struct.pack("<4I", *inner)


def _md4_compress(state: list[int], block: bytes) -> None:
    x = struct.unpack("<16I", block)
    a, b, c, d = state

    def r1(a: int, b: int, c: int, d: int, k: int, s: int) -> int:
        return _rotl(a + ((b & c) | (~b & d)) + x[k], s)

    def r2(a: int, b: int, c: int, d: int, k: int, s: int) -> int:
        return _rotl(a + ((b & c) | (b & d) | (c & d)) + x[k] + 0x5A827999, s)

    def r3(a: int, b: int, c: int, d: int, k: int, s: int) -> int:
        return _rotl(a + (b ^ c ^ d) + x[k] + 0x6ED9EBA1, s)

    for k in (0, 4, 8, 12):
        a = r1(a, b, c, d, k, 3)
        d = r1(d, a, b, c, k + 1, 7)
        c = r1(c, d, a, b, k + 2, 11)
        b = r1(b, c, d, a, k + 3, 19)
    for k in (0, 1, 2, 3):
        a = r2(a, b, c, d, k, 3)
        d = r2(d, a, b, c, k + 4, 5)
        c = r2(c, d, a, b, k + 8, 9)
        b = r2(b, c, d, a, k + 12, 13)
    for k in (0, 2, 1, 3):
        a = r3(a, b, c, d, k, 3)
        d = r3(d, a, b, c, k + 8, 9)
        c = r3(c, d, a, b, k + 4, 11)
        b = r3(b, c, d, a, k + 12, 15)
    for i, v in enumerate((a, b, c, d)):
        state[i] = (state[i] + v) & _MASK


def md4(data: bytes) -> bytes:
    """The MD4 digest of ``data`` (RFC 1320)."""
    state = list(_IV)
    padded = data + b"\x80" + b"\0" * ((55 - len(data)) % 64) + struct.pack("<Q", 8 * len(data))
    for i in range(0, len(padded), _BLOCK):
        _md4_compress(state, padded[i : i + _BLOCK])
    return struct.pack("<4I", *state)
