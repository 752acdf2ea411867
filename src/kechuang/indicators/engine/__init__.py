"""The composite-index engine (pure: no database). `kechuang.indicators.formulas` re-exports it."""
