"""The version diff's header names the versions as a heading does in English: "Version 1", not "version 1"."""

from django.urls import reverse

from kechuang.programmes import definitions, transfer
from kechuang.programmes.models import ProgrammeVersion


def test_the_diff_header_reads_version_n_in_both_languages(client, staff, english):
    version = transfer.import_programme(actor=staff, raw=definitions.read("provincial_rd.json"))
    client.force_login(staff)
    client.post(reverse("programmes:version-action", args=[version.pk]), {"action": "new"})
    newer = ProgrammeVersion.objects.exclude(pk=version.pk).get(programme=version.programme)
    url = reverse("programmes:version-diff", args=[newer.pk])
    zh = client.get(url).content.decode()
    assert f"第 {version.number} 版" in zh and f"第 {newer.number} 版" in zh
    english(client)
    en = client.get(url).content.decode()
    assert f"<th>Version {version.number}</th>" in en and f"<th>version {version.number}</th>" not in en
