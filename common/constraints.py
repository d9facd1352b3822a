"""Check constraints reported on the field they are about.

Django reports a violated check constraint as "Constraint “name” is violated." for the
whole form, naming neither the field nor the problem. A model listing its constraints in
`constraint_fields` (constraint name -> field, message) has each reported on that field,
in words; the constraint stays the one rule, checked here and by the database."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models, router


class ConstraintsOnFields(models.Model):
    constraint_fields: ClassVar[dict[str, tuple[str, Any]]] = {}

    class Meta:
        abstract = True

    def validate_constraints(self, exclude: Any = None) -> None:
        exclude = set(exclude or ())
        using = router.db_for_write(type(self), instance=self)
        errors: dict[str, Any] = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                named = self.constraint_fields.get(constraint.name)
                if named is None:
                    continue
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError:
                    field, message = named
                    errors.setdefault(field, []).append(
                        ValidationError(message, code=constraint.name)
                    )
        # The others, as Django checks them, leaving out the fields already refused.
        try:
            super().validate_constraints(exclude=exclude | set(errors))
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
