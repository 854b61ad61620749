"""Model fields shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .validators import single_line


class ChoiceListField(models.JSONField):
    """A list of values from a fixed vocabulary, stored as JSON.

    Works the same on SQLite and PostgreSQL, unlike ``ArrayField``. ``item_choices``
    may be a callable (resolved when used, so it can follow the active language).
    Edited with checkboxes, or with the given ``widget``.
    """

    def __init__(self, *args, item_choices=(), item_type=str, widget=None, **kwargs):
        self.item_choices = item_choices
        self.item_type = item_type
        self.widget = widget
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def get_item_choices(self):
        choices = self.item_choices
        return list(choices() if callable(choices) else choices)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        choices = self.item_choices
        kwargs["item_choices"] = choices if callable(choices) else list(choices)
        if self.item_type is not str:
            kwargs["item_type"] = self.item_type
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.get_item_choices,
            coerce=self.item_type,
            required=not self.blank,
            widget=self.widget or forms.CheckboxSelectMultiple,
            label=self.verbose_name.capitalize(),
            help_text=self.help_text,
        )

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        allowed = {choice for choice, _label in self.get_item_choices()}
        unknown = [item for item in value or [] if item not in allowed]
        if unknown:
            raise ValidationError(
                _("Unknown values: %(values)s"),
                code="invalid_choice",
                params={"values": ", ".join(map(str, unknown))},
            )

    def labels(self, values):
        labels = dict(self.get_item_choices())
        return [labels.get(value, value) for value in values or []]


def recipient_language_field(help_text, verbose_name=None):
    """Store the visitor's interface language with what they sent.

    The interface language of the visitor who sent something, stored with it so that
    the e-mails about it are written in that language (home.mail).
    """
    return models.CharField(
        verbose_name or _("language"),
        max_length=15,
        blank=True,
        editable=False,
        help_text=help_text,
    )


class SingleLineCharField(models.CharField):
    """A CharField of one line of text.

    Control characters are refused (see home.validators), by model validation, so
    every ModelForm and admin form built on it refuses them with a field error.

    Validation only: the column is a CharField's, and migrations see one.
    """

    default_validators = [single_line]

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs
