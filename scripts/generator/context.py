"""What one generation run knows of the parsed document: the state every view and expression reads, in one object
passed around (never module globals), made once per run by `Context.of`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..common.document import Json
from ..common.names import snake_case
from . import oac

if TYPE_CHECKING:
    from ..specprep import Prepared
    from .parsers import UnionPlan

__all__ = ["Context"]


@dataclass
class Context:
    """The prepared spec and openapi-python-client's reading of it, indexed for the templates' helpers."""

    spec: Json  # the prepared spec (specprep.prepare)
    discriminators: dict[frozenset[str], Json]  # declared discriminators, by the $refs of their union's members
    models: dict[str, oac.Property]  # model classes by name (the full model: properties inside may be thin copies)
    json_objects: frozenset[str]  # classes of the free-form placeholder: rendered `dict[str, Any]`, never a class
    enum_modules: dict[str, str]  # enum classes -> their module
    plans: list[tuple[str, UnionPlan]] = field(default_factory=list)  # every union plan, with its module

    @classmethod
    def of(cls, prepared: Prepared, parsed: oac.Parsed) -> Context:
        models = oac.models(parsed)
        json_objects = frozenset(oac.class_name(m) for m in models if oac.schema_name(m) == prepared.json_object)
        return cls(
            spec=prepared.spec,
            discriminators=dict(prepared.discriminators),
            models={oac.class_name(m): m for m in models if oac.class_name(m) not in json_objects},
            json_objects=json_objects,
            enum_modules={oac.class_name(e): oac.module_name(e) for e in oac.enums(parsed)},
        )

    def model(self, prop: oac.Property) -> oac.Property:
        """The full model of a model property."""
        return self.models.get(oac.class_name(prop), prop)

    def is_json_object(self, prop: Any) -> bool:
        """Whether a property is the free-form placeholder (a plain dict, typed as one)."""
        return oac.is_model(prop) and oac.class_name(prop) in self.json_objects

    def props(self, model: oac.Property) -> list[oac.Property]:
        """A model's properties, required ones first."""
        return oac.own_properties(self.model(model))

    def ordered_props(self, model: oac.Property) -> list[oac.Property]:
        """Attribute declaration order: required properties without defaults first (attrs needs that)."""
        props = self.props(model)
        first = [p for p in props if oac.required(p) and oac.default(p) is None]
        rest = [p for p in props if not (oac.required(p) and oac.default(p) is None)]
        return first + rest

    def module_of(self, class_name: str) -> str:
        """The module (in models/) of a model, enum or union alias class."""
        model = self.models.get(class_name)
        if model is not None:
            return oac.module_name(model)
        return self.enum_modules.get(class_name, snake_case(class_name))
