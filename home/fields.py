"""Model fields shared by the apps."""

from django import forms
from django.db import models


class ChoiceListField(models.JSONField):
    """A list of values from a fixed vocabulary, stored as JSON, edited with checkboxes.

    Works the same on SQLite and PostgreSQL, unlike ``ArrayField``.
    """

    def __init__(self, *args, item_choices=(), item_type=str, **kwargs):
        self.item_choices = list(item_choices)
        self.item_type = item_type
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["item_choices"] = self.item_choices
        if self.item_type is not str:
            kwargs["item_type"] = self.item_type
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.item_choices,
            coerce=self.item_type,
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            label=self.verbose_name.capitalize(),
            help_text=self.help_text,
        )

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        allowed = {choice for choice, _label in self.item_choices}
        unknown = [item for item in value or [] if item not in allowed]
        if unknown:
            raise forms.ValidationError(
                "Unknown values: %(values)s",
                code="invalid_choice",
                params={"values": ", ".join(map(str, unknown))},
            )

    def labels(self, values):
        labels = dict(self.item_choices)
        return [labels.get(value, value) for value in values or []]
