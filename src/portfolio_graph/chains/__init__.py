"""Industry chain templates, applying them to a district's chains, and matching enterprises to
segments with evidence. Submodules import what they need; nothing heavy is imported here (the
loader imports ``chains.codes``)."""
