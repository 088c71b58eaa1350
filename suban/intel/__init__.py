"""Intelligence: a text classifier for routing, hotspots of similar requests, measured on real messages."""
