"""The request verifier on its own: URL rules, chain, dates, SAN, signature, timestamp."""
from __future__ import annotations

from datetime import timedelta

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from tests.web_fixtures import (
    CERT_URL,
    NOW,
    build_test_pki,
    chain_url,
    envelope_body,
    fixed_clock,
    load_event,
)
from webservice.verifier import (
    CertificateCache,
    SignatureVerifier,
    TimestampVerifier,
    VerificationException,
    normalise_cert_url,
)


@pytest.fixture(scope="module")
def pki():
    return build_test_pki()


@pytest.fixture
def verifier(pki):
    return SignatureVerifier(trust_store=pki.store(), fetcher=pki.fetch, clock=fixed_clock())


def parse(body: bytes) -> RequestEnvelope:
    return DefaultSerializer().deserialize(body.decode("utf-8"), RequestEnvelope)


def launch_body(**kwargs) -> bytes:
    return envelope_body(load_event("launch_request"), **kwargs)


# --- certificate URL rules -------------------------------------------------------------


@pytest.mark.parametrize(
    "url, expected",
    [
        (CERT_URL, CERT_URL),
        ("https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
         "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"),
        ("HTTPS://s3.amazonaws.com/echo.api/echo-api-cert.pem",
         "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"),
        ("https://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem",
         "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"),
        ("https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
         "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"),
        ("https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
         "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"),
        ("https://s3.amazonaws.com//echo.api/./echo-api-cert.pem",
         "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"),
    ],
)
def test_valid_certificate_urls_are_normalised(url, expected):
    assert normalise_cert_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "http://s3.amazonaws.com/echo.api/echo-api-cert.pem",  # scheme
        "ftp://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://notamazon.com/echo.api/echo-api-cert.pem",  # host
        "https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert.pem",
        "https://evil.example/s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com@evil.example/echo.api/echo-api-cert.pem",
        "https://user:pw@s3.amazonaws.com/echo.api/echo-api-cert.pem",  # credentials
        "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",  # path is case-sensitive
        "https://s3.amazonaws.com/invalid.path/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/../invalid.path/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/%2e%2e/invalid.path/cert.pem",
        "https://s3.amazonaws.com/echo.api",
        "https://s3.amazonaws.com/",
        "https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem",  # port
        "https://s3.amazonaws.com:80/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com:notaport/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/cert.pem?x=1",  # query
        "https://s3.amazonaws.com/echo.api/cert.pem#frag",
        "//s3.amazonaws.com/echo.api/cert.pem",
        "not a url at all",
    ],
)
def test_invalid_certificate_urls_are_refused(url):
    with pytest.raises(VerificationException):
        normalise_cert_url(url)


# --- the full signature check ----------------------------------------------------------


def test_good_signature_passes(pki, verifier):
    # Given a body signed by the echo-api certificate of a trusted chain
    body = launch_body()
    # When it is verified, Then nothing is raised
    verifier.verify(pki.headers(body), body.decode(), parse(body))


def test_header_names_are_case_insensitive_in_plain_dicts(pki, verifier):
    body = launch_body()
    headers = {k.lower(): v for k, v in pki.headers(body).items()}
    verifier.verify(headers, body.decode(), parse(body))


def refusal(verifier, headers, body) -> str:
    with pytest.raises(VerificationException) as caught:
        verifier.verify(headers, body.decode("utf-8"), parse(body))
    return str(caught.value)


def test_missing_signature_is_refused(pki, verifier):
    body = launch_body()
    headers = pki.headers(body)
    del headers["Signature-256"]
    assert "Signature-256" in refusal(verifier, headers, body)


@pytest.mark.parametrize("value", ["", "   "])
def test_empty_signature_is_refused(pki, verifier, value):
    body = launch_body()
    headers = {**pki.headers(body), "Signature-256": value}
    assert "Signature-256" in refusal(verifier, headers, body)


def test_legacy_sha1_header_alone_is_not_enough(pki, verifier):
    body = launch_body()
    headers = pki.headers(body)
    headers["Signature"] = headers.pop("Signature-256")
    assert "Signature-256" in refusal(verifier, headers, body)


def test_signature_that_is_not_base64_is_refused(pki, verifier):
    body = launch_body()
    headers = {**pki.headers(body), "Signature-256": "not*base64!"}
    assert "base64" in refusal(verifier, headers, body)


def test_signature_by_another_key_is_refused(pki, verifier):
    from cryptography.hazmat.primitives.asymmetric import rsa

    body = launch_body()
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert "does not match" in refusal(verifier, pki.headers(body, key=other), body)


def test_signature_of_another_body_is_refused(pki, verifier):
    body = launch_body()
    headers = {**pki.headers(body), "Signature-256": pki.sign(b"something else")}
    assert "does not match" in refusal(verifier, headers, body)


def test_tampered_body_is_refused(pki, verifier):
    body = launch_body()
    headers = pki.headers(body)
    tampered = body.replace(b'"LaunchRequest"', b'"IntentRequest"')
    assert tampered != body
    assert "does not match" in refusal(verifier, headers, tampered)


def test_missing_certificate_url_is_refused(pki, verifier):
    body = launch_body()
    headers = pki.headers(body)
    del headers["SignatureCertChainUrl"]
    assert "SignatureCertChainUrl" in refusal(verifier, headers, body)


@pytest.mark.parametrize(
    "url, reason",
    [
        ("https://evil.example/echo.api/echo-api-cert-test.pem", "host"),
        ("http://s3.amazonaws.com/echo.api/echo-api-cert-test.pem", "scheme"),
        ("https://s3.amazonaws.com/not.echo.api/echo-api-cert-test.pem", "path"),
        ("https://s3.amazonaws.com:8443/echo.api/echo-api-cert-test.pem", "port"),
    ],
)
def test_bad_certificate_url_is_refused_before_any_fetch(pki, verifier, url, reason):
    body = launch_body()
    before = len(pki.fetched)
    assert reason in refusal(verifier, pki.headers(body, url=url), body)
    assert len(pki.fetched) == before


def test_expired_leaf_is_refused(pki, verifier):
    body = launch_body()
    assert "expired" in refusal(verifier, pki.headers(body, url=chain_url("expired")), body)


def test_leaf_not_yet_valid_is_refused(pki, verifier):
    body = launch_body()
    message = refusal(verifier, pki.headers(body, url=chain_url("not-yet-valid")), body)
    assert "not valid yet" in message


def test_leaf_with_wrong_san_is_refused(pki, verifier):
    body = launch_body()
    assert "SAN" in refusal(verifier, pki.headers(body, url=chain_url("wrong-san")), body)


def test_chain_not_reaching_trusted_root_is_refused(pki, verifier):
    body = launch_body()
    message = refusal(verifier, pki.headers(body, url=chain_url("untrusted")), body)
    assert "not trusted" in message


def test_chain_without_its_intermediate_is_refused(pki, verifier):
    body = launch_body()
    message = refusal(verifier, pki.headers(body, url=chain_url("no-intermediate")), body)
    assert "not trusted" in message


def test_chain_that_is_not_pem_is_refused(pki, verifier):
    body = launch_body()
    assert "PEM" in refusal(verifier, pki.headers(body, url=chain_url("not-pem")), body)


def test_unreachable_chain_is_refused(pki, verifier):
    body = launch_body()
    message = refusal(verifier, pki.headers(body, url=chain_url("missing")), body)
    assert "fetch" in message


def test_chain_expiring_while_cached_is_refused(pki):
    # Given a verifier whose clock moves past the leaf's expiry after the first request
    moments = [NOW, NOW + timedelta(days=31)]
    verifier = SignatureVerifier(trust_store=pki.store(), fetcher=pki.fetch,
                                 clock=lambda: moments[0])
    body = launch_body()
    verifier.verify(pki.headers(body), body.decode(), parse(body))
    moments.pop(0)
    # Then the cached chain is validated again, and refused
    assert "expired" in refusal(verifier, pki.headers(body), body)


def test_untrusted_root_store_refuses_good_chain(pki):
    other = build_test_pki()
    verifier = SignatureVerifier(trust_store=other.store(), fetcher=pki.fetch, clock=fixed_clock())
    body = launch_body()
    assert "not trusted" in refusal(verifier, pki.headers(body), body)


# --- fetching and caching --------------------------------------------------------------


def test_chain_is_fetched_once_per_url():
    calls = []
    pki = build_test_pki()

    def fetch(url):
        calls.append(url)
        return pki.fetch(url)

    verifier = SignatureVerifier(trust_store=pki.store(), fetcher=fetch, clock=fixed_clock())
    for _ in range(3):
        body = launch_body()
        verifier.verify(pki.headers(body), body.decode(), parse(body))
    assert calls == [CERT_URL]


def test_cache_entries_expire_and_are_bounded(pki):
    ticks = [0.0]
    cache = CertificateCache(pki.fetch, ttl=10, max_entries=2, monotonic=lambda: ticks[0])
    cache.chain(CERT_URL)
    cache.chain(CERT_URL)
    assert cache.fetches == 1
    ticks[0] = 11.0
    cache.chain(CERT_URL)
    assert cache.fetches == 2
    cache.chain(chain_url("expired"))
    cache.chain(chain_url("wrong-san"))  # pushes CERT_URL out
    cache.chain(CERT_URL)
    assert cache.fetches == 5


def test_failed_fetch_is_not_cached(pki):
    cache = CertificateCache(pki.fetch)
    for _ in range(2):
        with pytest.raises(VerificationException):
            cache.chain(chain_url("missing"))
    assert cache.fetches == 2


def test_default_fetcher_uses_a_timeout(monkeypatch):
    from webservice import verifier as module

    seen = {}

    class FakeResponse:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self, size):
            return b"x" * min(size, 10)

    class FakeOpener:
        def open(self, url, timeout):
            seen.update(url=url, timeout=timeout)
            return FakeResponse()

    monkeypatch.setattr(module.urllib.request, "build_opener", lambda *handlers: FakeOpener())
    assert module.fetch_chain(CERT_URL) == b"x" * 10
    assert seen == {"url": CERT_URL, "timeout": module.FETCH_TIMEOUT_SECONDS}
    with pytest.raises(ValueError):
        module.fetch_chain(CERT_URL, max_bytes=5)


def test_default_trust_store_loads_public_roots():
    from webservice.verifier import default_trust_store

    assert default_trust_store() is not None


# --- timestamp -------------------------------------------------------------------------


@pytest.mark.parametrize("offset", [0, 1, -149, 149, 150, -150])
def test_timestamp_within_150_seconds_passes(offset):
    body = launch_body(timestamp=NOW + timedelta(seconds=offset))
    TimestampVerifier(clock=fixed_clock()).verify({}, body.decode(), parse(body))


@pytest.mark.parametrize("offset", [-151, 151, -3600, 86400])
def test_stale_or_future_timestamp_is_refused(offset):
    body = launch_body(timestamp=NOW + timedelta(seconds=offset))
    with pytest.raises(VerificationException, match="timestamp"):
        TimestampVerifier(clock=fixed_clock()).verify({}, body.decode(), parse(body))


def test_skill_events_may_be_an_hour_old():
    event = load_event("skill_disabled_event")
    late = envelope_body(event, timestamp=NOW - timedelta(minutes=59))
    TimestampVerifier(clock=fixed_clock()).verify({}, late.decode(), parse(late))
    too_late = envelope_body(event, timestamp=NOW - timedelta(minutes=61))
    with pytest.raises(VerificationException):
        TimestampVerifier(clock=fixed_clock()).verify({}, too_late.decode(), parse(too_late))


def test_missing_timestamp_is_refused():
    event = load_event("launch_request")
    del event["request"]["timestamp"]
    with pytest.raises(VerificationException, match="timestamp"):
        TimestampVerifier(clock=fixed_clock()).verify({}, "", parse(envelope_bytes(event)))


def envelope_bytes(event: dict) -> bytes:
    import json

    return json.dumps(event).encode()
