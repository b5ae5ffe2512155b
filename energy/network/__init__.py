"""Build the PyPSA network of the zone from a Scenario, validated inputs and profiles."""

from energy.network.build import build_network

__all__ = ["build_network"]
