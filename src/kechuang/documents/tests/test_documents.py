"""Official documents: each one's text, the verification round trip, a changed byte, a superseded version."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role
from kechuang.documents import pdf, services
from kechuang.documents.models import DocumentKind, OfficialDocument

from .world import project

pytestmark = [
    pytest.mark.django_db,
    # only where PDFs cannot be made here; the reason says what is missing (WeasyPrint, Pango or CJK fonts)
    pytest.mark.skipif(bool(pdf.unavailable_reason()), reason=str(pdf.unavailable_reason()) or "-"),
]


def text_of(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "".join(page.extract_text() for page in reader.pages).replace("\n", "").replace(" ", "")


def stored(doc: OfficialDocument) -> bytes:
    with doc.file.open("rb") as fh:
        return fh.read()


@pytest.fixture
def world():
    return project()


def test_each_document_says_what_the_project_records(world, staff):
    contract, payment, experts = world
    texts = {}
    for kind in DocumentKind:
        doc = services.document_issue(
            actor=staff,
            contract=contract,
            kind=kind,
            payment=payment if kind == DocumentKind.PAYMENT else None,
        )
        data = stored(doc)
        assert data.startswith(b"%PDF-") and doc.sha256 == services.sha256(data) and doc.size == len(data)
        texts[kind] = text_of(data)
        assert doc.code.replace("-", "") in texts[kind].replace("-", ""), kind  # the code is printed
        assert "/documents/verify/" in texts[kind]
    unit = "晋阳碳化硅材料有限公司"
    notice = texts[DocumentKind.NOTICE]
    assert unit in notice and "予以立项" in notice and contract.code in notice
    assert "同意立项，重点考核8英寸衬底量产" in notice  # the decision's own words
    book = texts[DocumentKind.CONTRACT]
    for needle in (
        "晶圆直径",
        "微管密度",
        "中试线",
        "量产",
        "设备费",
        "300万元",  # an amount as the pages write it, not 3000000.00 under a （元） heading
        "550万元",
        "甲方",
        "乙方",
        "项目负责人（签字）",
        "李工",
    ):
        assert needle in book, needle
    sheet = texts[DocumentKind.REVIEW]
    assert "专家一" in sheet and "专家二" in sheet and "技术路线可行" in sheet and "技术先进性" in sheet
    for e in experts:  # anonymous: neither the experts' names nor their internal comments
        assert e.last_name not in sheet
    assert "内部意见" not in sheet
    acceptance = texts[DocumentKind.ACCEPTANCE]
    assert "验收证书" in acceptance and "同意通过验收" in acceptance and "达标" in acceptance
    pay = texts[DocumentKind.PAYMENT]
    assert "第1期" in pay and "300万元" in pay and unit in pay


def test_the_fonts_are_the_official_faces_debian_has(world, staff):
    contract, _payment, _experts = world
    doc = services.document_issue(actor=staff, contract=contract, kind=DocumentKind.NOTICE)
    from pypdf import PdfReader

    fonts = set()
    for page in PdfReader(io.BytesIO(stored(doc))).pages:
        for f in page["/Resources"]["/Font"].values():
            fonts.add(str(f.get_object()["/BaseFont"]))
    families = pdf.cjk_fonts()
    if "AR PL UMing CN" in families:  # the body face when fonts-arphic-uming is installed
        assert any("UMing" in f for f in fonts), fonts
    if "WenQuanYi Zen Hei" in families:
        assert any("WenQuanYi" in f for f in fonts), fonts


def test_verification_round_trip_and_a_changed_byte(world, staff, client_for):
    contract, _payment, _experts = world
    doc = services.document_issue(actor=staff, contract=contract, kind=DocumentKind.CONTRACT)
    public = client_for(None)
    page = public.get(reverse("documents:verify", args=[doc.code]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "真实有效：现行版本" in body and contract.code in body and doc.sha256 in body
    data = stored(doc)
    same = public.post(
        reverse("documents:verify", args=[doc.code]), {"file": SimpleUploadedFile("a.pdf", data)}
    )
    assert "文件一致" in same.content.decode() and "不是原件" not in same.content.decode()
    changed = bytearray(data)
    changed[len(changed) // 2] ^= 0x01
    other = public.post(
        reverse("documents:verify", args=[doc.code]), {"file": SimpleUploadedFile("a.pdf", bytes(changed))}
    )
    assert "文件不一致：不是原件" in other.content.decode()
    # without the code: found by the file's digest, or not at all
    found = public.post(reverse("documents:verify-file"), {"file": SimpleUploadedFile("b.pdf", data)})
    assert "真实有效：现行版本" in found.content.decode() and doc.code in found.content.decode()
    lost = public.post(
        reverse("documents:verify-file"), {"file": SimpleUploadedFile("b.pdf", bytes(changed))}
    )
    assert "未找到" in lost.content.decode() and doc.code not in lost.content.decode()


def test_an_unknown_code_is_not_found_and_a_typed_code_is_normalised(client_for):
    public = client_for(None)
    r = public.get(reverse("documents:verify", args=["ZZZZ-ZZZZ-ZZZZ-ZZZZ"]))
    assert r.status_code == 404 and "不存在" in r.content.decode()
    r = public.get("/documents/verify/abcd0000efgh1111/")
    assert r.status_code == 302 and r["Location"].endswith("/documents/verify/ABCD-0000-EFGH-1111/")
    assert public.get("/documents/verify/---/").status_code == 404  # nothing left of it: not found


def test_a_program_sent_to_verification_is_refused_with_400(client_for):
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
    r = client_for(None).post(reverse("documents:verify-file"), {"file": SimpleUploadedFile("x.pdf", exe)})
    assert r.status_code == 400 and "可执行程序" in r.content.decode()


def test_reissuing_needs_a_reason_and_supersedes(world, staff, client_for):
    contract, _payment, _experts = world
    first = services.document_issue(actor=staff, contract=contract, kind=DocumentKind.NOTICE)
    with pytest.raises(ApplicationError) as refused:
        services.document_issue(actor=staff, contract=contract, kind=DocumentKind.NOTICE)
    assert refused.value.code == "reason_required"
    second = services.document_issue(
        actor=staff, contract=contract, kind=DocumentKind.NOTICE, reason="更正单位名称"
    )
    first.refresh_from_db()
    assert (second.version, first.superseded_by_id) == (2, second.pk) and second.code != first.code
    assert first.sha256 != second.sha256
    page = client_for(None).get(reverse("documents:verify", args=[first.code])).content.decode()
    assert "已作废：该版本已被替代" in page and second.code in page and "第2版" in page
    assert "真实有效" not in page
    assert AuditEvent.objects.filter(action="document.supersede", object_id=str(first.pk)).exists()
    assert (
        AuditEvent.objects.filter(action="document.issue", object_id=str(second.pk)).get().reason
        == "更正单位名称"
    )


def test_documents_are_refused_when_the_project_lacks_what_they_state(staff):
    contract, payment, _experts = project(reviews=0, acceptance=False, payment_status="planned")
    for kind, code in (
        ("review_sheet", "no_reviews"),
        ("acceptance", "no_acceptance"),
        ("payment", "payment_not_approved"),
    ):
        with pytest.raises(ApplicationError) as refused:
            services.document_issue(actor=staff, contract=contract, kind=kind, payment=payment)
        assert refused.value.code == code
    assert not OfficialDocument.objects.exists()


def test_only_staff_issue_and_only_who_sees_the_project_downloads(world, staff, make_user, client_for):
    contract, _payment, _experts = world
    with pytest.raises(PermissionDenied):
        services.document_issue(actor=contract.commissioner, contract=contract, kind="notice")
    url = reverse("documents:issue", args=[contract.pk, "notice"])
    assert client_for(contract.leader).post(url).status_code == 403
    staff_client = client_for(staff)
    confirm = staff_client.get(url)
    assert confirm.status_code == 200 and "确认出具" in confirm.content.decode()
    r = staff_client.post(url)
    assert r.status_code == 302
    doc = OfficialDocument.objects.get()
    download = reverse("documents:download", args=[doc.pk])
    for user, status in ((staff, 200), (contract.leader, 200), (contract.commissioner, 200)):
        response = client_for(user).get(download)
        assert response.status_code == status
        assert response["Content-Disposition"].startswith("attachment;")
        assert b"".join(response.streaming_content) == stored(doc)
    stranger = make_user(Role.APPLICANT, unit=None)
    assert client_for(stranger).get(download).status_code == 404
    assert client_for(None).get(download).status_code == 302  # to sign in
    page = staff_client.get(contract.get_absolute_url()).content.decode()
    assert doc.code in page and "重新出具" in page


def test_reissue_without_reason_keeps_the_page_with_400(world, staff, client_for):
    contract, _payment, _experts = world
    services.document_issue(actor=staff, contract=contract, kind="task_book")
    url = reverse("documents:issue", args=[contract.pk, "task_book"])
    r = client_for(staff).post(url, {"reason": ""})
    assert r.status_code == 400 and "请填写重新出具的理由" in r.content.decode()
    assert OfficialDocument.objects.count() == 1


def test_the_verification_page_is_rate_limited(settings, client_for, one_window):
    from django.core.cache import cache

    cache.clear()
    settings.KECHUANG_VERIFY_RATE = 3
    public = client_for(None)
    codes = [public.get(reverse("documents:verify-file")).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    r = public.get(reverse("documents:verify", args=["ZZZZ-ZZZZ-ZZZZ-ZZZZ"]))
    assert r.status_code == 429 and int(r["Retry-After"]) >= 1


def test_a_document_is_in_chinese_whatever_language_the_issuer_reads(world, staff):
    from django.utils import translation

    contract, _payment, _experts = world
    challenge = (
        contract.challenge
    )  # its English name is a rendering for English pages, not the document's words
    challenge.title_en = "Silicon carbide substrates"
    challenge.save(update_fields=["title_en"])
    with translation.override("en"):
        doc = services.document_issue(actor=staff, contract=contract, kind=DocumentKind.NOTICE)
    text = text_of(stored(doc))
    assert "予以立项" in text and "is approved" not in text and doc.title.startswith("关于")
    assert challenge.title[:6] in text and "Silicon carbide" not in text
