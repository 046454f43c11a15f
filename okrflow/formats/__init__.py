"""Dates and numbers as each language writes them: the one path every page formats through.

Django's own formats are the fallback for what is not set here. English keeps day before month
("5 Dec 2026, 04:36"), never the US "12/05/2026 4:36 a.m." that reads as a different day to
most readers; Vietnamese writes "05/12/2026 04:36" and the decimal comma.
"""
