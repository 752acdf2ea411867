import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kechuang.settings.prod")
application = get_asgi_application()

from kechuang.core.warmup import warm_up  # noqa: E402  (after Django's setup)

warm_up()
