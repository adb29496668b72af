"""Tests of autofit.aggregator."""
