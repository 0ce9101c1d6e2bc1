"""heartland: a sourced, quantitative model of great-power rivalry in Central Asia.

Stages (one subpackage each, data moving forward only):
corpus -> extract -> store -> world -> measure -> simulate / forecast -> report / web.
"""

__version__ = "0.1.0"
