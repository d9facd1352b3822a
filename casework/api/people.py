"""People: the list (a name in any spelling or script, through casework.search, as the
people page's PersonFilter), recording a new person (New case's person form and its
possible-duplicates warning, casework.people.person_create), one person with their
aliases and changing their facts (the person form, casework.people.person_update), and one person as a FollowTheMoney entity (casework.exchange)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework import status as http_status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.base import ERRORS, ERRORS_LIST, ERRORS_READ, ERRORS_WRITE
from casework.api.preconditions import (
    ETAG_ON_READ,
    ETAG_ON_WRITE,
    IF_MATCH,
    PATCH_ONCE_RECORDED,
    PRECONDITION_FAILED,
    SET_BY_ADVOCASE,
    edited_meanwhile_response,
    if_match_stamp,
    sent_fields_check,
    with_etag,
)
from casework.api.serializers import (
    DuplicatesSerializer,
    FtmEntitySerializer,
    PersonCreateRequestSerializer,
    PersonSerializer,
    PersonUpdateRequestSerializer,
)
from casework.api.writes import (
    OrganisationForm,
    duplicates_response,
    form_data_over,
    forms_check,
    request_object,
)
from casework.cases import people_possible_duplicates
from casework.exchange import person_ftm_entity
from casework.filters import PersonFilter
from casework.forms import NewPersonForm, PersonForm
from casework.models import Person
from casework.people import (
    PERSON_EDITABLE_FIELDS,
    PERSON_SENSITIVE_FIELDS,
    person_create,
    person_update,
)
from casework.permissions import person_for_user, user_sees_sensitive_fields
from casework.visibility import people_visible_to
from common.edit_stamps import EditedMeanwhile


def _hidden(show_sensitive: bool) -> tuple[str, ...]:
    return () if show_sensitive else PERSON_SENSITIVE_FIELDS


def person_stamp_names(*, show_sensitive: bool) -> tuple[str, ...]:
    """The fields of the person form (casework.forms.PersonForm) as the user has it: what
    the person's ETag stamps."""
    hidden = _hidden(show_sensitive)
    return tuple(name for name in (*PERSON_EDITABLE_FIELDS, "affiliations") if name not in hidden)


@extend_schema(tags=["people"])
class PersonList(generics.ListAPIView):
    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    cursor_ordering = ("full_name", "id")

    def get_queryset(self) -> QuerySet[Person]:
        return people_visible_to(self.request.user).prefetch_related("aliases")

    @extend_schema(responses={200: PersonSerializer(many=True), **ERRORS_LIST})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=PersonCreateRequestSerializer,
        responses={
            201: PersonSerializer,
            409: DuplicatesSerializer,
            **{code: ERRORS for code in (400, 401, 403, 429)},
        },
    )
    def post(self, request: Request, *args, **kwargs) -> Response:
        """Record a person, as New case's person form does; a name that matches people on
        file answers 409 with them, unless `confirm_not_duplicate` is true."""
        sent = request_object(request)
        hidden = _hidden(user_sees_sensitive_fields(request.user))
        sent_fields_check(
            sent=sent,
            writable=set(PersonCreateRequestSerializer().fields) - set(hidden),
            readable=PersonSerializer.Meta.fields,
            hidden=hidden,
            where=lambda name: str(
                PATCH_ONCE_RECORDED
                if name in person_stamp_names(show_sensitive=True)
                else SET_BY_ADVOCASE
            ),
        )
        person_form = NewPersonForm(sent, prefix=None)
        organisation_form = OrganisationForm(sent, user=request.user)
        forms_check(("", person_form), ("", organisation_form))
        if sent.get("confirm_not_duplicate") is not True:
            data = person_form.cleaned_data
            duplicates = people_possible_duplicates(
                people=people_visible_to(request.user),
                names=[data["full_name"], data.get("native_name", "")],
            )
            if duplicates:
                return duplicates_response(duplicates, context=self.get_serializer_context())
        person = person_create(
            organisation=organisation_form.chosen(), by=request.user, **person_form.cleaned_data
        )
        person = person_for_user(request.user, person.pk, prefetch_related=("aliases",))
        serializer = PersonSerializer(person, context=self.get_serializer_context())
        return Response(serializer.data, status=http_status.HTTP_201_CREATED)


@extend_schema(tags=["people"])
class PersonDetail(generics.RetrieveAPIView):
    serializer_class = PersonSerializer

    def get_object(self) -> Person:
        return person_for_user(self.request.user, self.kwargs["pk"], prefetch_related=("aliases",))

    @extend_schema(parameters=[ETAG_ON_READ], responses={200: PersonSerializer, **ERRORS_READ})
    def get(self, request, *args, **kwargs):
        """The person, with their ETag (the stamp of the fields PATCH changes) for If-Match."""
        person = self.get_object()
        names = person_stamp_names(show_sensitive=user_sees_sensitive_fields(request.user))
        response = Response(self.get_serializer(person).data)
        return with_etag(response, instance=person, names=names)

    @extend_schema(
        request=PersonUpdateRequestSerializer,
        parameters=[IF_MATCH, ETAG_ON_WRITE],
        responses={200: PersonSerializer, **ERRORS_WRITE, **PRECONDITION_FAILED},
    )
    def patch(self, request: Request, pk: int) -> Response:
        """Change the person's facts, as their edit page does (casework.people.person_update);
        fields left out keep their value. A field it does not take answers 400 (a read-only
        one sent back unchanged is taken); with If-Match, a person changed since answers
        412 naming the fields, and nothing is written."""
        person = person_for_user(
            request.user, pk, for_change=True, prefetch_related=("affiliations",)
        )
        sent = request_object(request)
        show_sensitive = user_sees_sensitive_fields(request.user)
        names = person_stamp_names(show_sensitive=show_sensitive)
        context = {"request": request}
        sent_fields_check(
            sent=sent,
            writable=names,
            readable=PersonSerializer.Meta.fields,
            hidden=_hidden(show_sensitive),
            stored=lambda: PersonSerializer(self.get_object(), context=context).data,
        )
        stamp = if_match_stamp(request, instance=person, names=names)
        if isinstance(stamp, Response):
            return stamp
        shown = PersonForm(instance=person, show_sensitive=show_sensitive)
        form = PersonForm(
            form_data_over(shown, sent), instance=person, show_sensitive=show_sensitive
        )
        forms_check(("", form))
        fields = dict(form.cleaned_data)
        try:
            person_update(
                person=person,
                by=request.user,
                affiliations=fields.pop("affiliations"),
                stamp=stamp,
                **fields,
            )
        except EditedMeanwhile as meanwhile:
            return edited_meanwhile_response(meanwhile)
        written = self.get_object()
        response = Response(PersonSerializer(written, context=context).data)
        return with_etag(response, instance=written, names=names)


@extend_schema(tags=["people"])
class PersonFtm(APIView):
    @extend_schema(
        operation_id="people_ftm_retrieve", responses={200: FtmEntitySerializer, **ERRORS_READ}
    )
    def get(self, request: Request, pk: int) -> Response:
        """The person as a FollowTheMoney `Person` entity (the format of OpenSanctions and
        Aleph): names, aliases, birth, gender, occupation, region; never a sensitive field."""
        person = person_for_user(request.user, pk, prefetch_related=("aliases",))
        return Response(person_ftm_entity(person=person))
