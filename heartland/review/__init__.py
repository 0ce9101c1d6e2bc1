"""heartland.review: decisions on extracted items and the policy for what feeds the world.

Every extracted fact, event, quote and new name (a person or organisation the gazetteer
lacks) is an item with a stable key (``review_items``: the article's URL, the item's kind,
content and surface, never a row id), a state (candidate unless decided: accepted,
rejected, edited) and the confidence and reason code extraction gave it. Decisions live in
the store (``review_decisions``), survive re-ingest and new article versions, and export
and import as CSV or JSON Lines. ``policy`` decides which items the world counts
(docs/review.md).
"""
