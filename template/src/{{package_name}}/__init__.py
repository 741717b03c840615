"""The project's own code. (The PyTorch checks live apart, in tools/.)"""
