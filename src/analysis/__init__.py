"""Analysis of the recommendations of the UN Working Group on Trafficking in Persons (2009-2018)."""

__version__ = "0.1.0"
