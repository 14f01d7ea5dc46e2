"""Showing scores to people: explanations from the scorer's intermediate results, the HTML report. Of the other parts, it imports only the scoring core."""
