"""The `rammeaftale` command: the entry point that may use both the assistant and its evals."""
