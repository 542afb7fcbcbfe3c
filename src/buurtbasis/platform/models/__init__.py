"""The ground floor's models, one module per concern."""
