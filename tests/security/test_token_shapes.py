"""Every token a URL or the API takes, mutated (truncated, case-flipped, padded, a character changed, another
kind's token in its place) or expired, is refused with a 4xx, and the answer does not tell whether the token
it was made from exists: the same mutation of a token that never existed gets the same answer (docs/security.md
§20). The shapes are the URL confs' token parameters (accounts: `password/reset/<uidb64>/<token>/` for reset
links and invitations, `register/confirm/<token>/`, `email/confirm/<token>/`; documents: `verify/<code>/`) and
the API's `Authorization: Token <key>`; `test_every_token_parameter_is_covered` fails on a new one."""

import datetime
import json
import re
import secrets

import pytest
from django.core import signing
from django.urls import get_resolver
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kechuang.accounts import services
from kechuang.accounts.links import invitation_tokens
from kechuang.accounts.models import ApiToken, User
from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)

# A URL parameter that carries a secret or a code handed out by the platform (not an object's id or an
# action's name): each must be covered below.
TOKEN_PARAMETERS = {
    ("accounts:password-reset-confirm", "token"),
    ("accounts:password-reset-confirm", "uidb64"),
    ("accounts:register-confirm", "token"),
    ("accounts:email-change-confirm", "token"),
    ("documents:verify", "code"),
    ("api:documents-verify", "code"),
}
NOT_TOKENS = {"pk", "action", "kind", "key", "name", "code_or_pk", "slug", "year", "region"}


def _walk(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if hasattr(entry, "url_patterns"):
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _walk(entry, ns)
        elif entry.name:
            yield f"{prefix}{entry.name}", entry.pattern.regex.groupindex.keys()


def test_every_token_parameter_is_covered():
    """Parameters named like a secret (token, code, uid, key, signature) are the shapes tested here."""
    found = set()
    for name, params in _walk(get_resolver()):
        for param in params:
            if re.search(r"token|uid|sign|secret|hash|code$", param) and param not in NOT_TOKENS:
                found.add((name, param))
    indicator_codes = {
        n for n in found if "indicator" in n[0]
    }  # an indicator's public code (the page and the API)
    assert found - indicator_codes == TOKEN_PARAMETERS


# --- the mutations: each a function of a token, the same one applied to a live token and to one never issued


def _mutation():
    return st.one_of(
        st.tuples(st.just("truncate"), st.floats(min_value=0, max_value=0.999)),
        st.tuples(st.just("flip"), st.lists(st.integers(0, 200), min_size=1, max_size=6)),
        st.tuples(
            st.just("pad"), st.sampled_from(["=", "==", "0", "a", "%3D", ".", "-", ":", "+"]), st.booleans()
        ),
        st.tuples(st.just("replace"), st.integers(0, 200), st.sampled_from("0aZ_-:.~x9")),
        st.tuples(st.just("double"), st.just(None)),
    )


def _apply(mutation, token: str) -> str:
    kind, *args = mutation
    if kind == "truncate":
        return token[: int(len(token) * args[0])]
    if kind == "flip":
        letters = [i for i, c in enumerate(token) if c.isalpha()]
        chars = list(token)
        for i in args[0]:
            if letters:
                j = letters[i % len(letters)]
                chars[j] = chars[j].swapcase()
        return "".join(chars)
    if kind == "pad":
        pad, before = args
        return pad + token if before else token + pad
    if kind == "replace":
        i, ch = args
        i %= max(len(token), 1)
        return token[:i] + ch + token[i + 1 :]
    return token + token


def _main(response, *hide: str) -> str:
    text = response.content.decode()
    if "<main" in text:
        text = text[text.index("<main") : text.index("</main>")]
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    for word in sorted(hide, key=len, reverse=True):
        if word:
            text = text.replace(word, "…")
    return text


# --- the shapes: a live token, one of the same shape never issued, and how a client presents it


@pytest.fixture
def person(make_user):
    user = make_user(Role.APPLICANT, email="person@example.cn", full_name="王敏")
    user.last_login = timezone.now()
    user.save()
    return user


def _uid(pk) -> str:
    return urlsafe_base64_encode(force_bytes(pk))


def _reset_path(token):
    uid, key = token.split("/", 1) if "/" in token else ("MQ", token)
    return f"/accounts/password/reset/{uid}/{key}/"


def _shapes(person):
    """Each shape: a live token, one never issued, the page's path for a token, and the method that acts
    (a reset link's page is read with GET; the confirmations act on POST)."""
    from django.contrib.auth.tokens import default_token_generator

    registrant = User.objects.create(
        username="registrant", email="registrant@example.cn", email_unconfirmed=True, is_active=False
    )
    User.objects.filter(pk=person.pk).update(email_new="new@example.cn")
    person.refresh_from_db()
    ghost = 10**8
    return {
        "reset": (
            f"{_uid(person.pk)}/{default_token_generator.make_token(person)}",
            f"{_uid(ghost)}/{default_token_generator.make_token(person)}",
            _reset_path,
            "get",
        ),
        "invitation": (
            f"{_uid(person.pk)}/{invitation_tokens.make_token(person)}",
            f"{_uid(ghost)}/{invitation_tokens.make_token(person)}",
            _reset_path,
            "get",
        ),
        "registration": (
            services.units.registration_address_token(registrant),
            signing.dumps({"u": ghost, "e": "ghost@example.cn"}, salt=services.units.ADDRESS_SALT),
            lambda token: f"/accounts/register/confirm/{token}/",
            "post",
        ),
        "address change": (
            services.address_change_token(person),
            signing.dumps(
                {"u": ghost, "e": "ghost@example.cn", "o": "o@example.cn"},
                salt=services.address_change.CHANGE_SALT,
            ),
            lambda token: f"/accounts/email/confirm/{token}/",
            "post",
        ),
    }


def _client(person, shape):
    """The address change's link wants its person signed in; the others are opened signed out (signing in
    would spend a reset link)."""
    from django.test import Client

    client = Client()
    if shape == "address change":
        client.force_login(person)
    return client


SHAPES = ["reset", "invitation", "registration", "address change"]


@pytest.mark.parametrize("shape", SHAPES)
def test_a_mutated_link_is_refused_as_one_never_issued(person, shape):
    live, ghost, path, method = _shapes(person)[shape]
    client = _client(person, shape)
    assert client.get(path(live)).status_code in (200, 302)  # the live link is good (GET changes nothing)

    @EXAMPLES
    @given(mutation=_mutation())
    def check(mutation):
        bad, other = _apply(mutation, live), _apply(mutation, ghost)
        if bad == live or not bad.strip("/"):
            return
        a, b = getattr(client, method)(path(bad)), getattr(client, method)(path(other))
        assert 400 <= a.status_code < 500, (shape, mutation, bad, a.status_code)
        assert a.status_code == b.status_code and _main(a, bad) == _main(b, other), (shape, mutation)

    check()
    person.refresh_from_db()
    assert person.email == "person@example.cn"  # nothing was confirmed
    assert User.objects.get(username="registrant").email_unconfirmed


@pytest.mark.parametrize("shape", SHAPES)
def test_another_kinds_token_is_refused(person, shape):
    shapes = _shapes(person)
    client = _client(person, shape)
    _live, ghost, path, method = shapes[shape]
    act = getattr(client, method)
    unknown = act(path(ghost))
    api_key = services.token_issue(actor=person, user=person, access="read")[1]
    for other, (token, _ghost, _path, _method) in shapes.items():
        if other == shape or {other, shape} == {
            "reset",
            "invitation",
        }:  # one page takes both (accounts.links)
            continue
        for candidate in {token, token.split("/")[-1], api_key}:
            if "/" in candidate and "/" not in ghost:
                continue  # no such URL (404): a token of this shape has no slash
            r = act(path(candidate))
            assert 400 <= r.status_code < 500 and r.status_code == unknown.status_code, (shape, other)
            assert _main(r, candidate) == _main(unknown, ghost), (shape, other)


@pytest.mark.parametrize("shape", SHAPES)
def test_an_expired_link_answers_as_an_unknown_one(person, shape, settings):
    live, ghost, path, method = _shapes(person)[shape]
    client = _client(person, shape)
    settings.PASSWORD_RESET_TIMEOUT = -1
    settings.KECHUANG_INVITATION_TIMEOUT = -1
    expired, unknown = getattr(client, method)(path(live)), getattr(client, method)(path(ghost))
    assert expired.status_code == unknown.status_code == 400
    assert _main(expired, live) == _main(unknown, ghost)


# --- the API's token


def _api(client, key, path="/api/me/"):
    return client.get(path, HTTP_AUTHORIZATION=f"Token {key}")


def test_a_mutated_api_token_is_refused_as_one_never_issued(client, person):
    _token, live = services.token_issue(actor=person, user=person, access="read")
    ghost = secrets.token_hex(20)
    assert _api(client, live).status_code == 200

    @EXAMPLES
    @given(mutation=_mutation())
    def check(mutation):
        bad, other = _apply(mutation, live), _apply(mutation, ghost)
        if bad == live:
            return
        a, b = _api(client, bad), _api(client, other)
        assert a.status_code == 401, (mutation, bad, a.status_code)
        assert (a.status_code, a.json()) == (b.status_code, b.json()), mutation

    check()


def test_other_kinds_and_an_expired_api_token_are_refused(client, person):
    token, live = services.token_issue(actor=person, user=person, access="read")
    unknown = _api(client, secrets.token_hex(20))
    for other in _shapes(person).values():
        for candidate in (other[0], other[0].split("/")[-1]):
            r = _api(client, candidate)
            assert (r.status_code, r.json()) == (unknown.status_code, unknown.json())
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    expired = _api(client, live)
    # the design (docs/adr/0010) tells the key's holder why it stopped working: 401 with the reason
    assert expired.status_code == 401 and "过期" in json.dumps(expired.json(), ensure_ascii=False)


# --- the documents' verification code (public by design: printed on the document as a QR code)


def test_a_mutated_verification_code_finds_nothing_else(client, settings):
    from kechuang.documents.services import CODE_ALPHABET, normalise_code

    settings.KECHUANG_VERIFY_RATE = 10**6
    ghost = "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(4))
    unknown = client.get(f"/documents/verify/{ghost}/", follow=True)
    assert unknown.status_code == 404

    @EXAMPLES
    @given(mutation=_mutation())
    def check(mutation):
        bad = _apply(mutation, ghost)
        if not bad.strip("/") or "/" in bad or "%" in bad:
            return
        r = client.get(f"/documents/verify/{bad}/", follow=True)
        api = client.get(f"/api/documents/verify/{bad}/")
        # read case- and separator-blind by design (a code typed off paper): either the same code or none
        assert r.status_code == 404 or normalise_code(bad) == ghost, (mutation, bad, r.status_code)
        assert api.status_code == 404 or normalise_code(bad) == ghost, (mutation, bad, api.status_code)

    check()
