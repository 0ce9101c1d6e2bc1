"""The indicator catalogue (heartland/data/indicators.yaml) as typed records."""

from __future__ import annotations

from functools import lru_cache

import yaml
from pydantic import BaseModel, Field

from heartland.extract.gazetteer import fold, to_simplified
from heartland.paths import DATA_DIR

CATALOGUE_PATH = DATA_DIR / "indicators.yaml"


class Indicator(BaseModel):
    id: str
    units: list[str]
    all: list[list[str]] = Field(default_factory=list)
    none: list[str] = Field(default_factory=list)
    #: Change words (增长, 下降, fell …) that rule the indicator out unless the clause names
    #: a share (占, 比重, 份额, share): "exports grew 5%" is a growth, "the share fell to 30%"
    #: is still a share.
    none_unless_share: list[str] = Field(default_factory=list)
    #: Words just before an actor that make it the subject (the creditor after 欠/to).
    source_cues: list[str] = Field(default_factory=list)
    #: Role of the origin / supplier / source actor (after 从, 来自, from): the subject for
    #: investors and shares of imports, the object for an importer's volumes and values.
    source_role: str = "subject"
    subject: str = ""
    object: str = ""
    curated: str | None = None
    description: str = ""


@lru_cache(maxsize=1)
def load_catalogue() -> tuple[Indicator, ...]:
    with open(CATALOGUE_PATH, encoding="utf-8") as fh:
        rows = yaml.safe_load(fh)
    out = []
    for r in rows:
        ind = Indicator(**r)
        ind.all = [[fold(to_simplified(k)) for k in group] for group in ind.all]
        ind.none = [fold(to_simplified(k)) for k in ind.none]
        ind.none_unless_share = [fold(to_simplified(k)) for k in ind.none_unless_share]
        out.append(ind)
    return tuple(out)


def indicator_ids() -> list[str]:
    return [i.id for i in load_catalogue()]
