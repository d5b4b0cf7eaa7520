"""The calculators as LangChain tools for the LLM mode, one per registered calculator
(calculators/registry.py): the model chooses and fills in, we compute.

A tool's arguments are its calculator's input fields with their descriptions. Each tool returns the
calculator's JSON (``to_dict()``), including the clauses, so the model can cite them; input the
calculator refuses comes back as ``{"error": "<Danish message>"}``, and arguments of the wrong
type fail the tool call, which the answerer reports back to the model as an error.
"""

from __future__ import annotations

import typing
from typing import Any

from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, Field, create_model

from assistant.calculators.registry import Calculator, calculators, field_description, is_required
from assistant.calculators.rules import CalculatorInputError, RuleBook


def make_tools(rules: RuleBook) -> list[BaseTool]:
    """One tool per registered calculator, bound to ``rules``."""
    return [_tool(entry, rules) for entry in calculators()]


def _tool(entry: Calculator, rules: RuleBook) -> BaseTool:
    def run(**arguments: Any) -> dict:
        try:
            return entry.compute(rules, entry.inputs(**arguments)).to_dict()
        except CalculatorInputError as exc:
            return {"error": str(exc)}

    return StructuredTool.from_function(
        run,
        name=entry.name,
        description=entry.summary,
        args_schema=arguments_model(entry),
    )


def arguments_model(entry: Calculator) -> type[BaseModel]:
    """A pydantic model of the calculator's input fields, each with its description."""
    hints = typing.get_type_hints(entry.inputs)
    fields: dict[str, Any] = {}
    for field in entry.fields():
        default = ... if is_required(field) else field.default
        fields[field.name] = (hints[field.name], Field(default, description=field_description(field)))
    return create_model(f"{entry.name}_arguments", **fields)
