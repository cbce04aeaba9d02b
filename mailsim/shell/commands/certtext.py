"""``openssl x509 -text``: a certificate in OpenSSL 3.0's own text layout."""

from __future__ import annotations

from typing import Any

from mailsim.shell.commands.openssl import _hex_lines, _when, name_text


def _key_id(data: bytes) -> str:
    return ":".join(f"{b:02X}" for b in data)


def _general_names(names: Any) -> str:
    from cryptography import x509

    parts = []
    for item in names:
        if isinstance(item, x509.DNSName):
            parts.append(f"DNS:{item.value}")
        elif isinstance(item, x509.IPAddress):
            parts.append(f"IP Address:{item.value}")
        elif isinstance(item, x509.RFC822Name):
            parts.append(f"email:{item.value}")
        else:
            parts.append(str(item.value))
    return ", ".join(parts)


def _extension(ext: Any) -> tuple[str, str]:
    """(title, value text) of one extension as OpenSSL names and prints it."""
    from cryptography import x509

    value = ext.value
    if isinstance(value, x509.BasicConstraints):
        text = "CA:TRUE" if value.ca else "CA:FALSE"
        if value.path_length is not None:
            text += f", pathlen:{value.path_length}"
        return "X509v3 Basic Constraints", text
    if isinstance(value, x509.SubjectAlternativeName):
        return "X509v3 Subject Alternative Name", _general_names(value)
    if isinstance(value, x509.SubjectKeyIdentifier):
        return "X509v3 Subject Key Identifier", _key_id(value.digest)
    if isinstance(value, x509.AuthorityKeyIdentifier):
        return "X509v3 Authority Key Identifier", _key_id(value.key_identifier or b"")
    if isinstance(value, x509.KeyUsage):
        names = [
            ("digital_signature", "Digital Signature"),
            ("content_commitment", "Non Repudiation"),
            ("key_encipherment", "Key Encipherment"),
            ("data_encipherment", "Data Encipherment"),
            ("key_agreement", "Key Agreement"),
            ("key_cert_sign", "Certificate Sign"),
            ("crl_sign", "CRL Sign"),
        ]
        return "X509v3 Key Usage", ", ".join(label for attr, label in names if getattr(value, attr))
    if isinstance(value, x509.ExtendedKeyUsage):
        labels = {
            "serverAuth": "TLS Web Server Authentication",
            "clientAuth": "TLS Web Client Authentication",
        }
        return "X509v3 Extended Key Usage", ", ".join(
            labels.get(oid._name, oid._name) for oid in value
        )
    return ext.oid.dotted_string, "<unsupported>"


def certificate_text(cert: Any) -> str:
    from cryptography.hazmat.primitives.asymmetric import rsa

    serial = cert.serial_number
    lines = [
        "Certificate:",
        "    Data:",
        f"        Version: {cert.version.value + 1} (0x{cert.version.value:x})",
    ]
    if serial.bit_length() < 64:
        lines.append(f"        Serial Number: {serial} (0x{serial:x})")
    else:
        raw = serial.to_bytes((serial.bit_length() + 7) // 8, "big")
        lines.append("        Serial Number:")
        lines.append("            " + ":".join(f"{b:02x}" for b in raw))
    sig_name = cert.signature_algorithm_oid._name
    lines += [
        f"        Signature Algorithm: {sig_name}",
        f"        Issuer: {name_text(cert.issuer)}",
        "        Validity",
        f"            Not Before: {_when(cert.not_valid_before_utc)}",
        f"            Not After : {_when(cert.not_valid_after_utc)}",
        f"        Subject: {name_text(cert.subject)}",
        "        Subject Public Key Info:",
    ]
    key = cert.public_key()
    text = "\n".join(lines) + "\n"
    if isinstance(key, rsa.RSAPublicKey):
        numbers = key.public_numbers()
        modulus = numbers.n.to_bytes((numbers.n.bit_length() + 8) // 8, "big")
        text += (
            "            Public Key Algorithm: rsaEncryption\n"
            f"                Public-Key: ({key.key_size} bit)\n"
            "                Modulus:\n"
            + _hex_lines(modulus, 15, 20)
            + f"                Exponent: {numbers.e} (0x{numbers.e:x})\n"
        )
    if len(cert.extensions):
        text += "        X509v3 extensions:\n"
        for ext in cert.extensions:
            title, value = _extension(ext)
            text += f"            {title}: {'critical' if ext.critical else ''}\n"
            text += f"                {value}\n"
    text += f"    Signature Algorithm: {sig_name}\n    Signature Value:\n"
    text += _hex_lines(cert.signature, 18, 8)
    return text
