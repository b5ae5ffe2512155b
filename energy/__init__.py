"""Capacity-expansion model of the Taiyuan–Xinzhou integrated economic zone (PyPSA + HiGHS).

Layers, top to bottom (each imports only from those below it; ``lint-imports`` checks it):
``cli`` → ``sweep`` → ``pipeline`` → ``report`` → ``results`` → ``optimize`` → ``network`` →
``profiles`` → ``inputs`` → ``config`` → ``carriers``.
"""

__version__ = "0.1.0"
