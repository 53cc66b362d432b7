"""The ``q=`` filter of Oracle's REST Framework v2 and later (row-match expressions): tokenizer,
recursive-descent parser, compiler. Version 1's query-by-example is ``sandbox/rest/qbe.py``.

Grammar (keywords case-insensitive)::

    expression := conjunction ("or" conjunction)*
    conjunction := negation ("and" negation)*
    negation := "not" negation | "(" expression ")" | comparison
    comparison := Attr op value | Attr ["not"] "like" 'text' | Attr "is" ["not"] "null"
                | Attr ["not"] "in" "(" value ("," value)* ")" | Attr "between" value "and" value
    op := "=" | "!=" | "<>" | "<" | ">" | "<=" | ">="
    value := 'text' ('' escapes a quote) | number | true | false

The v1 form (``Attr=value;Attr2=value``) is refused here, as REST Framework v2 does. A parsed
filter is compiled into a parameterised SQL condition over a whitelist of attribute -> SQL
expression: attribute names never reach the SQL text except through that whitelist, values only
as bound parameters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

Value = str | int | float | bool


class QueryError(ValueError):
    """The filter can't be parsed or names an attribute the resource doesn't have (HTTP 400)."""


@dataclass(frozen=True)
class Token:
    kind: str  # "ident", "string", "number", "op", "(", ")", ",", "end"
    text: str
    position: int


TOKEN_PATTERN = re.compile(
    r"""
    (?P<space>\s+)
    | (?P<string>'(?:[^']|'')*')
    | (?P<number>-?\d+(?:\.\d+)?(?![A-Za-z_]))
    | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<op><>|!=|<=|>=|=|<|>)
    | (?P<punct>[(),])
    """,
    re.VERBOSE,
)


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        if text[position] == ";":
            raise QueryError(
                f"The query q={text} uses ';', the query-by-example syntax of REST framework "
                "version 1, but the request asked for version 2 or later. Use 'and': "
                "Attr1='a' and Attr2='b'."
            )
        match = TOKEN_PATTERN.match(text, position)
        if match is None:
            if text[position] == "'":
                raise QueryError(f"The query q={text} has an unterminated string at {position}.")
            raise QueryError(
                f"The query q={text} isn't valid at '{text[position : position + 10]}'."
            )
        kind = match.lastgroup
        assert kind is not None
        if kind != "space":
            token_kind = "op" if kind == "op" else match.group() if kind == "punct" else kind
            tokens.append(Token(token_kind, match.group(), position))
        position = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


# --- the syntax tree ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    attribute: str
    operator: str  # =, !=, <, >, <=, >=, like, not like, is null, is not null, in, not in, between
    values: tuple[Value, ...]


@dataclass(frozen=True)
class BoolOp:
    operator: str  # "and" | "or"
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    operand: Node


Node = Comparison | BoolOp | Not


class Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.index = 0

    def parse(self) -> Node:
        node = self.expression()
        if self.peek().kind != "end":
            self.fail(f"unexpected '{self.peek().text}'")
        return node

    def peek(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def keyword(self, *words: str) -> bool:
        """Consume the keywords if they come next (all of them), else consume nothing."""
        for offset, word in enumerate(words):
            token = self.tokens[min(self.index + offset, len(self.tokens) - 1)]
            if token.kind != "ident" or token.text.lower() != word:
                return False
        self.index += len(words)
        return True

    def expect(self, kind: str) -> Token:
        if self.peek().kind != kind:
            self.fail(f"expected '{kind}' but found '{self.peek().text or 'the end'}'")
        return self.advance()

    def fail(self, why: str) -> None:
        raise QueryError(
            f"The query q={self.text} isn't valid: {why} at position {self.peek().position}."
        )

    def expression(self) -> Node:
        operands = [self.conjunction()]
        while self.keyword("or"):
            operands.append(self.conjunction())
        return operands[0] if len(operands) == 1 else BoolOp("or", tuple(operands))

    def conjunction(self) -> Node:
        operands = [self.negation()]
        while self.keyword("and"):
            operands.append(self.negation())
        return operands[0] if len(operands) == 1 else BoolOp("and", tuple(operands))

    def negation(self) -> Node:
        if self.keyword("not"):
            return Not(self.negation())
        if self.peek().kind == "(":
            self.advance()
            node = self.expression()
            self.expect(")")
            return node
        return self.comparison()

    def comparison(self) -> Node:
        attribute = self.expect("ident").text
        if self.peek().kind == "op":
            operator = self.advance().text
            return Comparison(attribute, "!=" if operator == "<>" else operator, (self.value(),))
        if self.keyword("like") or self.keyword("not", "like"):
            negated = self.tokens[self.index - 2].text.lower() == "not"
            pattern = self.value()
            if not isinstance(pattern, str):
                self.fail("LIKE needs a quoted pattern")
            return Comparison(attribute, "not like" if negated else "like", (pattern,))
        if self.keyword("is", "not", "null"):
            return Comparison(attribute, "is not null", ())
        if self.keyword("is", "null"):
            return Comparison(attribute, "is null", ())
        if self.keyword("in") or self.keyword("not", "in"):
            negated = self.tokens[self.index - 2].text.lower() == "not"
            self.expect("(")
            values = [self.value()]
            while self.peek().kind == ",":
                self.advance()
                values.append(self.value())
            self.expect(")")
            return Comparison(attribute, "not in" if negated else "in", tuple(values))
        if self.keyword("between"):
            low = self.value()
            if not self.keyword("and"):
                self.fail("BETWEEN needs 'and'")
            return Comparison(attribute, "between", (low, self.value()))
        self.fail(f"expected an operator after {attribute}")
        raise AssertionError("unreachable")

    def value(self) -> Value:
        token = self.advance()
        if token.kind == "string":
            return token.text[1:-1].replace("''", "'")
        if token.kind == "number":
            return float(token.text) if "." in token.text else int(token.text)
        if token.kind == "ident" and token.text.lower() in {"true", "false"}:
            return token.text.lower() == "true"
        self.index -= 1
        self.fail(f"expected a value but found '{token.text or 'the end'}'")
        raise AssertionError("unreachable")


def parse(text: str) -> Node:
    """The syntax tree of a ``q`` filter."""
    return Parser(text).parse()


def attributes_in(node: Node) -> set[str]:
    """Every attribute a filter names."""
    if isinstance(node, Comparison):
        return {node.attribute}
    if isinstance(node, Not):
        return attributes_in(node.operand)
    return set().union(*(attributes_in(operand) for operand in node.operands))


# --- compiling to SQL --------------------------------------------------------------------------

SQL_OPERATORS = {"=": "=", "!=": "!=", "<": "<", ">": ">", "<=": "<=", ">=": ">="}


def compile_sql(
    node: Node,
    columns: Mapping[str, str],
    coerce: Callable[[str, Value], object],
) -> tuple[str, list[object]]:
    """A SQL condition and its parameters. ``columns`` maps attribute names to SQL expressions;
    ``coerce(attribute, value)`` turns a literal into the attribute's type (or raises QueryError).
    """
    if isinstance(node, Not):
        sql, params = compile_sql(node.operand, columns, coerce)
        return f"NOT ({sql})", params
    if isinstance(node, BoolOp):
        parts = [compile_sql(operand, columns, coerce) for operand in node.operands]
        joined = f" {node.operator.upper()} ".join(f"({sql})" for sql, _ in parts)
        return joined, [param for _, params in parts for param in params]
    column = columns.get(node.attribute)
    if column is None:
        raise QueryError(
            f"The attribute {node.attribute} in the query q isn't valid for this resource."
        )
    values = [coerce(node.attribute, value) for value in node.values]
    if node.operator in SQL_OPERATORS:
        return f"{column} {SQL_OPERATORS[node.operator]} ?", values
    if node.operator in {"like", "not like"}:
        return f"{column} {node.operator.upper()} ?", [str(v) for v in values]
    if node.operator in {"is null", "is not null"}:
        return f"{column} {node.operator.upper()}", []
    if node.operator in {"in", "not in"}:
        marks = ", ".join("?" for _ in values)
        return f"{column} {node.operator.upper()} ({marks})", values
    return f"{column} BETWEEN ? AND ?", values
