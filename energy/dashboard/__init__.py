"""The served dashboard (``python run.py dashboard``): plan against actual, from the store.

Views: monitoring (per indicator target, reported values, model pathway and a status light),
scenarios (side by side with differences to a reference), grid (map of a run) and runs (every
recorded run with its provenance). It reads only the results store (:mod:`energy.store`).
"""

from energy.dashboard.app import create_app, serve

__all__ = ["create_app", "serve"]
