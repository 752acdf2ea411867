"""科创 Kechuang: the platform on which a provincial S&T department runs its regional innovation system."""

from .celery import app as celery_app

__version__ = "0.1.0"
__all__ = ["celery_app"]
