"""The project's package; `python -m <package>.smoke` checks the PyTorch install."""
