"""The S&T progress contribution rate page (科技进步贡献率, by the Solow residual)."""

from __future__ import annotations

from django.shortcuts import render

from kechuang.core.exceptions import ApplicationError

from . import formulas, selectors
from .forms import ContributionForm


def contribution(request):
    """The S&T progress contribution rate by the Solow residual, with every input shown."""
    form = ContributionForm(request.GET or None, user=request.user)
    result = error = levels = None
    growth = {}
    if request.GET and form.is_valid():
        d = form.cleaned_data
        try:
            if d["mode"] == "data":
                levels = selectors.contribution_levels(
                    user=request.user,
                    region=d["region"],
                    start_year=d["start_year"],
                    end_year=d["end_year"],
                    codes={
                        "output": d["output_code"].code,
                        "capital": d["capital_code"].code,
                        "labour": d["labour_code"].code,
                    },
                )
                n = d["end_year"] - d["start_year"]
                growth = {k: formulas.average_growth(a, b, n) for k, (a, b) in levels.items()}
            elif d["mode"] == "levels":
                n = d["years"]
                growth = {
                    "output": formulas.average_growth(d["output_start"], d["output_end"], n),
                    "capital": formulas.average_growth(d["capital_start"], d["capital_end"], n),
                    "labour": formulas.average_growth(d["labour_start"], d["labour_end"], n),
                }
            else:
                growth = {
                    "output": d["output_growth"] / 100,
                    "capital": d["capital_growth"] / 100,
                    "labour": d["labour_growth"] / 100,
                }
            result = formulas.solow_contribution(
                output_growth=growth["output"],
                capital_growth=growth["capital"],
                labour_growth=growth["labour"],
                alpha=d["alpha"],
                beta=d["beta"],
            )
        except (formulas.FormulaError, ApplicationError) as exc:
            error = str(getattr(exc, "message", exc))
    return render(
        request,
        "indicators/contribution.html",
        {"form": form, "result": result, "error": error, "levels": levels},
    )
