"""Read the organisation: cycles, units, people, projects, and who is calling."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Path, Router

from okrflow.api.endpoints.common import PageQuery, answers, member_access, page
from okrflow.api.pagination import page_of
from okrflow.api.schemas import (
    CycleOut,
    CyclePage,
    MeOut,
    PersonOut,
    PersonPage,
    ProjectOut,
    ProjectPage,
    UnitOut,
    UnitPage,
)
from okrflow.cycles.models import Cycle
from okrflow.front.params import MAX_ID
from okrflow.org.access import access_for
from okrflow.org.models import OrgUnit, Person, Project

router = Router(tags=["organisation"])
ID = Path(..., ge=1, le=MAX_ID)


def person_out(person: Person) -> dict[str, Any]:
    return {
        "id": person.pk,
        "full_name": person.full_name,
        "job_title": person.job_title,
        "unit_id": person.unit_id,
        "manager_id": person.manager_id,
        "username": person.user.get_username(),
    }


@router.get("/me", response=answers(MeOut), summary="Who is calling")
def me(request: HttpRequest) -> dict[str, Any]:
    access = access_for(request.user)
    token = getattr(request, "api_token", None)
    person = access.person
    return {
        "person": person_out(person) if person is not None else None,
        "role": access.role,
        "token_scope": token.scope if token is not None else None,
    }


@router.get("/cycles", response=answers(CyclePage), summary="List cycles")
def list_cycles(request: HttpRequest, params: PageQuery) -> dict[str, Any]:
    member_access(request)
    rows, cursor = page_of(Cycle.objects.all(), params.cursor, params.limit)
    return page(rows, cursor)


@router.get("/cycles/{cycle_id}", response=answers(CycleOut), summary="Read a cycle")
def get_cycle(request: HttpRequest, cycle_id: int = ID) -> Cycle:
    member_access(request)
    return Cycle.objects.get(pk=cycle_id)


@router.get("/units", response=answers(UnitPage), summary="List units")
def list_units(request: HttpRequest, params: PageQuery) -> dict[str, Any]:
    member_access(request)
    rows, cursor = page_of(OrgUnit.objects.all(), params.cursor, params.limit)
    return page(rows, cursor)


@router.get("/units/{unit_id}", response=answers(UnitOut), summary="Read a unit")
def get_unit(request: HttpRequest, unit_id: int = ID) -> OrgUnit:
    member_access(request)
    return OrgUnit.objects.get(pk=unit_id)


@router.get("/people", response=answers(PersonPage), summary="List people")
def list_people(request: HttpRequest, params: PageQuery) -> dict[str, Any]:
    member_access(request)
    rows, cursor = page_of(Person.objects.select_related("user"), params.cursor, params.limit)
    return page((person_out(person) for person in rows), cursor)


@router.get("/people/{person_id}", response=answers(PersonOut), summary="Read a person")
def get_person(request: HttpRequest, person_id: int = ID) -> dict[str, Any]:
    member_access(request)
    return person_out(Person.objects.select_related("user").get(pk=person_id))


@router.get("/projects", response=answers(ProjectPage), summary="List projects")
def list_projects(request: HttpRequest, params: PageQuery) -> dict[str, Any]:
    member_access(request)
    rows, cursor = page_of(Project.objects.all(), params.cursor, params.limit)
    return page(rows, cursor)


@router.get("/projects/{project_id}", response=answers(ProjectOut), summary="Read a project")
def get_project(request: HttpRequest, project_id: int = ID) -> Project:
    member_access(request)
    return Project.objects.get(pk=project_id)
