"""Legacy Vietnamese font encodings (TCVN3/ABC, VNI): detect them and convert to Unicode.

Old documents typed with .VnTime (TCVN3) or VNI-Times fonts store Vietnamese letters as
Latin-1 characters: "Céng hoµ x· héi" is TCVN3 for "Cộng hoà xã hội", "Coäng hoøa" is VNI.
The tables are data (`pipeline/data/legacy_fonts.json`). Detection counts characters that
Unicode Vietnamese never uses; conversion is applied line by line, skipping lines that hold
a genuine Unicode Vietnamese letter, so a document mixing both survives.
"""
from __future__ import annotations

import re
from functools import lru_cache

import regex

from .lexicon import lexicon

# a genuine Unicode Vietnamese letter beyond Latin-1 (ă đ ơ ư ĩ ũ and the Latin Extended Additional block);
# stdlib `re`: a plain character class, scanned 3x faster than with `regex`
_UNICODE_VI = re.compile(r"[ăĂđĐơƠưƯĩĨũŨ\u1EA0-\u1EF9]")
_LINE = regex.compile(r"[^\n]*\n?")
MIN_SIGNS = 5          # fewer signature characters than this is noise (a "µ" in "µg/l")
MIN_SHARE = 0.5        # of the Vietnamese-looking characters, this share must be legacy signs


@lru_cache(maxsize=1)
def _tables():
    data = lexicon("legacy_fonts")
    vni = data["vni"]
    # longest key first so "ôø" (ờ) wins over "ô" (ơ)
    vni_re = regex.compile("|".join(regex.escape(k) for k in sorted(vni, key=len, reverse=True)))
    tcvn_signs, vni_signs = frozenset(data["signatures"]["tcvn3"]), frozenset(data["signatures"]["vni"])
    # one scan finds the signature characters of both encodings
    signs_re = re.compile("[" + re.escape(signature_chars()) + "]")
    return str.maketrans(data["tcvn3"]), vni, vni_re, tcvn_signs, vni_signs, signs_re


def signature_chars() -> str:
    """Every signature character of either legacy encoding."""
    signatures = lexicon("legacy_fonts")["signatures"]
    return "".join(sorted(set(signatures["tcvn3"]) | set(signatures["vni"])))


def detect(text: str) -> str | None:
    """'tcvn3', 'vni' or None (Unicode or plain ASCII)."""
    _, _, _, tcvn_signs, vni_signs, signs_re = _tables()
    signs = signs_re.findall(text)
    if len(signs) < MIN_SIGNS:
        return None         # neither encoding can reach MIN_SIGNS
    n_tcvn = sum(1 for c in signs if c in tcvn_signs)
    n_vni = sum(1 for c in signs if c in vni_signs)
    if n_tcvn < MIN_SIGNS and n_vni < MIN_SIGNS:
        return None         # the Unicode letters need not be counted
    n_unicode = len(_UNICODE_VI.findall(text))
    if n_tcvn >= MIN_SIGNS and n_tcvn >= MIN_SHARE * (n_tcvn + n_unicode):
        return "tcvn3"
    if n_vni >= MIN_SIGNS and n_vni >= MIN_SHARE * (n_vni + n_unicode):
        return "vni"
    return None


def convert(text: str, encoding: str) -> str:
    """Convert the legacy-encoded lines of `text` to Unicode (NFC); Unicode lines are kept."""
    tcvn, vni, vni_re = _tables()[:3]
    out = []
    for line in _LINE.findall(text):
        if _UNICODE_VI.search(line):
            out.append(line)
        elif encoding == "tcvn3":
            out.append(line.translate(tcvn))
        else:
            out.append(vni_re.sub(lambda m: vni[m.group()], line))
    return "".join(out)


def fix_legacy(text: str) -> tuple[str, str | None]:
    """(text converted to Unicode, the legacy encoding found or None)."""
    found = detect(text)
    return (convert(text, found), found) if found else (text, None)
