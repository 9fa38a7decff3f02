"""SafeSpaces: a self-hosted platform to create and keep safe spaces for communities at risk."""

__version__ = "0.1.0"
