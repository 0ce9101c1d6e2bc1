"""The modelling choices on which the public replications of the model disagree.

Scholz, Calbert and Smith (2011) describe Bueno de Mesquita's group-decision model in
prose and equations, but the published figures come from their code, which differs
from the printed equations in a few places. Each such place is a named option here;
the defaults reproduce the paper's figures (see ``docs/forecast.md`` for which figure
each value reproduces and what each public replication does).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Probability = Literal["all_votes", "pairwise"]
VoteExponent = Literal["voter", "neutral"]
Perspective = Literal["observer", "own"]
CompromiseChoice = Literal["scholz", "nearest"]
OfferPriority = Literal["kind", "nearest"]
Capitulation = Literal["never", "larger_loss"]
RangeMode = Literal["initial", "current"]


class ModelOptions(BaseModel):
    """Options of the expected-utility model; defaults reproduce Scholz et al. (2011).

    probability
        ``all_votes``: the votes for i against j divided by the sum of the absolute
        votes of every actor over every ordered pair of actors (Scholz's code, as
        ported by jmckib/dmasad); reproduces the paper's mean path.
        ``pairwise``: divided by the absolute votes on the pair (i, j) only, as the
        paper's printed equation reads, so that P(i,j) + P(j,i) = 1.
    vote_exponent
        ``voter``: each voter's utility difference in the vote is raised to the
        voter's current risk exponent (the replication); ``neutral``: linear
        utilities (exponent 1), as the paper's printed vote equation reads.
    perspective
        ``observer``: actor i evaluates both E^i(U_ij) and E^i(U_ji) with its own risk
        exponent r_i (the paper's superscript-i notation, the replication);
        ``own``: E(U_ji) is evaluated with j's exponent r_j.
    compromise_choice
        Among several compromise offers: ``scholz`` picks the one whose
        salience-of-stake weighted midpoint (|E_ij| x_i + |E_ji| x_j)/(|E_ij|+|E_ji|)
        is lowest on the scale (Scholz's code); ``nearest`` picks the one needing the
        smallest move, as the paper's text says. Applies with ``offer_priority="kind"``.
    offer_priority
        ``kind``: an actor with any confrontation offer takes the nearest of those,
        else a compromise, else a capitulation (the replication); ``nearest``: the
        offer needing the smallest move whatever its kind.
    capitulation
        ``never``: the replication's capitulation test (E_ji < |E_ji| with E_ji > 0)
        can never hold, so no actor capitulates; ``larger_loss``: i capitulates to j
        when E_ji > 0 > E_ij and |E_ij| > E_ji (the paper's quadrant rule).
    range_mode
        ``initial``: distances are scaled by the initial range of positions
        (replication); ``current``: by the current round's range.
    q, t
        Probability that the status quo holds when i does not challenge j, and that
        a change of j's position then is for the better (paper, section 2). With
        q = 1 the better/worse terms vanish.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    probability: Probability = "all_votes"
    vote_exponent: VoteExponent = "voter"
    perspective: Perspective = "observer"
    compromise_choice: CompromiseChoice = "scholz"
    offer_priority: OfferPriority = "kind"
    capitulation: Capitulation = "never"
    range_mode: RangeMode = "initial"
    q: float = Field(1.0, ge=0.0, le=1.0)
    t: float = Field(1.0, ge=0.0, le=1.0)

    @classmethod
    def paper(cls) -> "ModelOptions":
        """The defaults: the choices that reproduce Scholz et al.'s figures."""
        return cls()

    @classmethod
    def replication(cls) -> "ModelOptions":
        """The choices of the faithful public replication (jmckib, dmasad's Python 3
        fork): the defaults except that its capitulation test never holds."""
        return cls(capitulation="never")

    @classmethod
    def printed_equations(cls) -> "ModelOptions":
        """The paper's printed equations and prose read literally (does not reproduce
        its figures; kept to show the difference)."""
        return cls(probability="pairwise", vote_exponent="neutral", compromise_choice="nearest",
                   offer_priority="nearest", capitulation="larger_loss")


#: Names and allowed values, for the CLI's ``--option key=value`` and the docs.
OPTION_CHOICES: dict[str, tuple[str, ...]] = {
    "probability": ("all_votes", "pairwise"),
    "vote_exponent": ("voter", "neutral"),
    "perspective": ("observer", "own"),
    "compromise_choice": ("scholz", "nearest"),
    "offer_priority": ("kind", "nearest"),
    "capitulation": ("never", "larger_loss"),
    "range_mode": ("initial", "current"),
}
