"""State tracking: replay a story of events exactly (counting, properties, time, walks,
family trees, exchanges, operations, ARC-style grid transformations)."""
