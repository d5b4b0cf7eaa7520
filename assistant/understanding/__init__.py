"""Understanding a question: what it asks, which periods it names, and which calculator (with
which inputs) it wants. Read once per question (see question.py)."""
