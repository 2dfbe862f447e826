"""ORCID iDs: read one as a person writes it, check its check digit, name it by its IRI.

An ORCID iD is 16 characters in four groups (``0000-0002-1825-0097``); the last is a check
digit over the other fifteen by ISO/IEC 7064 MOD 11-2, ``X`` standing for 10. ORCID names a
person by the IRI ``https://orcid.org/`` followed by the iD.

>>> orcid_iri("0000-0002-1825-0097")
'https://orcid.org/0000-0002-1825-0097'
>>> orcid_iri("https://orcid.org/0000-0002-1694-233x")
'https://orcid.org/0000-0002-1694-233X'
>>> orcid_iri("0000-0002-1825-0096")
Traceback (most recent call last):
...
ValueError: '0000-0002-1825-0096' is not a valid ORCID iD: its check digit is 6, not 7.
"""

from __future__ import annotations

import re

ORCID = "https://orcid.org/"
"""The namespace of ORCID's IRIs for people."""

_FORM = re.compile(r"^(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$", re.IGNORECASE)


def check_digit(digits: str) -> str:
    """The ISO/IEC 7064 MOD 11-2 check digit of the fifteen ``digits`` of an ORCID iD.

    >>> check_digit("000000021825009")
    '7'
    """
    total = 0
    for digit in digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def orcid_iri(text: str) -> str:
    """The IRI of the ORCID iD written in ``text``: the bare iD (``0000-0002-1825-0097``) or
    its IRI; a lower-case ``x`` is read as ``X``.

    :raises ValueError: if ``text`` is not an ORCID iD, or its check digit is wrong.
    """
    found = _FORM.match(text.strip())
    if found is None:
        raise ValueError(
            f"{text!r} is not an ORCID iD: write its 16 characters in four groups, as in "
            "0000-0002-1825-0097."
        )
    identifier = found.group(1).upper()
    digits = identifier.replace("-", "")
    expected = check_digit(digits[:15])
    if digits[15] != expected:
        raise ValueError(
            f"{text!r} is not a valid ORCID iD: its check digit is {digits[15]}, not {expected}."
        )
    return ORCID + identifier
