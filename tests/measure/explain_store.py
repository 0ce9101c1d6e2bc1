"""A small store for the explain tests: articles with text, a fact, and events — among
them a misread one (a Putin visit to Kyrgyzstan and China read as a China–Kazakhstan visit).

Under the default evidence policy only the May exercise counts (two outlets report it); the
misread visit, the September drill and the 2024 visit are uncorroborated candidates."""

from __future__ import annotations

from pathlib import Path

import duckdb

MISREAD_TEXT = ("Bishkek, 12 October 2023. Russian President Vladimir Putin arrived in Kyrgyzstan on a state visit "
                "on Thursday, his first trip abroad since the ICC warrant. He then flew to Beijing for talks with "
                "Xi Jinping. Analysts in Almaty watched closely.")
SUMMIT_TEXT = ("Astana, 3 July 2024. Xi Jinping arrived in Kazakhstan for a state visit before the SCO summit. "
               "The two presidents signed 30 agreements. Trade reached USD 41 bn last year, officials said.")
EXERCISE_TEXT = ("Dushanbe, 2023. Chinese and Tajik troops held a joint counter-terrorism exercise near the border. "
                 "A second drill followed in the autumn.")
OTHER_TEXT = "Dushanbe, 3 May 2023. The Chinese-Tajik exercise in Gorno-Badakhshan ended on Wednesday."


def span(text: str, needle: str) -> tuple[int, int]:
    i = text.index(needle)
    return i, i + len(needle)


def build(db: Path) -> Path:
    con = duckdb.connect(str(db))
    con.execute("""CREATE TABLE articles (id VARCHAR, url VARCHAR, outlet VARCHAR, title VARCHAR,
                   published_utc TIMESTAMP, text VARCHAR)""")
    con.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?)", [
        ("m1", "https://example.org/putin-bishkek", "Example Wire", "Putin visits Kyrgyzstan, then China",
         "2023-10-12 09:00:00", MISREAD_TEXT),
        ("s1", "https://example.org/xi-astana", "Example Times", "Xi in Astana", "2024-07-03 08:00:00", SUMMIT_TEXT),
        ("x1", "https://example.org/drill", "Example Daily", "Joint drill", "2023-05-01 08:00:00", EXERCISE_TEXT),
        ("x2", "https://example.net/drill-ends", "Other Outlet", "Drill ends", "2023-05-03 08:00:00", OTHER_TEXT),
    ])
    con.execute("""CREATE TABLE events (event_id VARCHAR, article_id VARCHAR, type VARCHAR, date DATE,
        date_precision VARCHAR DEFAULT 'day', actors VARCHAR[], span_start INTEGER, span_end INTEGER,
        confidence DOUBLE DEFAULT 0.8, reason VARCHAR DEFAULT 'rule')""")
    m = span(MISREAD_TEXT, "Russian President Vladimir Putin arrived in Kyrgyzstan on a state visit")
    s = span(SUMMIT_TEXT, "Xi Jinping arrived in Kazakhstan for a state visit")
    x1 = span(EXERCISE_TEXT, "held a joint counter-terrorism exercise")
    x2 = span(EXERCISE_TEXT, "A second drill")
    o = span(OTHER_TEXT, "The Chinese-Tajik exercise in Gorno-Badakhshan ended")
    con.executemany("INSERT INTO events (event_id, article_id, type, date, actors, span_start, span_end) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)", [
        ("m1:e0", "m1", "state_visit", "2023-10-12", ["CHN", "KAZ"], *m),      # the misread
        ("s1:e0", "s1", "state_visit", "2024-07-03", ["CHN", "KAZ"], *s),
        ("x1:e0", "x1", "military_exercise", "2023-05-01", ["CHN", "TJK"], *x1),
        ("x1:e1", "x1", "military_exercise", "2023-09-01", ["CHN", "TJK"], *x2),
        ("x1:e2", "x1", "statement", "2023-09-01", ["CHN", "TJK"], *x2),      # not a counted type
        ("x2:e0", "x2", "military_exercise", "2023-05-03", ["CHN", "TJK"], *o),  # corroborates x1:e0
    ])
    con.execute("""CREATE TABLE facts (fact_id VARCHAR, subject VARCHAR, object VARCHAR, indicator VARCHAR,
        value DOUBLE, low DOUBLE, high DOUBLE, unit VARCHAR, period_start DATE, period_end DATE,
        qualifier VARCHAR, article_id VARCHAR, span_start INTEGER, span_end INTEGER, n_sources INTEGER,
        confidence DOUBLE DEFAULT 0.8, reason VARCHAR DEFAULT 'catalogue')""")
    f = span(SUMMIT_TEXT, "USD 41 bn")
    con.execute("INSERT INTO facts (fact_id, subject, object, indicator, value, low, high, unit, period_start, "
                "period_end, qualifier, article_id, span_start, span_end, n_sources) VALUES ('s1:f0', 'CHN', 'KAZ', 'trade_total', 41, 41, 41, 'USD_bn', "
                "'2023-01-01', '2023-12-31', 'exact', 's1', ?, ?, 1)", list(f))
    con.close()
    return db
