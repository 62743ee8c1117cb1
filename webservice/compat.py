"""Import flask-ask-sdk on current OpenSSL, without patching anything in site-packages.

The problem: flask-ask-sdk 1.0.0 imports ``ask_sdk_webservice_support.verifier``. From 1.3.0
on, that module imports ``certvalidator``, which imports ``oscrypto``. oscrypto 1.3.0, the
newest release, cannot parse the version string of OpenSSL 3.0.10 and later and raises
``LibraryNotFoundError`` at import time, so ``import flask_ask_sdk.skill_adapter`` fails.

What this project does, in order:

1. ``requirements-serve.txt`` pins ask-sdk-webservice-support 1.2.0. Its verifier depends
   only on ``cryptography``, so the import chain never reaches oscrypto. flask-ask-sdk 1.0.0
   accepts it (it asks for >= 0.1.0).
2. The library's own verifiers are always switched off (``ASK_SDK_VERIFY_SIGNATURE`` and
   ``ASK_SDK_VERIFY_TIMESTAMP`` set to False before ``init_app``). 1.2.0's only checks the
   SHA-1 ``Signature`` header; 1.3.x's cannot load. ``webservice.verifier`` does the real
   checks (``Signature-256``, chain, SAN, timestamp) and is passed in ``verifiers=[...]``.
3. Should a 1.3.x release be installed anyway, the first import fails inside oscrypto. Then
   a stand-in ``certvalidator`` is registered in ``sys.modules`` and the import is retried.
   The stand-in only lets the module load: the library verifiers that would use it are
   off (step 2), and it raises if anything calls it.

Import flask-ask-sdk and ask-sdk-webservice-support names from here, never directly.
"""
from __future__ import annotations

import sys
import types
from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

__all__ = [
    "VERIFY_SIGNATURE_APP_CONFIG",
    "VERIFY_TIMESTAMP_APP_CONFIG",
    "AbstractVerifier",
    "SkillAdapter",
    "VerificationException",
    "used_certvalidator_standin",
    "webservice_support_version",
]

_PARTIAL_IMPORTS = ("flask_ask_sdk", "ask_sdk_webservice_support", "certvalidator", "oscrypto")


def webservice_support_version() -> str | None:
    try:
        return version("ask-sdk-webservice-support")
    except PackageNotFoundError:  # pragma: no cover
        return None


def is_oscrypto_failure(error: BaseException) -> bool:
    """True when ``error`` (or what caused it) was raised by oscrypto's library lookup."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if type(current).__module__.split(".")[0] == "oscrypto":
            return True
        tb = current.__traceback__
        while tb is not None:
            if "oscrypto" in tb.tb_frame.f_code.co_filename.replace("\\", "/").split("/"):
                return True
            tb = tb.tb_next
        current = current.__cause__ or current.__context__
    return False


class _StandInUsed(RuntimeError):
    pass


def certvalidator_standin() -> dict[str, types.ModuleType]:
    """Modules that satisfy ``from certvalidator import ...`` and refuse to be used."""
    package = types.ModuleType("certvalidator")
    package.__doc__ = "Stand-in registered by webservice.compat; the real one needs oscrypto."
    errors = types.ModuleType("certvalidator.errors")

    class ValidationError(Exception):
        pass

    class PathError(Exception):
        pass

    class CertificateValidator:
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise _StandInUsed(
                "ask-sdk-webservice-support's own verifier is disabled here; "
                "use webservice.verifier instead"
            )

    errors.ValidationError = ValidationError
    errors.PathError = PathError
    package.errors = errors
    package.CertificateValidator = CertificateValidator
    package.ValidationError = ValidationError
    package.PathError = PathError
    return {"certvalidator": package, "certvalidator.errors": errors}


def _forget_partial_imports() -> None:
    for name in list(sys.modules):
        if name.split(".")[0] in _PARTIAL_IMPORTS:
            del sys.modules[name]


def _import_skill_adapter() -> tuple[types.ModuleType, bool]:
    try:
        return import_module("flask_ask_sdk.skill_adapter"), False
    except Exception as error:
        if not is_oscrypto_failure(error):
            raise
    _forget_partial_imports()
    sys.modules.update(certvalidator_standin())
    return import_module("flask_ask_sdk.skill_adapter"), True


_skill_adapter, used_certvalidator_standin = _import_skill_adapter()
_verifier = import_module("ask_sdk_webservice_support.verifier")

SkillAdapter = _skill_adapter.SkillAdapter
VERIFY_SIGNATURE_APP_CONFIG = _skill_adapter.VERIFY_SIGNATURE_APP_CONFIG
VERIFY_TIMESTAMP_APP_CONFIG = _skill_adapter.VERIFY_TIMESTAMP_APP_CONFIG
AbstractVerifier = _verifier.AbstractVerifier
VerificationException = _verifier.VerificationException
