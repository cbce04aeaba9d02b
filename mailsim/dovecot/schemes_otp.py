"""Dovecot's OTP scheme: an RFC 2289 one-time-password chain entry.

The stored form is ``ALGO SEQ SEED HASH`` (``sha1 1024 d43acbfa73e2e30e 55191bf5bf5f4ab1``):
the 64-bit folded hash of ``seed + passphrase`` iterated SEQ more times.
"""

from __future__ import annotations

import hashlib
import secrets

from mailsim.dovecot.schemes_md import md4

ALGORITHMS = ("md4", "md5", "sha1")
_SEED_MAX = 16
_LWS = " \t"


class OtpEntryError(ValueError):
    """The stored entry does not parse (Dovecot: "Invalid OTP data in passdb")."""


def _digest(algo: str, data: bytes) -> bytes:
    if algo == "md4":
        return md4(data)
    return hashlib.new(algo, data).digest()


def _fold(algo: str, digest: bytes) -> bytes:
    """Fold a digest to 64 bits as Dovecot's lib-otp does (SHA-1 with its byte swap)."""
    if algo == "sha1":
        first = bytes(
            a ^ b ^ c for a, b, c in zip(digest[0:4], digest[8:12], digest[16:20], strict=True)
        )
        second = bytes(a ^ b for a, b in zip(digest[4:8], digest[12:16], strict=True))
        return first[::-1] + second[::-1]
    return bytes(a ^ b for a, b in zip(digest[0:8], digest[8:16], strict=True))


def otp_hash(algo: str, seed: str, passphrase: bytes, steps: int) -> bytes:
    result = _fold(algo, _digest(algo, seed.encode() + passphrase))
    for _ in range(steps):
        result = _fold(algo, _digest(algo, result))
    return result


def generate(passphrase: bytes) -> bytes:
    seed = secrets.token_bytes(_SEED_MAX // 2).hex()
    return f"sha1 1024 {seed} {otp_hash('sha1', seed, passphrase, 1024).hex()}".encode()


def parse_entry(text: str) -> tuple[str, int, str]:
    """(algorithm, sequence, seed) from a stored entry, following lib-otp's parser."""
    algo, sep, rest = text.partition(" ")
    for ch in _LWS:
        if ch in algo:
            algo, _, tail = algo.partition(ch)
            rest = tail + sep + rest
            sep = ch
    if not sep or algo not in ALGORITHMS:
        raise OtpEntryError(text)
    digits = ""
    i = 0
    if i < len(rest) and rest[i] in "+-":
        digits, i = rest[i], i + 1
    while i < len(rest) and rest[i].isdigit():
        digits += rest[i]
        i += 1
    if not digits.lstrip("+-") or i >= len(rest) or rest[i] not in _LWS:
        raise OtpEntryError(text)
    i += 1
    seed = ""
    while i < len(rest) and rest[i].isascii() and rest[i].isalnum() and len(seed) < _SEED_MAX:
        seed += rest[i].lower()
        i += 1
    if i >= len(rest) or rest[i] != " ":
        raise OtpEntryError(text)
    hexdigits = "".join(ch for ch in rest[i + 1 :] if ch not in _LWS)
    if len(hexdigits) < 16 or any(ch not in "0123456789abcdefABCDEF" for ch in hexdigits[:16]):
        raise OtpEntryError(text)
    return algo, int(digits), seed


def verify(passphrase: bytes, stored: bytes) -> bool:
    text = stored.decode("utf-8", "surrogateescape")
    algo, seq, seed = parse_entry(text)
    generated = f"{algo} {seq} {seed} {otp_hash(algo, seed, passphrase, seq).hex()}"
    return generated.lower() == text.lower()
