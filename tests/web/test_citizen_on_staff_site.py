"""A citizen who opens the staff site is sent to the H5: no password to change, no 管辖范围 of their own."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def as_citizen(citizen):
    client = Client()
    client.force_login(citizen, backend="suban.accounts.backends.CitizenSmsBackend")
    return client


def test_the_start_page_sends_a_citizen_to_the_h5(cast):
    response = as_citizen(cast.cindy).get("/")
    assert response.status_code == 302 and response["Location"] == "/h5/"


def test_a_citizen_has_no_password_to_change(cast):
    client = as_citizen(cast.cindy)
    response = client.get("/password/")
    assert response.status_code == 302 and response["Location"] == "/h5/"
    refused = client.get("/console/", follow=True).content.decode()
    assert "/password/" not in refused


def test_staff_keep_their_start_page_and_password_change(login, cast):
    client = login(cast.alice)
    page = client.get("/").content.decode()
    assert "/password/" in page
    assert client.get("/password/").status_code == 200
