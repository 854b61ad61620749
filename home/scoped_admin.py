"""Admin views that list objects, held to what each user may see (home.admin_scope).

Wagtail's page choosers, its bulk-action confirmation pages, its page types
usage report, its snippet choosers and list filters, and wagtail-localize's
snippet API list objects without asking whose they are. Here each of them lists
only what ``home.admin_scope`` lets the user see:

- ``urlpatterns`` replace Wagtail's page chooser, bulk actions and page types
  usage report at their own addresses (``cms/urls.py`` puts them first);
- ``ScopedSnippetViewSet`` is the base of every snippet viewset: its chooser
  lists and returns only the user's objects, and its list filters offer only
  them;
- ``ScopedSnippetsAPIViewSet`` answers at wagtail-localize's snippet API
  (``home/wagtail_hooks.py``);
- ``scoped_list_filter`` does the same for wagtail-modeladmin's list filters.
"""

import functools

from django.apps import apps
from django.contrib.admin import RelatedFieldListFilter
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.http import Http404
from django.urls import path, reverse
from django.views.decorators.cache import never_cache

from wagtail.admin.auth import require_admin_access
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views import chooser as page_chooser
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.models import Page
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
    SnippetCreateView,
)
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail.utils.urlpatterns import decorate_urlpatterns

import django_filters
from wagtail_localize.views import snippets_api

from .admin_scope import (
    explorable_pages,
    hide_draft_title,
    holds_content,
    in_scope,
    listable_pages,
    visible_instances,
)

# --- List filters -----------------------------------------------------------------


class ScopedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """Offers only the objects the user may see."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request is None:
            return queryset.none()
        return in_scope(queryset, request.user)


class ScopedModelMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request is None:
            return queryset.none()
        return in_scope(queryset, request.user)


class ScopedFilterSet(WagtailFilterSet):
    """Offer in Wagtail's filter sets only the pages and snippets the user may see.

    Wagtail's filter sets, whose filters on a page or a snippet offer only those the
    user may see.
    """

    SCOPED_FILTERS = {
        django_filters.ModelChoiceFilter: ScopedModelChoiceFilter,
        django_filters.ModelMultipleChoiceFilter: ScopedModelMultipleChoiceFilter,
    }

    @classmethod
    def filter_for_lookup(cls, field, lookup_type):
        filter_class, params = super().filter_for_lookup(field, lookup_type)
        if field.is_relation and holds_content(field.related_model):
            filter_class = cls.SCOPED_FILTERS.get(filter_class, filter_class)
        return filter_class, params


class ScopedRelatedFieldListFilter(RelatedFieldListFilter):
    """Django's (and wagtail-modeladmin's) relation filter, offering the user's."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        related = in_scope(field.related_model._default_manager.all(), request.user)
        return field.get_choices(
            include_blank=False,
            ordering=ordering,
            limit_choices_to={"pk__in": related.values("pk")},
        )


def scoped_list_filter(model, list_filter):
    """Offer in a modeladmin filter only the pages and snippets the user may see.

    A modeladmin ``list_filter`` whose filters on a page or a snippet offer only
    those the user may see.
    """
    scoped = []
    for item in list_filter:
        if isinstance(item, str):
            field = get_fields_from_path(model, item)[-1]
            if field.is_relation and holds_content(field.related_model):
                item = (item, ScopedRelatedFieldListFilter)
        scoped.append(item)
    return tuple(scoped)


# --- Snippets: choosers and listings ------------------------------------------------


class ScopedChooserMixin:
    """A snippet chooser listing and returning only the objects the user may see."""

    def scoped(self):
        return visible_instances(self.model_class, self.request.user)

    def get_object_list(self):
        return self.scoped()

    def get_object(self, pk):
        try:
            return self.scoped().get(pk=pk)
        except (ValueError, ValidationError) as error:
            raise self.model_class.DoesNotExist from error

    def get_objects(self, pks):
        try:
            return list(self.scoped().filter(pk__in=pks))
        except (ValueError, ValidationError):
            return []


class ScopedCreateView(SnippetCreateView):
    """The chooser's "create" tab exists only where a creation form is set."""

    def dispatch(self, request, *args, **kwargs):
        if self.get_creation_form_class() is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


def scoped_view_class(base):
    return type(base.__name__, (ScopedChooserMixin, base), {"__module__": __name__})


class ScopedSnippetChooserViewSet(SnippetChooserViewSet):
    choose_view_class = scoped_view_class(ChooseView)
    choose_results_view_class = scoped_view_class(ChooseResultsView)
    chosen_view_class = scoped_view_class(SnippetChosenView)
    chosen_multiple_view_class = scoped_view_class(SnippetChosenMultipleView)
    create_view_class = ScopedCreateView


class ScopedSnippetIndexView(SnippetIndexView):
    base_filterset_class = ScopedFilterSet


class ScopedSnippetViewSet(SnippetViewSet):
    """The base of every snippet viewset of the platform."""

    chooser_viewset_class = ScopedSnippetChooserViewSet
    index_view_class = ScopedSnippetIndexView


class ScopedSnippetsAPIViewSet(snippets_api.SnippetViewSet):
    """wagtail-localize's snippet API (its editor's snippet choosers)."""

    def get_queryset(self):
        return visible_instances(self.get_model(), self.request.user)


# --- Bulk actions ---------------------------------------------------------------------


class ScopedBulkAction(BulkAction):
    """A bulk action's confirmation lists only what the user may see.

    Wagtail lists every object asked for (``?id=all`` is every object of the
    model, or every child of ``childOf``), those the user may not act on under
    "you don't have permission"; here the others are not named at all, and a
    request that names none of the user's objects is answered 404. It comes
    right above ``BulkAction`` in each action's MRO, so that what an action
    does with the objects (the move's checks of the destination) starts from
    the user's objects only.
    """

    def get_actionable_objects(self):
        try:
            objects, extra = super().get_actionable_objects()
        except (ObjectDoesNotExist, ValueError, ValidationError) as error:
            raise Http404 from error
        refused = list(extra["items_with_no_access"])
        visible = set(
            visible_instances(self.model, self.request.user)
            .filter(pk__in=[obj.pk for obj in [*objects, *refused]])
            .values_list("pk", flat=True)
        )
        objects = [obj for obj in objects if obj.pk in visible]
        refused = [obj for obj in refused if obj.pk in visible]
        if not objects and not refused:
            raise Http404
        return objects, {**extra, "items_with_no_access": refused}


@functools.cache
def scoped_bulk_action_class(action_class):
    return type(
        action_class.__name__,
        (action_class, ScopedBulkAction),
        {"__module__": __name__},
    )


def bulk_action(request, app_label, model_name, action):
    """Wagtail's bulk-action dispatcher, with each action held to the user's scope."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as error:
        raise Http404 from error
    action_class = bulk_action_registry.get_bulk_action_class(
        app_label, model_name, action
    )
    if action_class is None:
        raise Http404
    return scoped_bulk_action_class(action_class)(request, model).dispatch(request)


# --- Page chooser ---------------------------------------------------------------------


class ScopedPageTitleColumn(page_chooser.PageTitleColumn):
    def get_cell_context_data(self, instance, parent_context):
        hide_draft_title(instance, parent_context["request"].user)
        return super().get_cell_context_data(instance, parent_context)


class ScopedParentPageColumn(page_chooser.ParentPageColumn):
    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        hide_draft_title(context["value"], parent_context["request"].user)
        return context


SCOPED_COLUMNS = {
    page_chooser.PageTitleColumn: ScopedPageTitleColumn,
    page_chooser.ParentPageColumn: ScopedParentPageColumn,
}


class ScopedColumnsMixin:
    """Show in Wagtail's chooser columns a page the user may not explore by title.

    Wagtail's chooser columns, showing a page the user may not explore under its
    published title. (Which pages are listed: the
    ``construct_page_chooser_queryset`` hook in home/wagtail_hooks.py.)
    """

    @property
    def columns(self):
        columns = super().columns
        for column in columns:
            # The same column, rendered by the subclass that hides draft titles.
            column.__class__ = SCOPED_COLUMNS.get(type(column), type(column))
        return columns


class ScopedBrowseView(ScopedColumnsMixin, page_chooser.BrowseView):
    def get_object_list(self):
        # Called once the parent page is known: it must be one the user may see.
        parent = self.parent_page
        visible = listable_pages(self.request.user, Page.objects.filter(pk=parent.pk))
        if not parent.is_root() and not visible.exists():
            raise Http404
        return super().get_object_list()


class ScopedSearchView(ScopedColumnsMixin, page_chooser.SearchView):
    pass


class ScopedChosenMultipleView(page_chooser.ChosenMultipleView):
    def get(self, request):
        try:
            pks = [int(pk) for pk in request.GET.getlist("id")]
        except ValueError as error:
            raise Http404 from error
        pages = listable_pages(request.user, Page.objects.filter(pk__in=pks))
        result = [
            {
                "id": page.pk,
                "parentId": page.get_parent().pk,
                "adminTitle": hide_draft_title(
                    page, request.user
                ).get_admin_display_title(),
                "editUrl": reverse("wagtailadmin_pages:edit", args=(page.pk,)),
                "url": page.url,
            }
            for page in pages.specific()
        ]
        return self.render_chosen_response(result)


# --- Page types usage report ----------------------------------------------------------


class ScopedPageTypesUsageReportView(PageTypesUsageReportView):
    """Counts and the latest edited page of each type, among the user's pages."""

    def get_queryset(self):
        pages = Page.objects.filter(pk__in=explorable_pages(self.request.user))
        queryset = ContentType.objects.filter(model__in=self.page_models)
        page_content_type = ContentType.objects.get_for_model(Page)
        if not pages.filter(depth__gt=1, content_type=page_content_type).exists():
            queryset = queryset.exclude(id=page_content_type.id)
        self.queryset = queryset
        queryset = self.filter_queryset(queryset)

        cleaned = self.filters.form.cleaned_data
        latest_filter = {}
        count_filter = Q(pages__in=pages)
        if language_code := cleaned.get("page_locale"):
            latest_filter["locale__language_code"] = language_code
            count_filter &= Q(pages__locale__language_code=language_code)
        if site_root_path := cleaned.get("site"):
            latest_filter["path__startswith"] = site_root_path
            count_filter &= Q(pages__path__startswith=site_root_path)
        latest_edited = pages.filter(
            content_type=OuterRef("pk"), **latest_filter
        ).order_by(
            F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk"
        )
        queryset = queryset.annotate(
            count=Count("pages", filter=count_filter),
            last_edited_page_id=Subquery(latest_edited.values("pk")[:1]),
        )
        return queryset.order_by("-count", "app_label", "model")


# --- Addresses ----------------------------------------------------------------------

urlpatterns = [
    path("bulk/<str:app_label>/<str:model_name>/<str:action>/", bulk_action),
    path("choose-page/", ScopedBrowseView.as_view()),
    path("choose-page/<int:parent_page_id>/", ScopedBrowseView.as_view()),
    path("choose-page/search/", ScopedSearchView.as_view()),
    path("choose-page/chosen-multiple/", ScopedChosenMultipleView.as_view()),
    path(
        "reports/page-types-usage/",
        ScopedPageTypesUsageReportView.as_view(),
    ),
    path(
        "reports/page-types-usage/results/",
        ScopedPageTypesUsageReportView.as_view(results_only=True),
    ),
]
decorate_urlpatterns(urlpatterns, require_admin_access)
decorate_urlpatterns(urlpatterns, never_cache)
