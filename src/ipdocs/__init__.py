"""ipdocs: the paperwork of responsibility groups and individual plans, filled from notes."""

__version__ = "0.1.0"
