#!/usr/bin/env python
"""Django's command-line utility. `kechuang` (installed with the package) does the same and more."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kechuang.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
