"""Sealing and signing a contract PDF (SIGN-12, issue 11 "the filed PDF is signed"):

    pdf = seal_pdf(pdf, {"company": company_png, "legal_rep": legal_rep_png})   # at the template's marks
    pdf = documents.signing.sign_pdf(pdf, reason=..., location=...)          # PAdES, covers the seals

The seals go where the signature page prints "出卖人（盖章）" and "法定代表人（签章）"
(documents/catalog/sale_contract.py SEAL_MARKERS): the company seal over the seller's name below its
label, the legal representative's seal beside the name. A template that lost a mark cannot be
sealed and says so, rather than sealing at a guessed place.
"""

from __future__ import annotations

from collections.abc import Mapping

from netsign_console.documents.catalog.sale_contract import SEAL_MARKERS
from netsign_console.documents.stamping import StampSpec, last_marks, stamp
from netsign_console.errors import UserError

# Seal widths in points (4.2 cm company seal, 2.1 cm personal seal: the usual physical sizes)
# and where the centre sits from the start of the mark's baseline.
SIZES = {"company": 119.0, "legal_rep": 60.0}
OFFSETS = {"company": (85.0, -30.0), "legal_rep": (150.0, -8.0)}


def seal_stamps(pdf_bytes: bytes, images: Mapping[str, bytes]) -> list[StampSpec]:
    marks = last_marks(pdf_bytes, [SEAL_MARKERS[kind] for kind in images])
    stamps = []
    for kind, image in images.items():
        mark = marks.get(SEAL_MARKERS[kind])  # the signature page is the last one to print it
        if mark is None:
            raise UserError(f"合同模板中没有“{SEAL_MARKERS[kind]}”盖章位置，无法盖章，请联系主管部门检查合同模板")
        dx, dy = OFFSETS[kind]
        stamps.append(StampSpec(image=image, page=mark.page, x=mark.x + dx, y=mark.y + dy, size=SIZES[kind]))
    return stamps


def seal_pdf(pdf_bytes: bytes, images: Mapping[str, bytes]) -> bytes:
    """The contract with the developer's seals stamped at their marks (before any signature)."""
    unknown = set(images) - set(SEAL_MARKERS)
    if unknown:
        raise ValueError(f"unknown seal kinds: {sorted(unknown)}")
    return stamp(pdf_bytes, seal_stamps(pdf_bytes, images))
