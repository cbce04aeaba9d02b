"""openssl: certificates and keys made by the simulated openssl are read back by the real
openssl 3.0 (when installed) and its output compared line for line with the simulated
x509; error texts recorded from the real one (tests/data/shell_openssl/errors.json)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import run

from mailsim.machine.machine import Machine

DATA = Path(__file__).parent / "data" / "shell_openssl"
ERRORS = json.loads((DATA / "errors.json").read_text(encoding="utf-8"))
REQ = (
    "openssl req -new -x509 -nodes -days 365 -newkey rsa:2048 -keyout /etc/ssl/private/mail.key"
    " -out /etc/ssl/certs/mail.pem -subj '/C=JP/ST=Tokyo/O=Example, Inc/CN=mail.example.com'"
)
X509_ARGS = [
    "-noout -text",
    "-noout -subject -issuer -dates -fingerprint",
    "-noout -fingerprint -sha256",
    "-noout -serial -enddate -startdate",
    "",
]
HAVE_OPENSSL = shutil.which("openssl") is not None


@pytest.fixture
def with_cert(machine: Machine) -> Machine:
    out, err, status = run(machine, REQ)
    assert (out, status) == ("", 0)
    assert err.endswith("\n-----\n") and err.count("\n") == 3
    return machine


def test_req_writes_key_and_certificate(with_cert: Machine) -> None:
    key = with_cert.stat("/etc/ssl/private/mail.key")
    assert (key.owner, key.group, key.mode) == ("root", "root", 0o600)
    assert with_cert.read_text("/etc/ssl/private/mail.key").startswith(
        "-----BEGIN PRIVATE KEY-----\n"
    )
    assert with_cert.read_text("/etc/ssl/certs/mail.pem").startswith(
        "-----BEGIN CERTIFICATE-----\n"
    )
    out = run(with_cert, "openssl x509 -in /etc/ssl/certs/mail.pem -noout -subject -dates")[0]
    assert out == (
        'subject=C = JP, ST = Tokyo, O = "Example, Inc", CN = mail.example.com\n'
        "notBefore=Nov 25 08:29:01 2026 GMT\nnotAfter=Nov 25 08:29:01 2027 GMT\n"
    )
    assert run(with_cert, "openssl rsa -in /etc/ssl/private/mail.key -check -noout") == (
        "RSA key ok\n",
        "",
        0,
    )


@pytest.mark.skipif(not HAVE_OPENSSL, reason="openssl not installed")
@pytest.mark.parametrize("args", X509_ARGS)
@pytest.mark.parametrize(
    "cert", ["/etc/ssl/certs/mail.pem", "/etc/ssl/certs/ssl-cert-snakeoil.pem"]
)
def test_x509_same_as_real_openssl(with_cert: Machine, cert: str, args: str) -> None:
    real = subprocess.run(
        ["bash", "-c", f"openssl x509 -in {with_cert.root}{cert} {args}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run(with_cert, f"openssl x509 -in {cert} {args}") == (
        real.stdout,
        real.stderr,
        real.returncode,
    )


@pytest.mark.skipif(not HAVE_OPENSSL, reason="openssl not installed")
def test_real_openssl_accepts_key_and_certificate(with_cert: Machine) -> None:
    key = f"{with_cert.root}/etc/ssl/private/mail.key"
    cert = f"{with_cert.root}/etc/ssl/certs/mail.pem"
    check = subprocess.run(
        ["openssl", "rsa", "-in", key, "-check", "-noout"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.stdout == "RSA key ok\n"
    mod_key = subprocess.run(
        ["openssl", "rsa", "-in", key, "-noout", "-modulus"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    mod_cert = subprocess.run(
        ["openssl", "x509", "-in", cert, "-noout", "-modulus"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    assert mod_key == mod_cert and mod_key.startswith("Modulus=")
    verify = subprocess.run(
        ["openssl", "verify", "-CAfile", cert, cert], capture_output=True, text=True, check=False
    )
    assert verify.stdout == f"{cert}: OK\n"


def test_genrsa(machine: Machine) -> None:
    assert run(machine, "openssl genrsa -out /root/k.pem 1024") == ("", "", 0)
    assert machine.stat("/root/k.pem").mode == 0o600
    assert run(machine, "openssl rsa -in /root/k.pem -check -noout")[0] == "RSA key ok\n"


def test_req_asks_for_a_passphrase_without_nodes(machine: Machine) -> None:
    line = REQ.replace("-nodes ", "")
    out, err, status = run(machine, line, stdin=b"pass1234\npass1234\n")
    assert status == 0
    assert machine.read_text("/etc/ssl/private/mail.key").startswith(
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
    )
    assert run(machine, line, stdin=b"pass1234\nother\n")[1].endswith(
        "Verify failure\nbad password read\n"
    )


@pytest.mark.parametrize("case", ERRORS, ids=[c["line"] for c in ERRORS])
def test_recorded_errors(machine: Machine, case: dict) -> None:
    assert run(machine, case["line"]) == (case["stdout"], case["stderr"], case["status"])
