"""Proof that a request to the web endpoint really comes from Alexa.

Amazon signs every request it sends to a self-hosted skill. The checks here follow
"Verifying that the request was sent by Alexa" in the Alexa Skills Kit docs:

1. the ``SignatureCertChainUrl`` header names an https URL on ``s3.amazonaws.com``
   (port 443 if a port is given) whose normalised path starts with ``/echo.api/``;
2. the PEM chain found there leads from the signing certificate to a trusted root,
   every certificate in it is inside its validity dates, and the signing
   certificate's SAN holds ``echo-api.amazon.com``;
3. the ``Signature-256`` header is an RSA PKCS#1 v1.5 SHA-256 signature of the raw body
   by that certificate's key;
4. ``request.timestamp`` is within 150 s of now (an hour for ``AlexaSkillEvent.*``
   requests, which Alexa may deliver late).

Both verifiers implement ask-sdk-webservice-support's ``AbstractVerifier`` so that
flask-ask-sdk's ``SkillAdapter`` runs them, and both raise its ``VerificationException``,
which the adapter turns into HTTP 400. The trust store, the certificate fetcher and the
clock are injectable, so the tests need neither the network nor a real Amazon chain.
"""
from __future__ import annotations

import base64
import binascii
import posixpath
import ssl
import threading
import time
import urllib.request
import warnings
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from ask_sdk_webservice_support.verifier import AbstractVerifier, VerificationException
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

CERT_URL_HEADER = "SignatureCertChainUrl"
SIGNATURE_HEADER = "Signature-256"

CERT_URL_SCHEME = "https"
CERT_URL_HOST = "s3.amazonaws.com"
CERT_URL_PORT = 443
CERT_URL_PATH_PREFIX = "/echo.api/"
SIGNING_CERT_SAN = "echo-api.amazon.com"

REQUEST_TOLERANCE = timedelta(seconds=150)
SKILL_EVENT_TOLERANCE = timedelta(hours=1)
SKILL_EVENT_TYPES = frozenset(
    {
        "AlexaSkillEvent.SkillEnabled",
        "AlexaSkillEvent.SkillDisabled",
        "AlexaSkillEvent.SkillPermissionChanged",
        "AlexaSkillEvent.SkillPermissionAccepted",
        "AlexaSkillEvent.SkillAccountLinked",
    }
)

FETCH_TIMEOUT_SECONDS = 5.0
MAX_CHAIN_BYTES = 64 * 1024
CACHE_TTL_SECONDS = 3600.0
CACHE_MAX_ENTRIES = 16

Fetcher = Callable[[str], bytes]
Clock = Callable[[], datetime]

__all__ = [
    "CertificateCache",
    "SignatureVerifier",
    "TimestampVerifier",
    "VerificationException",
    "alexa_verifiers",
    "default_trust_store",
    "fetch_chain",
    "normalise_cert_url",
]


def utc_now() -> datetime:
    return datetime.now(UTC)


# --- the certificate URL ---------------------------------------------------------------


def normalise_cert_url(url: str | None) -> str:
    """Return the canonical URL to fetch, or raise if ``url`` breaks Amazon's rules.

    The URL we fetch is rebuilt from the checked parts, never the string we were given,
    so that no parser difference between this check and the HTTP client can matter.
    """
    if not url:
        raise VerificationException(f"missing {CERT_URL_HEADER} header")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise VerificationException("certificate URL does not parse") from error
    if parts.scheme.lower() != CERT_URL_SCHEME:
        raise VerificationException("certificate URL scheme is not https")
    if (parts.hostname or "").lower() != CERT_URL_HOST:
        raise VerificationException("certificate URL host is not s3.amazonaws.com")
    if port is not None and port != CERT_URL_PORT:
        raise VerificationException("certificate URL port is not 443")
    if parts.username is not None or parts.password is not None:
        raise VerificationException("certificate URL carries credentials")
    if parts.query or parts.fragment:
        raise VerificationException("certificate URL has a query or fragment")
    # Percent-escapes and backslashes could hide dot segments from the check below.
    if "%" in parts.path or "\\" in parts.path:
        raise VerificationException("certificate URL path is not plain")
    path = posixpath.normpath(parts.path) if parts.path else ""
    if path.startswith("//"):  # POSIX keeps a leading double slash; the web does not
        path = "/" + path.lstrip("/")
    if not path.startswith(CERT_URL_PATH_PREFIX):
        raise VerificationException("certificate URL path is not under /echo.api/")
    return f"{CERT_URL_SCHEME}://{CERT_URL_HOST}{path}"


# --- fetching and caching the chain ----------------------------------------------------


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError for the 3xx answer


def fetch_chain(
    url: str,
    *,
    timeout: float = FETCH_TIMEOUT_SECONDS,
    max_bytes: int = MAX_CHAIN_BYTES,
) -> bytes:
    """Download a PEM chain over verified TLS, with a timeout and a size cap, no redirects."""
    context = ssl.create_default_context()
    opener = urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=context), _RefuseRedirects()
    )
    with opener.open(url, timeout=timeout) as response:
        body = response.read(max_bytes + 1)
    if len(body) > max_bytes:
        raise ValueError("certificate chain is too large")
    return body


class CertificateCache:
    """Parsed chains by URL, least recently used first out, each kept for ``ttl`` seconds.

    Only chains that were fetched and parsed are kept; they are validated again on every
    request, so a certificate that expires while cached is still refused.
    """

    def __init__(
        self,
        fetcher: Fetcher | None = None,
        *,
        ttl: float = CACHE_TTL_SECONDS,
        max_entries: int = CACHE_MAX_ENTRIES,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetcher = fetcher or fetch_chain
        self._ttl = ttl
        self._max_entries = max_entries
        self._monotonic = monotonic
        self._entries: OrderedDict[str, tuple[float, list[x509.Certificate]]] = OrderedDict()
        self._lock = threading.Lock()
        self.fetches = 0

    def chain(self, url: str) -> list[x509.Certificate]:
        now = self._monotonic()
        with self._lock:
            entry = self._entries.get(url)
            if entry is not None and now - entry[0] < self._ttl:
                self._entries.move_to_end(url)
                return entry[1]
        certs = self._load(url)
        with self._lock:
            self._entries[url] = (now, certs)
            self._entries.move_to_end(url)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)
        return certs

    def _load(self, url: str) -> list[x509.Certificate]:
        self.fetches += 1
        try:
            pem = self._fetcher(url)
        except Exception as error:  # whatever the fetch failed with, the request is refused
            raise VerificationException("could not fetch the certificate chain") from error
        try:
            certs = x509.load_pem_x509_certificates(pem)
        except ValueError as error:
            raise VerificationException("certificate chain is not PEM") from error
        if not certs:
            raise VerificationException("certificate chain is empty")
        return certs


# --- the chain itself ------------------------------------------------------------------


def default_trust_store() -> Store:
    """Public web roots: certifi's bundle if installed, else the OS bundle Python knows."""
    try:
        import certifi

        path = certifi.where()
    except ImportError:  # pragma: no cover - certifi is pinned in requirements-serve.txt
        path = ssl.get_default_verify_paths().cafile
    if not path:  # pragma: no cover
        raise RuntimeError("no CA bundle found; install certifi")
    with open(path, "rb") as bundle:
        return Store(_load_bundle(bundle.read()))


def _load_bundle(data: bytes) -> list[x509.Certificate]:
    """Each certificate of a CA bundle, skipping any that this cryptography refuses."""
    end = b"-----END CERTIFICATE-----"
    certs = []
    for block in data.split(end)[:-1]:
        with warnings.catch_warnings():
            # certifi ships roots with serial number 0 (Starfield, Go Daddy...); this
            # cryptography warns about them, a later one may refuse them: skip only then.
            warnings.simplefilter("ignore", CryptographyDeprecationWarning)
            try:
                certs.append(x509.load_pem_x509_certificate(block + end))
            except ValueError:
                continue
    if not certs:
        raise RuntimeError("the CA bundle holds no usable certificate")
    return certs


def verify_chain(certs: list[x509.Certificate], store: Store, now: datetime) -> x509.Certificate:
    """Return the signing certificate once its chain checks out at ``now``."""
    leaf, intermediates = certs[0], certs[1:]
    if now < leaf.not_valid_before_utc:
        raise VerificationException("signing certificate is not valid yet")
    if now > leaf.not_valid_after_utc:
        raise VerificationException("signing certificate has expired")
    if SIGNING_CERT_SAN not in _san_dns_names(leaf):
        raise VerificationException(f"signing certificate SAN lacks {SIGNING_CERT_SAN}")
    verifier = (
        PolicyBuilder()
        .store(store)
        .time(now)
        .build_server_verifier(x509.DNSName(SIGNING_CERT_SAN))
    )
    try:
        verifier.verify(leaf, intermediates)
    except VerificationError as error:
        raise VerificationException(f"certificate chain is not trusted: {error}") from error
    return leaf


def _san_dns_names(cert: x509.Certificate) -> set[str]:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return set()
    except ValueError:  # a malformed extension
        return set()
    return {name.lower() for name in san.get_values_for_type(x509.DNSName)}


def verify_body_signature(cert: x509.Certificate, signature_b64: str | None, body: bytes) -> None:
    if not signature_b64 or not signature_b64.strip():
        raise VerificationException(f"missing {SIGNATURE_HEADER} header")
    try:
        signature = base64.b64decode(signature_b64.strip(), validate=True)
    except (binascii.Error, ValueError) as error:
        raise VerificationException("signature is not base64") from error
    key = cert.public_key()
    if not isinstance(key, RSAPublicKey):
        raise VerificationException("signing key is not RSA")
    try:
        key.verify(signature, body, PKCS1v15(), SHA256())
    except InvalidSignature as error:
        raise VerificationException("signature does not match the body") from error


# --- the verifiers flask-ask-sdk runs --------------------------------------------------


def _header(headers: Mapping[str, Any], name: str) -> str | None:
    value = headers.get(name)
    if value is None:  # a plain dict is case-sensitive; HTTP header names are not
        wanted = name.lower()
        value = next((v for k, v in headers.items() if str(k).lower() == wanted), None)
    return None if value is None else str(value)


def _raw_body(serialized: str | bytes) -> bytes:
    return serialized if isinstance(serialized, bytes) else serialized.encode("utf-8")


class SignatureVerifier(AbstractVerifier):
    """Certificate URL, chain, dates, SAN and ``Signature-256`` over the raw body."""

    def __init__(
        self,
        *,
        trust_store: Store | None = None,
        fetcher: Fetcher | None = None,
        clock: Clock | None = None,
        cache: CertificateCache | None = None,
    ) -> None:
        self._trust_store = trust_store
        self._store_lock = threading.Lock()
        self._cache = cache if cache is not None else CertificateCache(fetcher)
        self._clock = clock or utc_now

    @property
    def trust_store(self) -> Store:
        with self._store_lock:  # read the CA bundle on first use, not at import
            if self._trust_store is None:
                self._trust_store = default_trust_store()
            return self._trust_store

    def verify(self, headers, serialized_request_env, deserialized_request_env) -> None:
        url = normalise_cert_url(_header(headers, CERT_URL_HEADER))
        signature = _header(headers, SIGNATURE_HEADER)
        if not signature or not signature.strip():
            raise VerificationException(f"missing {SIGNATURE_HEADER} header")
        leaf = verify_chain(self._cache.chain(url), self.trust_store, self._clock())
        verify_body_signature(leaf, signature, _raw_body(serialized_request_env))


class TimestampVerifier(AbstractVerifier):
    """``request.timestamp`` must be close to now: 150 s, or an hour for skill events."""

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        tolerance: timedelta = REQUEST_TOLERANCE,
        skill_event_tolerance: timedelta = SKILL_EVENT_TOLERANCE,
    ) -> None:
        self._clock = clock or utc_now
        self._tolerance = tolerance
        self._skill_event_tolerance = skill_event_tolerance

    def verify(self, headers, serialized_request_env, deserialized_request_env) -> None:
        request = getattr(deserialized_request_env, "request", None)
        stamp = getattr(request, "timestamp", None)
        if not isinstance(stamp, datetime):
            raise VerificationException("request has no timestamp")
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=UTC)
        kind = getattr(request, "object_type", None)
        allowed = self._skill_event_tolerance if kind in SKILL_EVENT_TYPES else self._tolerance
        if abs(self._clock() - stamp) > allowed:
            raise VerificationException("request timestamp is too far from now")


def alexa_verifiers(
    *,
    trust_store: Store | None = None,
    fetcher: Fetcher | None = None,
    clock: Clock | None = None,
) -> list[AbstractVerifier]:
    """The full set of checks Alexa certification expects from a web-service skill."""
    return [
        TimestampVerifier(clock=clock),
        SignatureVerifier(trust_store=trust_store, fetcher=fetcher, clock=clock),
    ]
