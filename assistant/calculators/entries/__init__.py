"""The registered calculators (see assistant/calculators/registry.py): per calculator its inputs,
how a chat question asks for it, its chat answer and its text form."""
