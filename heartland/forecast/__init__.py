"""heartland.forecast: Bueno de Mesquita's expected-utility model over contested issues.

Public face (see ``docs/forecast.md``)::

    from heartland.forecast import load_issue, run_model, forecast, ModelOptions
    issue = load_issue("sco_csto")            # a bundled issue name or a file path
    run = run_model(issue, rounds=10)          # ModelRun: rounds, moves, summary
    fc = forecast(issue, runs=1000, seed=1)    # Forecast: run + distribution + sensitivity
    print(fc.to_json())
"""

from __future__ import annotations

from heartland import _lazy

# Names resolve on first use (heartland/_lazy.py) so that `heartland --help` stays fast.
__all__ = _lazy.install(__name__, {
    "ActorInput": "heartland.forecast.issue", "Evidence": "heartland.forecast.issue", "Issue": "heartland.forecast.issue", "Value": "heartland.forecast.issue", "bundled_issues": "heartland.forecast.issue", "issue_to_csv": "heartland.forecast.issue", "load_issue": "heartland.forecast.issue",
    "Backtest": "heartland.forecast.backtest", "load_case": "heartland.forecast.backtest", "run_backtest": "heartland.forecast.backtest",
    "Simulation": "heartland.forecast.model", "simulate": "heartland.forecast.model",
    "ModelOptions": "heartland.forecast.options",
    "Forecast": "heartland.forecast.results", "ModelRun": "heartland.forecast.results", "MonteCarlo": "heartland.forecast.results", "Move": "heartland.forecast.results", "RoundRecord": "heartland.forecast.results", "Sensitivity": "heartland.forecast.results", "Summary": "heartland.forecast.results", "forecast": "heartland.forecast.results", "run_model": "heartland.forecast.results",
})
