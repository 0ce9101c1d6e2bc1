"""Fixtures for the simulation tests: small scenarios written here, the builtin start world."""

from __future__ import annotations

import pytest

from heartland.simulate.scenario import parse_scenario
from heartland.simulate.start import builtin_start

MINI = """
[scenario]
name = "mini"
title = "Mini test scenario"
start = "builtin"
horizon = 2032
step = "year"
runs = 64

[parameters]
war_drain_security = { dist = "uniform", low = 0.0, high = 0.06 }
hedging_tolerance = { dist = "triangular", low = 0.4, mode = 0.55, high = 0.7 }
growth_chn = { dist = "normal", mean = 0.03, sd = 0.01, low = 0.0, high = 0.06 }
coordination = { dist = "interval", low = 0.2, high = 0.4 }

[[shocks]]
kind = "war_start"
date = "2022-02-24"
patron = "RUS"

[[shocks]]
kind = "crisis"
date = { dist = "uniform", low = 2024.0, high = 2030.0 }
targets = ["KAZ"]

[[hypotheses]]
id = "chn_sec_tjk"
statement = "China's security share in Tajikistan exceeds Russia's by 2030"
metric = "share"
patron = "CHN"
versus = "RUS"
target = "TJK"
domain = "security"
year = 2030

[[hypotheses]]
id = "rus_sec_c5_low"
statement = "Russia's security influence over the five (mean) falls below its start by 2028"
metric = "influence"
patron = "RUS"
versus = "start"
op = "<"
target = "C5"
domain = "security"
year = 2028
"""


@pytest.fixture()
def mini():
    return parse_scenario(MINI, "mini.toml")


@pytest.fixture(scope="session")
def start2023():
    return builtin_start(2023)
