"""`check --deploy` warns when KECHUANG_SITE_URL, written into official documents' QR codes and verification
links and into every e-mailed link, is not the site's public https:// address (docs/security.md §16)."""

import pytest

from kechuang.core.checks import SITE_URL_HOST, SITE_URL_HTTPS, site_url_check

HOSTS = ["kechuang.example.org"]


@pytest.mark.parametrize(
    ("url", "warning"),
    [
        ("http://127.0.0.1:8000", SITE_URL_HTTPS),  # the default, left in production
        ("http://kechuang.example.org", SITE_URL_HTTPS),
        ("", SITE_URL_HTTPS),
        ("kechuang.example.org", SITE_URL_HTTPS),
        ("https://127.0.0.1", SITE_URL_HOST),
        ("https://localhost:8443", SITE_URL_HOST),
        ("https://[::1]/", SITE_URL_HOST),
        ("https://other.example.org", SITE_URL_HOST),
    ],
)
def test_a_site_url_people_cannot_trust_or_reach_is_a_deploy_warning(settings, url, warning):
    settings.KECHUANG_SITE_URL = url
    settings.ALLOWED_HOSTS = HOSTS
    assert [w.id for w in site_url_check()] == [warning]


@pytest.mark.parametrize("url", ["https://kechuang.example.org", "https://kechuang.example.org:8443/"])
def test_the_public_https_address_passes(settings, url):
    settings.KECHUANG_SITE_URL = url
    settings.ALLOWED_HOSTS = HOSTS
    assert site_url_check() == []


def test_a_wildcard_in_allowed_hosts_is_matched_as_django_matches_it(settings):
    settings.KECHUANG_SITE_URL = "https://kechuang.example.org"
    settings.ALLOWED_HOSTS = [".example.org"]
    assert site_url_check() == []


def test_it_runs_only_with_deploy():
    from django.core.checks import registry

    assert site_url_check in registry.registry.get_checks(include_deployment_checks=True)
    assert site_url_check not in registry.registry.get_checks(include_deployment_checks=False)
