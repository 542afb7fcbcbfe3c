"""Dutch text analysis for stories: tokens, lemmas, keywords, themes, similar stories."""
