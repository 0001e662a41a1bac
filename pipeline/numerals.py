"""Vietnamese numerals as printed in administrative texts.

A dot groups thousands and a comma marks decimals (`3.000` = 3000, `70,5` = 70.5,
`10.052,700` = 10052.7); leading zeros are padding (`05` = 5). A dot followed by a group
that is not three digits is read as a decimal point (`8.5` = 8.5), as some texts print it.
"""
from __future__ import annotations

from functools import lru_cache

import regex

# one numeral: thousands groups and/or a decimal part; never part of a word or a code
NUMBER = regex.compile(r"(?<![\p{L}\d.,/])\d+(?:\.\d{3})*(?:,\d+)?(?:\.\d+)?(?![\d\p{L}])")
_THOUSANDS = regex.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_NUMERAL_CHARS = regex.compile(r"[\d.,]+")
_ENGLISH_THOUSANDS = regex.compile(r"\d{1,3}(?:,\d{3})+")


@lru_cache(maxsize=1 << 16)          # the same cells and figures recur across a corpus
def parse_number(text: str) -> float | None:
    """Float value of a numeral, or None when the text is not one."""
    s = text.strip().replace(" ", "")
    if not s or not _NUMERAL_CHARS.fullmatch(s) or not s[0].isdigit():
        return None
    if "," in s:
        if s.count(",") > 1:                     # "1,200,000": English thousands commas
            return float(s.replace(",", "")) if _ENGLISH_THOUSANDS.fullmatch(s) else None
        whole, frac = s.split(",")
        return float(whole.replace(".", "") + "." + frac) if frac.isdigit() else None
    if "." in s:
        if _THOUSANDS.match(s):
            return float(s.replace(".", ""))
        if s.count(".") == 1:
            return float(s)
        return None
    return float(s)


def scaled(value: float, scale: float) -> float:
    """value x scale without float noise (1,2 triệu = 1 200 000, not 1 199 999.9999)."""
    return float(round(value * scale, 6))
