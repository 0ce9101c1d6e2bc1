"""heartland.forecast: Bueno de Mesquita's expected-utility model over contested issues.

Public face (see ``docs/forecast.md``)::

    from heartland.forecast import load_issue, run_model, forecast, ModelOptions
    issue = load_issue("sco_csto")            # a bundled issue name or a file path
    run = run_model(issue, rounds=10)          # ModelRun: rounds, moves, summary
    fc = forecast(issue, runs=1000, seed=1)    # Forecast: run + distribution + sensitivity
    print(fc.to_json())
"""

from heartland.forecast.issue import (
    ActorInput,
    Evidence,
    Issue,
    Value,
    bundled_issues,
    issue_to_csv,
    load_issue,
)
from heartland.forecast.model import Simulation, simulate
from heartland.forecast.options import ModelOptions
from heartland.forecast.results import (
    Forecast,
    ModelRun,
    MonteCarlo,
    Move,
    RoundRecord,
    Sensitivity,
    Summary,
    forecast,
    run_model,
)

__all__ = [
    "ActorInput", "Evidence", "Forecast", "Issue", "ModelOptions", "ModelRun", "MonteCarlo", "Move",
    "RoundRecord", "Sensitivity", "Simulation", "Summary", "Value", "bundled_issues", "forecast", "issue_to_csv",
    "load_issue", "run_model", "simulate",
]
