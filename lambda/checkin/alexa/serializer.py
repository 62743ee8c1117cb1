"""ask-sdk's DefaultSerializer, with the work it repeats on every request done once per container.

For each model in an envelope, DefaultSerializer imports the model's class by its dotted name,
rebuilds the class's attribute map, and parses the request's timestamp with dateutil's general
parser; writing the response, it rebuilds every attribute map again. That was over half of a
warm request's time. This subclass walks the same way and builds the same objects and the same
JSON, but resolves each class once, plans each model's fields once, and reads Alexa's strict
ISO 8601 timestamps with the standard library. Anything else goes to ask-sdk's own code.

The tests hold it to that: every request and response in the suite is also read and written by
DefaultSerializer and must come out the same (tests/serializer_check.py). The overridden
methods are DefaultSerializer's private ones, reached by their mangled names; ask-sdk-core is
pinned, and tests/test_serializer.py fails if a new version renames them.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer


def _ask_sdk(name: str) -> Any:
    """One of DefaultSerializer's private methods, by its mangled name."""
    return getattr(DefaultSerializer, f"_DefaultSerializer__{name}")


_SDK_DESERIALIZE = _ask_sdk("deserialize")
_SDK_LOAD_CLASS = _ask_sdk("load_class_from_name")
_SDK_DATETIME = _ask_sdk("deserialize_datetime")
_SDK_MODEL = _ask_sdk("deserialize_model")
_SDK_DISCRIMINATE = _ask_sdk("get_obj_by_discriminator")
_PRIMITIVES = frozenset(DefaultSerializer.PRIMITIVE_TYPES)
_UNSEEN = object()
# What Alexa sends: "2026-11-26T21:00:00Z", or with fractions of a second or an offset.
_ALEXA_TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})")


# What DefaultSerializer.serialize turns into JSON before it looks for a model's fields.
_NOT_MODELS = (*DefaultSerializer.PRIMITIVE_TYPES, list, tuple, dict, date, datetime, Enum,
               Decimal, type(None))


class _ModelPlan:
    """One model class's fields, resolved once: (attribute, payload key, declared type)."""

    __slots__ = ("discriminated", "fields", "payload_keys")

    def __init__(self, model: type) -> None:
        types = model.deserialized_types
        names = dict(getattr(model, "attribute_map", {}))
        names.update({attr: attr for attr in types if attr not in names})
        self.fields = tuple((attr, key, types[attr]) for attr, key in names.items())
        self.payload_keys = frozenset(names.values())
        self.discriminated = hasattr(model, "get_real_child_model")


class FastSerializer(DefaultSerializer):
    """DefaultSerializer with class lookups, model plans and timestamps made cheap."""

    def __init__(self) -> None:
        self._classes: dict[str, Any] = {}
        self._plans: dict[type, _ModelPlan | None] = {}
        self._outputs: dict[type, tuple[tuple[str, str], ...] | None] = {}
        self._types: dict[str, Any] = {}  # declared type name -> type; None for containers

    def serialize(self, obj: Any) -> Any:
        fields = self._output_fields(type(obj))
        if fields is None:  # not a model: ask-sdk's rules, which call back here for children
            return super().serialize(obj)
        serialized = {}
        for attr, key in fields:
            value = getattr(obj, attr)
            if value is not None:
                serialized[key] = self.serialize(value)
        return serialized

    def _DefaultSerializer__deserialize(self, payload: Any, obj_type: Any) -> Any:
        if payload is None:
            return None
        if isinstance(obj_type, str):
            resolved = self._types.get(obj_type, _UNSEEN)
            if resolved is _UNSEEN:
                resolved = self._resolve(obj_type)
            if resolved is None:  # "list[...]" and "dict(...)" are split by ask-sdk
                return _SDK_DESERIALIZE(self, payload, obj_type)
            obj_type = resolved
        if type(payload) is obj_type and obj_type in _PRIMITIVES:
            return payload  # what ask-sdk's cast would give back
        return _SDK_DESERIALIZE(self, payload, obj_type)

    def _resolve(self, type_name: str) -> Any:
        if type_name.startswith(("list[", "dict(")):
            resolved = None
        elif type_name in self.NATIVE_TYPES_MAPPING:
            resolved = self.NATIVE_TYPES_MAPPING[type_name]
        else:
            resolved = self._DefaultSerializer__load_class_from_name(type_name)
        self._types[type_name] = resolved
        return resolved

    def _DefaultSerializer__load_class_from_name(self, class_name: str) -> Any:
        found = self._classes.get(class_name)
        if found is None:
            found = _SDK_LOAD_CLASS(self, class_name)
            self._classes[class_name] = found
        return found

    def _DefaultSerializer__deserialize_datetime(self, payload: Any, obj_type: Any) -> Any:
        if obj_type is datetime and isinstance(payload, str) \
                and _ALEXA_TIMESTAMP.fullmatch(payload):
            return datetime.fromisoformat(payload)
        return _SDK_DATETIME(self, payload, obj_type)

    def _DefaultSerializer__deserialize_model(self, payload: Any, obj_type: Any) -> Any:
        plan = self._plan(obj_type)
        if plan is None or not isinstance(payload, dict):
            return _SDK_MODEL(self, payload, obj_type)
        try:
            if plan.discriminated:  # as ask-sdk does: resolve the subclass once, then fill it
                obj_type = _SDK_DISCRIMINATE(self, payload, obj_type)
                plan = self._plan(obj_type)
            read = self._DefaultSerializer__deserialize
            model = obj_type()
            for attr, key, declared in plan.fields:
                if key in payload:
                    setattr(model, attr, read(payload[key], declared))
            for key in payload:
                if key not in plan.payload_keys:
                    setattr(model, key, payload[key])
            return model
        except Exception as error:  # ask-sdk reports every failure here the same way
            raise SerializationException(str(error)) from error

    def _output_fields(self, kind: type) -> tuple[tuple[str, str], ...] | None:
        """A model class's (attribute, output key) pairs; None for what ask-sdk handles first."""
        try:
            return self._outputs[kind]
        except KeyError:
            pass
        fields = None
        if not issubclass(kind, _NOT_MODELS) and hasattr(kind, "deserialized_types"):
            names = getattr(kind, "attribute_map", {})
            fields = tuple((attr, names.get(attr, attr)) for attr in kind.deserialized_types)
        self._outputs[kind] = fields
        return fields

    def _plan(self, obj_type: Any) -> _ModelPlan | None:
        try:
            return self._plans[obj_type]
        except KeyError:
            pass
        except TypeError:  # unhashable: leave it to ask-sdk
            return None
        is_model = isinstance(obj_type, type) and not issubclass(obj_type, Enum) \
            and obj_type not in (date, datetime) and hasattr(obj_type, "deserialized_types")
        plan = _ModelPlan(obj_type) if is_model else None
        self._plans[obj_type] = plan
        return plan
