"""PAdES signatures (pyHanko): the filing authority signs issued PDFs; anyone can check them.

The key and its certificate chain live in settings.keys_dir (git ignores data/):

    root-ca.pem / root-ca.key   a self-made root: "长沙市住房和城乡建设局 网签备案根证书"
    signing.pem / signing.key   the signing certificate "长沙市住房和城乡建设局 网签备案"

`python -m netsign_console.documents keys` creates them if missing (`make run` / `make test`
do). A production install replaces them with a certificate from a real CA and puts that
CA's root in root-ca.pem: validation trusts exactly that file.

Signatures are PAdES B-B (ETSI.CAdES.detached, SHA-256), invisible: the page text stays
as it was, so pdftotext still finds everything. pyHanko drives asyncio itself, so both
calls run on a worker thread when the caller already has an event loop (Reflex handlers).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import io
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, TypeVar

from netsign_console import settings as config  # read at call time: tests swap config.settings
from netsign_console.errors import UserError

AUTHORITY = "长沙市住房和城乡建设局"
SIGNER_NAME = f"{AUTHORITY} 网签备案"
ROOT_NAME = f"{AUTHORITY} 网签备案根证书"
FIELD_NAME = "NetsignSignature"
FILES = ("root-ca.pem", "root-ca.key", "signing.pem", "signing.key")

T = TypeVar("T")
_lock = threading.Lock()
_cache: dict[object, object] = {}


class SigningUnavailable(UserError):
    """No key or certificate: an installation problem, said in Chinese to whoever clicked."""


def _off_loop(fn: Callable[[], T]) -> T:
    """Run fn here, or on a worker thread if this thread is inside a running event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn).result()


# ------------------------------------------------------------------ keys
def _name(common_name: str):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "湖南省"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, AUTHORITY),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def _key_usage(**on: bool):
    from cryptography import x509

    names = ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
             "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only")
    return x509.KeyUsage(**{n: on.get(n, False) for n in names})


def _write(path: Path, data: bytes, secret: bool) -> None:
    path.write_bytes(data)
    if secret:
        os.chmod(path, 0o600)


def ensure_keys(keys_dir: Path | None = None) -> bool:
    """Create the root and signing certificate if any file is missing. True if it made them."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    folder = Path(keys_dir or config.settings.keys_dir)
    if all((folder / name).is_file() for name in FILES):
        return False
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    now = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=5)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    root = (
        x509.CertificateBuilder().subject_name(_name(ROOT_NAME)).issuer_name(_name(ROOT_NAME))
        .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now).not_valid_after(now + dt.timedelta(days=20 * 365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(key_cert_sign=True, crl_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder().subject_name(_name(SIGNER_NAME)).issuer_name(root.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now).not_valid_after(now + dt.timedelta(days=5 * 365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(digital_signature=True, content_commitment=True), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    pem, pkcs8 = serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8
    _write(folder / "root-ca.pem", root.public_bytes(pem), False)
    _write(folder / "root-ca.key", root_key.private_bytes(pem, pkcs8, serialization.NoEncryption()), True)
    _write(folder / "signing.pem", cert.public_bytes(pem), False)
    _write(folder / "signing.key", key.private_bytes(pem, pkcs8, serialization.NoEncryption()), True)
    with _lock:
        _cache.clear()
    return True


def _load(name: str):
    """Parsed key material, cached per keys folder and file modification time."""
    folder = Path(config.settings.keys_dir)
    path = folder / name
    try:
        stamp = f"{path}:{path.stat().st_mtime_ns}"
    except FileNotFoundError:
        raise SigningUnavailable(f"签章证书不存在（{path}）：请先运行 python -m netsign_console.documents keys") from None
    with _lock:
        if stamp not in _cache:
            from asn1crypto import keys as asn1_keys, pem, x509 as asn1_x509

            _type, _headers, der = pem.unarmor(path.read_bytes())
            _cache[stamp] = (asn1_keys.PrivateKeyInfo.load(der) if name.endswith(".key")
                             else asn1_x509.Certificate.load(der))
        return _cache[stamp]


# ------------------------------------------------------------------ sign
SIGNATURE_BYTES = 16 * 1024
_signer_cls = None


def _private_key():
    """The signing key as a cryptography object, parsed (and its RSA parameters checked) once
    per key file: pyHanko's SimpleSigner re-parses the DER on every signature (~35 ms)."""
    from cryptography.hazmat.primitives import serialization

    info = _load("signing.key")
    with _lock:
        key = _cache.get(("parsed", id(info)))
        if key is None:
            key = serialization.load_der_private_key(info.dump(), password=None)
            _cache[("parsed", id(info))] = key
        return key


def _signer_class():
    """SimpleSigner with the parsed key kept (RSA PKCS#1 v1.5, what our key signs with); other
    mechanisms fall back to pyHanko's own path."""
    global _signer_cls
    if _signer_cls is None:
        from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
        from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
        from pyhanko.sign import signers
        from pyhanko_certvalidator.util import get_pyca_cryptography_hash

        class CachedKeySigner(signers.SimpleSigner):
            def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
                mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
                key = _private_key()
                if mechanism["algorithm"].native != "rsassa_pkcs1v15" or not isinstance(key, RSAPrivateKey):
                    return super().sign_raw(data, digest_algorithm)
                return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))

        _signer_cls = CachedKeySigner
    return _signer_cls


def sign_pdf(pdf_bytes: bytes, *, reason: str, location: str) -> bytes:
    """The PDF with an incremental PAdES B-B signature of the filing authority appended."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    signer = _signer_class()(
        signing_cert=_load("signing.pem"), signing_key=_load("signing.key"),
        cert_registry=SimpleCertificateStore.from_certs([_load("root-ca.pem")]),
    )
    meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, reason=reason, location=location,
                                        subfilter=SigSeedSubFilter.PADES, md_algorithm="sha256", name=SIGNER_NAME)

    def run() -> bytes:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
        # A fixed reservation instead of pyHanko's estimate, which signs a dummy first (a second
        # private-key operation per document); the CMS of a 2-certificate chain is about 4 KB.
        return signers.sign_pdf(writer, meta, signer=signer, bytes_reserved=SIGNATURE_BYTES).getvalue()

    return _off_loop(run)


# ------------------------------------------------------------------ validate
@dataclass(frozen=True)
class SignatureCheck:
    valid: bool  # intact, cryptographically valid, trusted, and nothing appended after it
    intact: bool  # the signed bytes are unchanged
    trusted: bool  # the certificate chains to our root
    signer: str
    signed_at: dt.datetime | None
    message: str  # Chinese, for the verify page


def _common_name(cert) -> str:
    try:
        return cert.subject.native.get("common_name") or cert.subject.human_friendly
    except Exception:  # pragma: no cover - a malformed certificate still gets a verdict
        return ""


def validate_pdf(pdf_bytes: bytes) -> SignatureCheck:
    """Check every signature in the PDF against our root certificate."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    def run() -> SignatureCheck:
        try:
            reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
            signatures = reader.embedded_signatures
        except Exception:
            return SignatureCheck(False, False, False, "", None, "文件无法解析，签章无效")
        if not signatures:
            return SignatureCheck(False, False, False, "", None, "文件没有电子签章")
        context = ValidationContext(trust_roots=[_load("root-ca.pem")])
        checks = []
        for embedded in signatures:
            try:
                status = validate_pdf_signature(embedded, context)
            except Exception:
                return SignatureCheck(False, False, False, "", None, "签章数据损坏，签章无效")
            whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
            checks.append((status, whole))
        status, whole = checks[-1]
        intact = all(s.intact for s, _ in checks)
        trusted = all(s.trusted for s, _ in checks)
        valid = all(s.bottom_line and s.valid for s, _ in checks) and whole and intact and trusted
        if valid:
            message = "电子签章有效，文件签章后未被修改"
        elif not intact:
            message = "电子签章无效：文件内容在签章后被修改"
        elif not trusted:
            message = "电子签章无效：签章证书不是本系统签发"
        elif not whole:
            message = "电子签章无效：签章后文件被追加修改"
        else:
            message = "电子签章无效"
        return SignatureCheck(valid, intact, trusted, _common_name(status.signing_cert),
                              status.signer_reported_dt, message)

    return _off_loop(run)
