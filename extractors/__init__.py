"""One module per thing extracted; each exposes `extract(doc)` yielding typed rows with offsets."""
