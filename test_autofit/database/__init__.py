"""Tests of the results database."""
