# Settings are split by environment: base.py reads the environment; dev.py, test.py and prod.py
# start from it. manage.py and the `kechuang` command default to dev, pytest to test.
