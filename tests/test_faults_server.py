"""Fault: the web server is killed (kill -9) in the middle of a multi-step write. The app runs in a real
gunicorn process on the test database (a file SQLite database or PostgreSQL); a crash-test pause
(kechuang.core.faults, on only in test settings) holds the request inside its transaction; the test kills the
server there. Afterwards no partial record exists, the audit trail has no event of the lost write, and the
same request on a restarted server writes the whole record.

Two writes: an application with its team and milestones (one form), and a platform import of 12 rows.
"""

import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

pytestmark = [pytest.mark.crash, pytest.mark.django_db(transaction=True)]

ROWS = 12


def _database_url(connection) -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        if not s["NAME"] or ":memory:" in str(s["NAME"]) or "mode=memory" in str(s["NAME"]):
            pytest.fail("the crash tests need a file database: set KECHUANG_TEST_SQLITE_FILE")
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Server:
    """gunicorn serving kechuang on a free port of 127.0.0.1, with the given crash-test pause (or none)."""

    def __init__(self, tmp_path, pause: str = ""):
        from django.db import connection

        import kechuang

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.signal = tmp_path / f"paused-{uuid.uuid4().hex[:6]}"
        self.log_path = tmp_path / f"server-{self.port}.log"
        src = os.path.dirname(os.path.dirname(kechuang.__file__))
        env = {k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL",)}
        env.update(
            PYTHONPATH=os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]),
            DATABASE_URL=_database_url(connection),
            DJANGO_SETTINGS_MODULE="kechuang.settings.test",
            KECHUANG_FAULT_PAUSE=pause,
            KECHUANG_FAULT_SIGNAL=str(self.signal),
            KECHUANG_FAULT_SECONDS="120",
        )
        self.log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "kechuang.wsgi:application",
                "--workers=1",
                f"--bind=127.0.0.1:{self.port}",
                "--timeout=300",
            ],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url("/"), timeout=2)
                return
            except urllib.error.HTTPError:
                return  # it answers
            except OSError:
                time.sleep(0.2)
        self.stop()
        pytest.fail(f"gunicorn did not start:\n{self.log_path.read_text()[-3000:]}")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def kill_when_paused(self, timeout: float = 60) -> None:
        """Wait for the pause inside the transaction, then kill -9 the worker holding it and the master."""
        deadline = time.monotonic() + timeout
        while not self.signal.exists():
            if time.monotonic() > deadline:
                pytest.fail(f"the write never reached its pause:\n{self.log_path.read_text()[-3000:]}")
            time.sleep(0.05)
        os.kill(int(self.signal.read_text()), signal.SIGKILL)
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=20)
        self.log.close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
        self.log.close()


class Browser:
    """A signed-in session (the cookie of a test-client login) posting forms with their CSRF token."""

    def __init__(self, user):
        from django.test import Client

        client = Client()
        client.force_login(user)
        self.cookies = {"sessionid": client.cookies["sessionid"].value}

    def _open(self, req, timeout):
        req.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            resp = urllib.request.urlopen(req, timeout=timeout)
        except urllib.error.HTTPError as exc:
            resp = exc
        for header in resp.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return resp.status, resp.read().decode()

    def token(self, url: str) -> str:
        status, page = self._open(urllib.request.Request(url), 30)
        assert status == 200, (url, status)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def post(self, url: str, fields: dict, files: dict | None = None, timeout: float = 60):
        fields = {"csrfmiddlewaretoken": self.token(url), **fields}
        if files:
            boundary = uuid.uuid4().hex
            parts = []
            for k, v in fields.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                )
            for k, (name, data) in files.items():
                head = f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="{name}"\r\n'
                parts.append(head.encode() + b"Content-Type: text/csv\r\n\r\n" + data + b"\r\n")
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            ctype = f"multipart/form-data; boundary={boundary}"
        else:
            body, ctype = urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"
        req = urllib.request.Request(url, data=body, headers={"Content-Type": ctype}, method="POST")
        return self._open(req, timeout)

    def post_in_background(self, url: str, fields: dict, files: dict | None = None):
        """Send the request from a thread: it never answers (the server dies inside it)."""

        def send():
            # The connection drops when the server is killed.
            with contextlib.suppress(OSError, http.client.HTTPException):
                self.post(url, fields, files, timeout=180)

        thread = threading.Thread(target=send, daemon=True)
        thread.start()
        return thread


def test_server_killed_mid_write_leaves_no_partial_record_and_no_orphan_audit_event(tmp_path, staff):
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    from kechuang.accounts.tests.factories import UnitFactory, UserFactory
    from kechuang.challenges.models import Application, ApplicationMember, ApplicationMilestone
    from kechuang.challenges.tests.factories import ChallengeFactory
    from kechuang.core.formkinds import rows_post
    from kechuang.core.models import AuditEvent
    from kechuang.core.roles import Role
    from kechuang.platforms.models import Platform

    challenge = ChallengeFactory(published=True)
    applicant = UserFactory(roles=[Role.APPLICANT])
    UnitFactory(name="山西大学")
    apply_url = reverse("challenges:application-create", args=[challenge.pk])
    application = {
        "title": "崩溃测试申请",
        "plan": "分三步实施。",
        "budget_requested": "300",
        "budget_self": "0",
        **rows_post(
            "team_text",
            [
                {"name": "张三", "title": "教授", "duty": "负责人"},
                {"name": "李四", "title": "副教授", "duty": "骨干"},
            ],
        ),
        **rows_post(
            "milestones_text",
            [
                {"title": t, "month": m, "tranche": "100"}
                for t, m in (("中试", 12), ("验证", 24), ("量产", 36))
            ],
        ),
    }
    csv = "编号,名称,类型,依托单位,成立日期,状态\n" + "\n".join(
        f"S{i:02d},断电测试平台{i:02d},省重点实验室,山西大学,2021-01-18,运行中" for i in range(ROWS)
    )
    import_form = ({"commit": "on"}, {"file": ("platforms.csv", csv.encode())})
    app_type = ContentType.objects.get_for_model(Application)
    platform_type = ContentType.objects.get_for_model(Platform)
    as_applicant, as_staff = Browser(applicant), Browser(staff)  # (their sign-ins are audited here)
    trail_before = AuditEvent.objects.count()

    # 1. The application: killed after its 2nd milestone row (application, members, audit events written).
    server = Server(tmp_path, pause="challenges.application.milestone@2")
    try:
        as_applicant.post_in_background(server.url(apply_url), application)
        server.kill_when_paused()
    finally:
        server.stop()
    # 2. The import: killed after its 5th platform (5 platforms, their status periods and events written).
    server = Server(tmp_path, pause="platforms.import.row@5")
    try:
        as_staff.post_in_background(server.url(reverse("platforms:import")), *import_form)
        server.kill_when_paused()
    finally:
        server.stop()

    assert not Application.objects.exists()
    assert not ApplicationMember.objects.exists() and not ApplicationMilestone.objects.exists()
    assert not Platform.objects.exists()
    assert not AuditEvent.objects.filter(content_type__in=[app_type, platform_type]).exists()
    assert AuditEvent.objects.count() == trail_before  # no orphan event of either lost write

    # 3. A restarted server: the same two requests write everything, once.
    server = Server(tmp_path)
    try:
        status, page = as_applicant.post(server.url(apply_url), application)
        assert status in (200, 302), page[-2000:]
        status, page = as_staff.post(server.url(reverse("platforms:import")), *import_form)
        assert status == 200 and "已导入" in page, page[-2000:]
    finally:
        server.stop()
    app = Application.objects.get()
    assert (app.members.count(), app.milestones.count()) == (2, 3)
    assert Platform.objects.count() == ROWS
    assert AuditEvent.objects.filter(content_type=app_type, object_id=str(app.pk)).exists()
    events = AuditEvent.objects.filter(content_type=platform_type)
    assert set(events.values_list("object_id", flat=True)) == {
        str(p) for p in Platform.objects.values_list("pk", flat=True)
    }
