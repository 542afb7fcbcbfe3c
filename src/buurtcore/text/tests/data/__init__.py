"""The evaluation set of buurtcore.text and its generator."""
