"""Helpers for the web-service tests: a throwaway PKI, signed requests, hypothesis profiles.

The PKI mimics Amazon's: a root, an intermediate, and a signing certificate for
echo-api.amazon.com. It is built with ``cryptography`` at test time, so no real key or
network is involved. ``make fuzz`` loads this module as a pytest plugin
(``-p tests.web_fixtures``) so that its hypothesis profile can be chosen on the command line.
"""
from __future__ import annotations

import base64
import json
import socket
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from cryptography.x509.verification import Store
from hypothesis import HealthCheck, settings

CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-test.pem"
NOW = datetime(2026, 11, 26, 21, 0, 9, tzinfo=UTC)
EVENTS = Path(__file__).parent / "events"

# The fuzz tests ask for at least FUZZ_MIN_EXAMPLES; `make fuzz` loads "fuzz-deep".
FUZZ_MIN_EXAMPLES = 500
settings.register_profile(
    "fuzz-deep",
    max_examples=10_000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def fixed_clock(moment: datetime = NOW):
    return lambda: moment


def load_event(name: str) -> dict:
    return json.loads((EVENTS / f"{name}.json").read_text())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- a small PKI -----------------------------------------------------------------------


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Connection Check-In tests"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _ca_cert(
    subject: str,
    key: rsa.RSAPrivateKey,
    issuer: x509.Certificate | None,
    issuer_key: rsa.RSAPrivateKey,
    path_length: int | None,
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer.subject if issuer else _name(subject))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - timedelta(days=365))
        .not_valid_after(NOW + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    return builder.sign(issuer_key, hashes.SHA256())


def _leaf_cert(
    key: rsa.RSAPrivateKey,
    issuer: x509.Certificate,
    issuer_key: rsa.RSAPrivateKey,
    *,
    san: tuple[str, ...],
    not_before: datetime,
    not_after: datetime,
) -> x509.Certificate:
    return (
        x509.CertificateBuilder()
        .subject_name(_name(san[0] if san else "no-san.example"))
        .issuer_name(issuer.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=True,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in san]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
        .sign(issuer_key, hashes.SHA256())
    )


def _pem(*certs: x509.Certificate) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


@dataclass
class TestPki:
    """A trusted root, and chains (leaf first) that the tests can serve by URL."""

    __test__ = False  # not a pytest test class

    root: x509.Certificate
    signing_key: rsa.RSAPrivateKey
    chains: dict[str, bytes] = field(default_factory=dict)
    fetched: list[str] = field(default_factory=list)

    def store(self) -> Store:
        return Store([self.root])

    def fetch(self, url: str) -> bytes:
        """The injected fetcher: serves the chains, like S3 would, or fails like a 404."""
        self.fetched.append(url)
        try:
            return self.chains[url]
        except KeyError:
            raise OSError(f"404 for {url}") from None

    def sign(self, body: bytes, key: rsa.RSAPrivateKey | None = None) -> str:
        signer = key or self.signing_key
        raw = signer.sign(body, padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(raw).decode("ascii")

    def headers(self, body: bytes, *, url: str = CERT_URL, key=None) -> dict[str, str]:
        return {
            "SignatureCertChainUrl": url,
            "Signature-256": self.sign(body, key),
            "Content-Type": "application/json",
        }


def chain_url(name: str) -> str:
    return f"https://s3.amazonaws.com/echo.api/{name}.pem"


def build_test_pki() -> TestPki:
    """Good, expired, wrong-SAN and untrusted chains, all signed with one leaf key."""
    root_key, inter_key, leaf_key = _key(), _key(), _key()
    root = _ca_cert("Test Root CA", root_key, None, root_key, None)
    inter = _ca_cert("Test Intermediate CA", inter_key, root, root_key, 0)

    def leaf(san=("echo-api.amazon.com",), before=NOW - timedelta(days=1),
             after=NOW + timedelta(days=30), issuer=inter, issuer_key=inter_key):
        return _leaf_cert(leaf_key, issuer, issuer_key, san=san, not_before=before, not_after=after)

    rogue_root_key, rogue_inter_key = _key(), _key()
    rogue_root = _ca_cert("Rogue Root CA", rogue_root_key, None, rogue_root_key, None)
    rogue_inter = _ca_cert("Rogue Intermediate CA", rogue_inter_key, rogue_root, rogue_root_key, 0)

    pki = TestPki(root=root, signing_key=leaf_key)
    pki.chains = {
        CERT_URL: _pem(leaf(), inter),
        chain_url("expired"): _pem(
            leaf(before=NOW - timedelta(days=60), after=NOW - timedelta(days=1)), inter
        ),
        chain_url("not-yet-valid"): _pem(
            leaf(before=NOW + timedelta(days=1), after=NOW + timedelta(days=60)), inter
        ),
        chain_url("wrong-san"): _pem(leaf(san=("echo-api.example.com",)), inter),
        chain_url("untrusted"): _pem(
            leaf(issuer=rogue_inter, issuer_key=rogue_inter_key), rogue_inter, rogue_root
        ),
        chain_url("no-intermediate"): _pem(leaf()),
        chain_url("not-pem"): b"this is not a certificate",
    }
    return pki


def envelope_body(event: dict, *, timestamp: datetime = NOW) -> bytes:
    """The event with a fresh timestamp, serialised as Alexa would send it."""
    event = json.loads(json.dumps(event))
    event["request"]["timestamp"] = timestamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    return json.dumps(event).encode("utf-8")
