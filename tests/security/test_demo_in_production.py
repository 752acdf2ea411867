"""The demo and the generated data stay out of production (session 15's attacker review): `kechuang demo`
makes the accounts `staff`, `commissioner`, … with the password printed in the README, and `kechuang gendata`
makes thousands with another printed one (and `--flush` empties the database first); both ran with the
production settings as anywhere else, so one command typed on the wrong server gave anyone the staff role
(the second factor required in production is set up by whoever signs in first). With the production
settings both now refuse unless KECHUANG_DEMO_DATA=1 says the site is a demonstration."""

import json
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from .test_headers import PROD_ENV, _base_env


@pytest.mark.django_db
@pytest.mark.parametrize("command, args", [("demo", ["--no-migrate"]), ("gendata", ["--scale", "test"])])
def test_the_demo_and_generated_data_are_refused_where_the_settings_say_so(settings, command, args):
    settings.KECHUANG_DEMO_DATA = False
    with pytest.raises(CommandError) as refused:
        call_command(command, *args)
    assert "KECHUANG_DEMO_DATA" in str(refused.value)
    assert not get_user_model().objects.exists()  # not even the admin


def _prod_value(**env) -> object:
    code = "from kechuang.settings import prod as s; import json; print(json.dumps(s.KECHUANG_DEMO_DATA))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**_base_env(), **PROD_ENV, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)


def test_production_settings_refuse_demo_data_unless_a_demonstration_site_says_so():
    assert _prod_value() is False
    assert _prod_value(KECHUANG_DEMO_DATA="1") is True


def test_development_and_test_settings_keep_the_demo(settings):
    assert settings.KECHUANG_DEMO_DATA is True
