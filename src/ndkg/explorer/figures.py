"""Numbers of the graph written as people write them: ``3–29%``, ``6–12 weeks``,
``14.2% (209/1469)``, and a statistic as a sentence (:func:`sentence`).

>>> figure(minimum=3.0, maximum=29.0, unit="percent")
'3–29%'
>>> figure(minimum="26.0", maximum="26.0", unit="week")
'26 weeks'
>>> figure(value="14.2", unit="percent", numerator="209", denominator="1469")
'14.2% (209/1469)'
>>> sentence("prevalence", "breast milk leakage", "lactating women",
...          "at some point during their breastfeeding journey", minimum="50", maximum="80",
...          unit="percent")
... # doctest: +NORMALIZE_WHITESPACE
'Prevalence of breast milk leakage: 50–80% of lactating women, at some point during their
 breastfeeding journey.'
>>> sentence("typical time by which most leaking resolves", "breast milk leakage",
...          "lactating women", "", minimum=3, maximum=4, unit="month")
'Typical time by which most leaking resolves (breast milk leakage): 3–4 months, in lactating women.'

An approximate figure says "about"; a risk names its outcome:

>>> sentence("prevalence", "D-MER", "lactating women", "", value="14.2", unit="percent",
...          numerator=209, denominator=1469, approximate=True)
'Prevalence of D-MER: about 14.2% (209/1469) of lactating women.'
>>> sentence("risk of underlying malignancy", "pathologic nipple discharge",
...          "people with pathologic nipple discharge", "", minimum=3, maximum=29,
...          unit="percent", outcome="underlying breast malignancy")
... # doctest: +NORMALIZE_WHITESPACE
'Pathologic nipple discharge: 3–29% risk of underlying breast malignancy, in people with
 pathologic nipple discharge.'
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

Number = str | float | int | Decimal | None

PERCENT = ("percent", "%", "per cent")


def number(value: Number) -> str:
    """``value`` without trailing zeros: ``3.0`` is ``3``, ``14.20`` is ``14.2``.

    >>> number(26.0), number("0.50"), number(1e6)
    ('26', '0.5', '1000000')
    """
    if value is None:
        return ""
    try:
        exact = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return format(exact.normalize(), "f")


def _unit(unit: str, plural: bool) -> str:
    if unit.lower() in PERCENT:
        return "%"
    if plural and unit and not unit.endswith("s") and unit.isalpha():
        return f" {unit}s"
    return f" {unit}" if unit else ""


def figure(
    value: Number = None, minimum: Number = None, maximum: Number = None, unit: str = "",
    numerator: Number = None, denominator: Number = None,
) -> str:
    """A value or a range with its unit, and a count when there is one."""
    high: Number
    if value is not None:
        text, high = number(value), value
    elif minimum is not None and maximum is not None:
        low, high_text = number(minimum), number(maximum)
        text = low if low == high_text else f"{low}–{high_text}"
        high = maximum
    else:
        high = minimum if minimum is not None else maximum
        text = number(high)
    plural = number(high) != "1"
    text += _unit(unit, plural)
    if numerator is not None and denominator is not None:
        text += f" ({number(numerator)}/{number(denominator)})"
    return text


def sentence(
    measure: str, about: str, population: str, time_point: str, *,
    approximate: bool = False, outcome: str = "", **values: Number | str,
) -> str:
    """A statistic as a sentence: what is measured, about what, the figure ("about" it when it
    is approximate), among whom, when; a figure with an outcome (a risk) names the outcome."""
    unit = str(values.pop("unit", "") or "")
    written = ("about " if approximate else "") + figure(unit=unit, **values)
    when = f", {time_point}" if time_point else ""
    if outcome:
        kind = measure.split(" of ")[0] if " of " in measure else measure
        among = f", in {population}" if population else ""
        return f"{_capital(about)}: {written} {kind} of {outcome}{among}{when}."
    if unit.lower() in PERCENT:
        head = f"{_capital(measure)} of {about}: {written}"
        among = f" of {population}" if population else ""
    else:
        head = f"{_capital(measure)} ({about}): {written}"
        among = f", in {population}" if population else ""
    return f"{head}{among}{when}."


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
