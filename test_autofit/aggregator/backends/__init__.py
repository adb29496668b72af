"""Tests of the Aggregator backends."""
