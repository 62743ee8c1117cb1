"""Python values <-> DynamoDB attribute values, for the few types the skill stores.

str, int, bool, None, list/tuple and dict with str keys. Floats are refused: numbers are
written as exact N strings, and every number the skill keeps is a whole one.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any


def encode(value: Any) -> dict[str, Any]:
    """One Python value as a DynamoDB attribute value."""
    # bool first: it is a subclass of int.
    if isinstance(value, bool):
        return {"BOOL": value}
    if value is None:
        return {"NULL": True}
    if isinstance(value, int):
        return {"N": str(value)}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, list | tuple):
        return {"L": [encode(v) for v in value]}
    if isinstance(value, dict):
        return {"M": encode_item(value)}
    raise TypeError(f"cannot store {type(value).__name__} in DynamoDB (floats are refused)")


def encode_item(values: dict[str, Any]) -> dict[str, Any]:
    """A dict of attributes, as in PutItem's Item."""
    encoded = {}
    for key, value in values.items():
        if not isinstance(key, str):
            raise TypeError(f"attribute names must be str, not {type(key).__name__}")
        encoded[key] = encode(value)
    return encoded


def decode(attribute: dict[str, Any]) -> Any:
    """One DynamoDB attribute value as a Python value."""
    (kind, raw), = attribute.items()
    if kind == "S":
        return raw
    if kind == "N":
        return _number(raw)
    if kind == "BOOL":
        return bool(raw)
    if kind == "NULL":
        return None
    if kind == "L":
        return [decode(v) for v in raw]
    if kind == "M":
        return decode_item(raw)
    raise TypeError(f"unsupported DynamoDB type {kind}")


def decode_item(item: dict[str, Any]) -> dict[str, Any]:
    return {key: decode(value) for key, value in item.items()}


def _number(raw: str) -> int | Decimal:
    # Whole numbers are all we write; anything else written by hand stays exact.
    try:
        return int(raw)
    except ValueError:
        number = Decimal(raw)
        return int(number) if number == number.to_integral_value() else number
