"""openssl (3.0, as Debian 12 ships it): req -x509, x509, genrsa, rsa and version,
built on the ``cryptography`` package. ``x509 -text`` follows OpenSSL's own layout
(tests compare it with the real openssl reading the same certificate)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from mailsim.shell.context import Context
from mailsim.shell.registry import command

VERSION = "OpenSSL 3.0.17 1 Jul 2025 (Library: OpenSSL 3.0.17 1 Jul 2025)"
ERR_ID = "40E7A8B5C27F0000"
SHORT_NAMES = {
    "countryName": "C",
    "stateOrProvinceName": "ST",
    "localityName": "L",
    "organizationName": "O",
    "organizationalUnitName": "OU",
    "commonName": "CN",
    "emailAddress": "emailAddress",
}
DN_PROMPTS = [
    ("C", "Country Name (2 letter code)", "AU"),
    ("ST", "State or Province Name (full name)", "Some-State"),
    ("L", "Locality Name (eg, city)", ""),
    ("O", "Organization Name (eg, company)", "Internet Widgits Pty Ltd"),
    ("OU", "Organizational Unit Name (eg, section)", ""),
    ("CN", "Common Name (e.g. server FQDN or YOUR name)", ""),
    ("emailAddress", "Email Address", ""),
]
DN_INTRO = """\
You are about to be asked to enter information that will be incorporated
into your certificate request.
What you are about to enter is what is called a Distinguished Name or a DN.
There are quite a few fields but you can leave some blank
For some fields there will be a default value,
If you enter '.', the field will be left blank.
-----
"""


class OpensslError(Exception):
    """Ends the subcommand: ``str(exc)`` goes to stderr as is; status 1."""


def _read(ctx: Context, path: str) -> bytes:
    try:
        return ctx.machine.read_bytes(ctx.abspath(path))
    except OSError as exc:
        raise OpensslError(
            f"{ERR_ID}:error:80000002:system library:file_open:{exc.strerror}:"
            f"../providers/implementations/storemgmt/file_store.c:266:calling stat({path})\n"
        ) from None


def _write(ctx: Context, path: str | None, data: bytes, private: bool = False) -> None:
    if path is None:
        ctx.stdout.write(data)
        return
    try:
        existed = ctx.machine.exists(ctx.abspath(path))
        target = ctx.machine.write_bytes(ctx.abspath(path), data)
        if not existed or private:
            # A new file belongs to the caller; keys are created 0600, the rest by umask 022.
            groups = ctx.machine.groups().values()
            group = next((g.name for g in groups if g.gid == ctx.user.gid), ctx.user.name)
            mode = 0o600 if private else 0o644
            ctx.machine.set_meta(target, owner=ctx.user.name, group=group, mode=mode)
    except OSError as exc:
        raise OpensslError(
            f"Could not open file or uri for writing {path}: {exc.strerror}\n"
        ) from None


def name_text(name: Any) -> str:
    """OpenSSL's default one-line DN: ``C = JP, O = "Ex, Inc", CN = host``."""
    parts = []
    for attr in name:
        key = SHORT_NAMES.get(attr.oid._name, attr.oid.dotted_string)
        value = attr.value
        if any(ch in value for ch in ',+;<>"') or value != value.strip():
            value = '"' + value.replace('"', '\\"') + '"'
        parts.append(f"{key} = {value}")
    return ", ".join(parts)


def _when(stamp: datetime) -> str:
    return f"{stamp:%b} {stamp.day:2d} {stamp:%H:%M:%S} {stamp.year} GMT"


def _hex_lines(data: bytes, per_line: int, indent: int) -> str:
    pairs = [f"{b:02x}" for b in data]
    lines = [":".join(pairs[i : i + per_line]) for i in range(0, len(pairs), per_line)]
    pad = " " * indent
    return "".join(
        pad + line + (":" if i < len(lines) - 1 else "") + "\n" for i, line in enumerate(lines)
    )


def _parse_subject(text: str) -> list[tuple[str, str]]:
    fields = []
    for part in [p for p in text.split("/") if p]:
        key, eq, value = part.partition("=")
        if not eq:
            raise OpensslError(
                "req: Hit end of string before finding the equals.\n"
                "req: Error making certificate request\n"
            )
        fields.append((key.strip(), value))
    return fields


def _build_name(fields: list[tuple[str, str]]) -> Any:
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    oids = {
        "C": NameOID.COUNTRY_NAME,
        "ST": NameOID.STATE_OR_PROVINCE_NAME,
        "L": NameOID.LOCALITY_NAME,
        "O": NameOID.ORGANIZATION_NAME,
        "OU": NameOID.ORGANIZATIONAL_UNIT_NAME,
        "CN": NameOID.COMMON_NAME,
        "emailAddress": NameOID.EMAIL_ADDRESS,
    }
    attrs = []
    for key, value in fields:
        if key not in oids:
            raise OpensslError(f'req: Skipping unknown subject name attribute "{key}"\n')
        attrs.append(x509.NameAttribute(oids[key], value))
    return x509.Name(attrs)


def _progress(ctx: Context) -> None:
    """The dots and pluses of key generation (random, as the real search is)."""
    rng = random.Random()
    for _ in range(2):
        line = "".join(rng.choice([".", ".", ".", "+"]) for _ in range(rng.randint(20, 80)))
        ctx.err(line + "+" * 64 + "*" + "".join(rng.choice(".+") for _ in range(30)) + "\n")
    ctx.err("-----\n")


def _load_key(ctx: Context, path: str) -> Any:
    from cryptography.hazmat.primitives import serialization

    data = _read(ctx, path)
    try:
        return serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise OpensslError(f"Could not read private key from {path}\n") from None


def _key_pem(key: Any, passphrase: str | None) -> bytes:
    from cryptography.hazmat.primitives import serialization

    encryption: Any = (
        serialization.NoEncryption()
        if passphrase is None
        else serialization.BestAvailableEncryption(passphrase.encode())
    )
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


def _new_key(spec: str) -> Any:
    from cryptography.hazmat.primitives.asymmetric import rsa

    algo, _, bits = spec.partition(":")
    if algo != "rsa" or (bits and not bits.isdigit()):
        raise OpensslError(f"req: Unknown algorithm {spec}\n")
    return rsa.generate_private_key(public_exponent=65537, key_size=int(bits or 2048))


def _opts(argv: list[str], flags: set[str], valued: set[str], name: str) -> dict[str, str]:
    opts: dict[str, str] = {}
    i = 0
    while i < len(argv):
        word = argv[i]
        key = word.lstrip("-")
        if word.startswith("-") and key in flags:
            opts[key] = ""
        elif word.startswith("-") and key in valued:
            if i + 1 >= len(argv):
                raise OpensslError(
                    f"{name}: Option -{key} needs a value\n{name}: Use -help for summary.\n"
                )
            i += 1
            opts[key] = argv[i]
        elif (
            word.startswith("-")
            and key.lstrip("-")
            and any(key == f for f in ("sha1", "sha256", "md5"))
        ):
            opts["digest"] = key
        else:
            if word.isdigit() and name == "genrsa":
                opts["bits"] = word
            else:
                raise OpensslError(
                    f"{name}: Unknown option: {word}\n{name}: Use -help for summary.\n"
                )
        opts.setdefault("_order", "")
        opts["_order"] += " " + key
        i += 1
    return opts


def req(ctx: Context, argv: list[str]) -> int:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    opts = _opts(
        argv,
        {"new", "x509", "nodes", "noenc", "batch", "verbose", "text", "noout"},
        {"days", "newkey", "keyout", "out", "subj", "key", "config", "addext"},
        "req",
    )
    days = opts.get("days", "30")
    if not days.isdigit():
        raise OpensslError(f'req: Can\'t parse "{days}" as a number\nreq: Use -help for summary.\n')
    if "x509" not in opts:
        raise OpensslError("req: only self-signed certificates (-x509) are simulated here\n")
    if "key" in opts:
        key = _load_key(ctx, opts["key"])
    else:
        key = _new_key(opts.get("newkey", "rsa:2048"))
        _progress(ctx)
    if "subj" in opts:
        fields = _parse_subject(opts["subj"])
    else:
        ctx.err(DN_INTRO)
        fields = []
        for short, prompt, default in DN_PROMPTS:
            answer = ctx.terminal.read_line(f"{prompt} [{default}]:")
            answer = default if not answer else ("" if answer == "." else answer)
            if answer:
                fields.append((short, answer))
    name = _build_name(fields)
    passphrase = None
    if "key" not in opts and "nodes" not in opts and "noenc" not in opts:
        passphrase = ctx.terminal.read_secret("Enter PEM pass phrase:")
        ctx.err("\n")
        again = ctx.terminal.read_secret("Verifying - Enter PEM pass phrase:")
        ctx.err("\n")
        if not passphrase or passphrase != again:
            raise OpensslError("Verify failure\nbad password read\n")
    now = datetime.fromtimestamp(int(ctx.machine.clock.now()), tz=UTC)
    serial = int.from_bytes(random.randbytes(20), "big") >> 1
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=int(days)))
        .add_extension(ski, critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    )
    cert = builder.sign(key, hashes.SHA256())
    from cryptography.hazmat.primitives import serialization

    if "key" not in opts:
        _write(ctx, opts.get("keyout", "privkey.pem"), _key_pem(key, passphrase), private=True)
    if "text" in opts:
        ctx.out(certificate_text(cert))
    if "noout" not in opts:
        _write(ctx, opts.get("out"), cert.public_bytes(serialization.Encoding.PEM))
    return 0


def _load_cert(ctx: Context, path: str | None) -> Any:
    from cryptography import x509

    if path is None:
        data = ctx.stdin.read()
        source = "<stdin>"
    else:
        try:
            data = ctx.machine.read_bytes(ctx.abspath(path))
        except OSError as exc:
            raise OpensslError(
                f"Could not open file or uri for loading certificate from {path}\n"
                f"{ERR_ID}:error:16000069:STORE routines:ossl_store_get0_loader_int:unregistered "
                "scheme:../crypto/store/store_register.c:237:scheme=file\n"
                f"{ERR_ID}:error:80000002:system library:file_open:{exc.strerror}:"
                f"../providers/implementations/storemgmt/file_store.c:266:calling stat({path})\n"
                "Unable to load certificate\n"
            ) from None
        source = path
    try:
        return x509.load_pem_x509_certificate(data)
    except ValueError:
        raise OpensslError(
            f"Could not read certificate from {source}\n"
            f"{ERR_ID}:error:1608010C:STORE routines:ossl_store_handle_load_result:unsupported:"
            "../crypto/store/store_result.c:149:\nUnable to load certificate\n"
        ) from None


def x509_cmd(ctx: Context, argv: list[str]) -> int:
    from cryptography.hazmat.primitives import hashes, serialization

    opts = _opts(
        argv,
        {
            "noout",
            "text",
            "subject",
            "issuer",
            "dates",
            "startdate",
            "enddate",
            "fingerprint",
            "serial",
            "pubkey",
            "email",
        },
        {"in", "out", "inform"},
        "x509",
    )
    cert = _load_cert(ctx, opts.get("in"))
    out: list[str] = []
    for key in opts.get("_order", "").split():
        if key == "subject":
            out.append(f"subject={name_text(cert.subject)}\n")
        elif key == "issuer":
            out.append(f"issuer={name_text(cert.issuer)}\n")
        elif key in ("dates", "startdate"):
            out.append(f"notBefore={_when(cert.not_valid_before_utc)}\n")
            if key == "dates":
                out.append(f"notAfter={_when(cert.not_valid_after_utc)}\n")
        elif key == "enddate":
            out.append(f"notAfter={_when(cert.not_valid_after_utc)}\n")
        elif key == "serial":
            digits = f"{cert.serial_number:X}"
            out.append(f"serial={'0' * (len(digits) % 2)}{digits}\n")
        elif key == "fingerprint":
            algo = opts.get("digest", "sha1")
            digest = cert.fingerprint(
                {"sha1": hashes.SHA1(), "sha256": hashes.SHA256(), "md5": hashes.MD5()}[algo]
            )
            label = "SHA1" if "digest" not in opts else algo
            out.append(f"{label} Fingerprint=" + ":".join(f"{b:02X}" for b in digest) + "\n")
        elif key == "text":
            out.append(certificate_text(cert))
        elif key == "pubkey":
            out.append(
                cert.public_key()
                .public_bytes(
                    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
                )
                .decode()
            )
    ctx.out("".join(out))
    if "noout" not in opts:
        _write(ctx, opts.get("out"), cert.public_bytes(serialization.Encoding.PEM))
    return 0


def genrsa(ctx: Context, argv: list[str]) -> int:
    opts = _opts(argv, {"verbose"}, {"out"}, "genrsa")
    bits = opts.get("bits", "2048")
    key = _new_key(f"rsa:{bits}")
    _write(ctx, opts.get("out"), _key_pem(key, None), private=True)
    return 0


def rsa_cmd(ctx: Context, argv: list[str]) -> int:
    opts = _opts(argv, {"check", "noout", "text", "pubout"}, {"in", "out"}, "rsa")
    key = _load_key(ctx, opts.get("in", "/dev/stdin"))
    if "text" in opts:
        numbers = key.private_numbers()
        ctx.out(f"Private-Key: ({key.key_size} bit, 2 primes)\n")
        for label, value in (("modulus", numbers.public_numbers.n),):
            raw = value.to_bytes((value.bit_length() + 8) // 8, "big")
            ctx.out(f"{label}:\n" + _hex_lines(raw, 15, 4))
        ctx.out(f"publicExponent: {numbers.public_numbers.e} (0x{numbers.public_numbers.e:x})\n")
    if "check" in opts:
        ctx.out("RSA key ok\n")
    if "noout" not in opts:
        ctx.err("writing RSA key\n")
        _write(ctx, opts.get("out"), _key_pem(key, None))
    return 0


@command(
    "openssl",
    synopsis="openssl command [ options ... ] [ parameters ... ]",
    summary="OpenSSL command line program",
    subcommands=("req", "x509", "genrsa", "rsa", "version"),
)
def openssl(ctx: Context) -> int:
    if not ctx.args:
        ctx.err("mailsim simulates: openssl req, x509, genrsa, rsa, version\n")
        return 1
    sub, argv = ctx.args[0], ctx.args[1:]
    handlers = {"req": req, "x509": x509_cmd, "genrsa": genrsa, "rsa": rsa_cmd}
    if sub == "version":
        ctx.out(VERSION + "\n")
        return 0
    if sub not in handlers:
        ctx.err(f"Invalid command '{sub}'; type \"help\" for a list.\n")
        return 1
    try:
        return handlers[sub](ctx, argv)
    except OpensslError as exc:
        ctx.err(str(exc))
        return 1


from mailsim.shell.commands.certtext import certificate_text  # noqa: E402
