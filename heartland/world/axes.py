"""The axes of the regional system: who influences whom, in which domain.

Every array in the world, measure and simulate stages is laid out on these axes, in
this order: ``(..., patron, target, domain)``; a leading axis (ensemble runs, years)
may precede them. Country codes are ISO 3166-1 alpha-3 (checked against pycountry);
the European Union, not a country, uses the World Bank/Eurostat aggregate code ``EUU``.
"""

from __future__ import annotations

import pycountry

#: Outside powers whose influence is measured, in array order.
PATRONS: tuple[str, ...] = ("CHN", "RUS", "USA", "EUU", "TUR", "IND")
#: The five Central Asian states, in array order.
TARGETS: tuple[str, ...] = ("KAZ", "KGZ", "TJK", "TKM", "UZB")
#: Domains of ties, in array order.
DOMAINS: tuple[str, ...] = ("security", "economy", "connectivity", "politics", "society")

NON_ISO_CODES = {"EUU": "European Union"}


def actor_name(code: str) -> str:
    """English short name of an actor code, from pycountry for states."""
    if code in NON_ISO_CODES:
        return NON_ISO_CODES[code]
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        raise KeyError(f"unknown actor code {code!r}")
    return getattr(country, "common_name", None) or country.name


def index_of(axis: tuple[str, ...], code: str) -> int:
    try:
        return axis.index(code)
    except ValueError:
        raise KeyError(f"{code!r} is not one of {', '.join(axis)}") from None
