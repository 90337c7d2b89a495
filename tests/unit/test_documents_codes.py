"""Verification codes: 20 Crockford characters = 100 random bits, unique, not derived from
anything, and forgiving when typed (case, dashes, spaces, O/I/L look-alikes)."""

from __future__ import annotations

import math
from collections import Counter

from netsign_console.documents.codes import ALPHABET, BITS, LENGTH, display_code, new_code, normalize_code


def test_length_alphabet_and_bits():
    assert LENGTH == 20 and len(ALPHABET) == 32 and BITS == 100 >= 80
    for _ in range(200):
        code = new_code()
        assert len(code) == LENGTH and set(code) <= set(ALPHABET)
        assert not set(code) & set("ILOU")


def test_codes_are_unique_and_uniformly_distributed():
    codes = [new_code() for _ in range(20_000)]
    assert len(set(codes)) == len(codes)
    counts = Counter("".join(codes))
    expected = len(codes) * LENGTH / 32
    # Chi-square over 31 degrees of freedom: 99.99th percentile ≈ 72. A biased or
    # sequential generator (a counter, a hash of the number) lands far above.
    chi2 = sum((counts[c] - expected) ** 2 / expected for c in ALPHABET)
    assert chi2 < 72, chi2
    # Every position varies independently: no fixed prefix such as a date or a sequence.
    for position in range(LENGTH):
        assert len({code[position] for code in codes[:2000]}) == 32
    # Shannon entropy per character close to log2(32) = 5 bits.
    total = sum(counts.values())
    entropy = -sum(n / total * math.log2(n / total) for n in counts.values())
    assert entropy > 4.99


def test_typed_codes_are_normalised():
    code = new_code()
    shown = display_code(code)
    assert shown.count("-") == 4 and shown.replace("-", "") == code
    assert normalize_code(shown.lower()) == code
    assert normalize_code(" " + " ".join(shown.split("-")) + " ") == code
    assert normalize_code("O0I1L" + "0" * 15) == "00111" + "0" * 15
    for bad in ("", None, "ABC", "U" * 20, "A" * 21, "<script>" * 3, "A" * 100):
        assert normalize_code(bad) is None
