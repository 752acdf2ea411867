"""Django in this process against a loaded database, for the benchmark scripts that measure pages with the
test client (profile_split.py, profile_calls.py, queries.py, page_sizes.py): one set-up, so that they measure
the same configuration.

    from inprocess import setup, signed_in_clients, endpoints, poster
"""

import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
ROLES = ("staff", "commissioner", "expert", "operator", "applicant")


def setup(database_url: str, *, src: str | None = None, compressed_static: bool = True) -> None:
    """Production settings on `database_url` with the code in `src` (this checkout's by default; another
    worktree's to compare): no HTTPS redirect, no second factor for staff, static files without the manifest
    (no collectstatic: a dictionary lookup in production; `compressed_static` as whitenoise serves them)."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="kechuang.settings.prod",
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        DATABASE_URL=database_url,
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="false",
        KECHUANG_OTP_REQUIRED_FOR_STAFF="0",
    )
    sys.path.insert(0, src or str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings

    backend = (
        "whitenoise.storage.CompressedStaticFilesStorage"
        if compressed_static
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": backend}}


def signed_in_clients() -> dict:
    """A test client for each role, signed in as `kechuang gendata`'s gd_<role>, and an anonymous one."""
    from django.test import Client

    from kechuang.accounts.models import User

    clients = {"anonymous": Client()}
    for role in ROLES:
        c = Client()
        c.force_login(User.objects.get(username=f"gd_{role}"))
        clients[role] = c
    return clients


def endpoints(keys: str) -> list:
    """run.py's endpoints (its keys, comma-separated, or "all"), chosen from the database as run.py does;
    /healthz/ left out."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import run

    wanted = None if keys == "all" else set(keys.split(","))
    return [
        ep
        for ep in run.pick_endpoints(dict(os.environ))
        if ep.key != "healthz" and (wanted is None or ep.key in wanted)
    ]


def poster(client, post):
    """The review save as run.py sends it: the first review's form with its current version (302 on success)."""
    from kechuang.review.models import Review

    rid = post["ids"][0][0]
    state = {"version": Review.objects.filter(pk=rid).values_list("version", flat=True).get()}

    def request():
        body = post["body"].replace("{version}", str(state["version"]))
        response = client.post(
            post["path"].replace("{id}", str(rid)), body, content_type="application/x-www-form-urlencoded"
        )
        if response.status_code == 302:  # saved: the next save sends the next version
            state["version"] += 1
        return response

    return request


def request_for(client, ep):
    """A function that makes the endpoint's request once (the review save POSTs, the rest GET)."""
    return poster(client, ep.post) if ep.post else (lambda: client.get(ep.path))
