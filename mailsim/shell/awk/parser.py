"""The awk grammar (POSIX, as mawk accepts it) into a tree of tuples.

Expressions are tuples whose first item names the node ("num", "str", "re", "var",
"field", "index", "assign", ...); the interpreter compiles them to closures.
Inside ``print``'s arguments a ``>`` is a redirection, not a comparison, unless
it sits in parentheses, so the parser keeps that context on a stack.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mailsim.shell.awk.lexer import AwkSyntaxError, Lexer, Token

Node = tuple[Any, ...]

_STARTS_CONCAT = {"NUMBER", "STRING", "ERE", "NAME", "FUNC_NAME", "BUILTIN", "$", "!", "(",
                  "++", "--"}  # fmt: skip
_TERMINATORS = {";", "NEWLINE", "}", "EOF"}
_ASSIGN = {"=", "+=", "-=", "*=", "/=", "%=", "^=", "**="}
_COMPARE = {"<", "<=", "!=", "==", ">", ">="}
_ARITY = {
    "length": (0, 1), "substr": (2, 3), "index": (2, 2), "split": (2, 3), "sub": (2, 3),
    "gsub": (2, 3), "match": (2, 2), "sprintf": (1, 255), "tolower": (1, 1),
    "toupper": (1, 1), "int": (1, 1), "sqrt": (1, 1), "exp": (1, 1), "log": (1, 1),
    "sin": (1, 1), "cos": (1, 1), "atan2": (2, 2), "rand": (0, 0), "srand": (0, 1),
    "system": (1, 1), "close": (1, 1), "fflush": (0, 1),
}  # fmt: skip


@dataclass
class Function:
    name: str
    params: list[str]
    body: Node
    line: int


@dataclass
class Program:
    begin: list[Node] = field(default_factory=list)
    end: list[Node] = field(default_factory=list)
    items: list[tuple[Node | None, Node | None, Node | None]] = field(default_factory=list)
    """(pattern, second pattern of a range or None, action or None meaning print)."""
    functions: dict[str, Function] = field(default_factory=dict)


def _describe(tok: Token) -> str:
    if tok.kind == "NEWLINE":
        return "end of line"
    if tok.kind == "EOF":
        return "end of file"
    if tok.kind == "STRING":
        return tok.value
    if tok.kind == "~":
        return ""  # mawk has no text for its match operator
    if tok.kind == "ERE":
        return f"/{tok.value}/"
    return tok.value


class Parser:
    def __init__(self, text: str) -> None:
        self.toks = Lexer(text).run()
        self.i = 0
        self.no_gt = [False]
        self.no_in = [False]
        self.braces = 0
        self.calls: list[tuple[str, int]] = []
        self.kinds: dict[str, str] = {}
        """Global names seen so far: "array" or "variable" (mawk refuses using both)."""
        self.params: set[str] = set()
        self.in_call = False
        self.special = False
        """Inside BEGIN or END, where next has no record to skip."""

    def use(self, name: str, kind: str, line: int) -> None:
        if name in self.params:
            return
        seen = self.kinds.setdefault(name, kind)
        if seen != kind:
            raise AwkSyntaxError(f"line {line}: illegal reference to {seen} {name}")

    # -- helpers ---------------------------------------------------------------

    @property
    def tok(self) -> Token:
        return self.toks[self.i]

    def peek(self, k: int = 1) -> Token:
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    def next(self) -> Token:
        tok = self.toks[self.i]
        if self.i < len(self.toks) - 1:
            self.i += 1
        return tok

    def error(self, tok: Token | None = None) -> AwkSyntaxError:
        tok = tok or self.tok
        if tok.kind == "EOF" and self.braces > 0:
            return AwkSyntaxError(f"line {tok.line + 1}: missing }} near end of file")
        # mawk's scanner ends the program with a newline, so the end is "end of line".
        near = "end of line" if tok.kind == "EOF" else _describe(tok)
        if tok.kind in (";", "NEWLINE", "}", "EOF") and self.open_parens() > 0:
            return AwkSyntaxError(f"line {tok.line}: missing ) near {near}")
        return AwkSyntaxError(f"line {tok.line}: syntax error at or near {near}")

    def open_parens(self) -> int:
        """Parentheses opened and not closed before the current token."""
        depth = 0
        for tok in self.toks[: self.i]:
            depth += (tok.kind == "(") - (tok.kind == ")")
        return depth

    def expect(self, kind: str) -> Token:
        if self.tok.kind != kind:
            if kind == ")" and self.tok.kind != "EOF":
                raise AwkSyntaxError(f"line {self.tok.line}: missing ) near {_describe(self.tok)}")
            raise self.error()
        return self.next()

    def newlines(self) -> None:
        while self.tok.kind == "NEWLINE":
            self.next()

    def terminators(self) -> None:
        while self.tok.kind in ("NEWLINE", ";"):
            self.next()

    # -- program ---------------------------------------------------------------

    def program(self) -> Program:
        prog = Program()
        self.terminators()
        while self.tok.kind != "EOF":
            self.item(prog)
            self.terminators()
        for name, line in self.calls:
            if name not in prog.functions:
                raise AwkSyntaxError(f"line {line}: function {name} never defined")
        return prog

    def item(self, prog: Program) -> None:
        tok = self.tok
        if tok.kind in ("BEGIN", "END"):
            self.next()
            self.newlines()
            if self.tok.kind != "{":
                raise self.error()
            self.special = True
            (prog.begin if tok.kind == "BEGIN" else prog.end).append(self.block())
            self.special = False
            return
        if tok.kind == "function":
            self.next()
            name_tok = self.next()
            if name_tok.kind not in ("NAME", "FUNC_NAME"):
                raise self.error(name_tok)
            self.expect("(")
            params: list[str] = []
            while self.tok.kind != ")":
                p = self.next()
                if p.kind != "NAME":
                    raise self.error(p)
                params.append(p.value)
                if self.tok.kind == ",":
                    self.next()
                    self.newlines()
                elif self.tok.kind != ")":
                    raise self.error()
            self.next()
            self.newlines()
            if self.tok.kind != "{":
                raise self.error()
            self.params = set(params)
            body = self.block()
            self.params = set()
            prog.functions[name_tok.value] = Function(name_tok.value, params, body, name_tok.line)
            return
        if tok.kind == "{":
            prog.items.append((None, None, self.block()))
            return
        if tok.kind == "}":
            after = self.peek()
            where = "end of line" if after.kind in ("EOF", "NEWLINE") else _describe(after)
            raise AwkSyntaxError(
                f"line {tok.line}: extra '}}'\n{{prog}}: line {after.line}: syntax error at or near {where}"
            )
        pattern = self.expr()
        second = None
        if self.tok.kind == ",":
            self.next()
            self.newlines()
            second = self.expr()
        action = self.block() if self.tok.kind == "{" else None
        prog.items.append((pattern, second, action))

    def block(self) -> Node:
        self.expect("{")
        self.braces += 1
        stmts: list[Node] = []
        self.terminators()
        while self.tok.kind != "}":
            if self.tok.kind == "EOF":
                raise self.error()
            stmts.append(self.statement())
            self.terminators()
        self.braces -= 1
        self.next()
        return ("block", stmts)

    # -- statements ------------------------------------------------------------

    def simple_end(self) -> None:
        if self.tok.kind in (";", "NEWLINE"):
            self.next()
        elif self.tok.kind not in ("}", "EOF"):
            raise self.error()

    def body(self) -> Node:
        self.newlines()
        if self.tok.kind == ";":
            self.next()
            return ("block", [])
        if self.tok.kind == "}":
            return ("block", [])  # mawk takes if (c) } as an empty body
        return self.statement()

    def statement(self) -> Node:
        tok = self.tok
        kind = tok.kind
        if kind == "{":
            return self.block()
        if kind == "if":
            self.next()
            self.expect("(")
            cond = self.paren_expr()
            then = self.body()
            # An else may follow after newlines or a semicolon.
            save = self.i
            self.terminators()
            if self.tok.kind == "else":
                self.next()
                return ("if", cond, then, self.body())
            self.i = save
            return ("if", cond, then, None)
        if kind == "while":
            self.next()
            self.expect("(")
            cond = self.paren_expr()
            if self.tok.kind == ";":
                self.next()
                return ("while", cond, ("block", []))
            return ("while", cond, self.body())
        if kind == "do":
            self.next()
            body = self.body()
            self.terminators()
            if self.tok.kind != "while":
                raise self.error()
            self.next()
            self.expect("(")
            cond = self.paren_expr()
            self.simple_end()
            return ("do", body, cond)
        if kind == "for":
            return self.for_statement()
        if kind == ";":
            self.next()
            return ("block", [])
        node = self.simple_statement()
        self.simple_end()
        return node

    def paren_expr(self) -> Node:
        self.no_gt.append(False)
        e = self.expr()
        self.no_gt.pop()
        self.expect(")")
        return e

    def for_statement(self) -> Node:
        self.next()
        self.expect("(")
        t = self.toks
        i = self.i
        if (
            t[i].kind == "NAME"
            and t[i + 1].kind == "in"
            and t[i + 2].kind == "NAME"
            and t[i + 3].kind == ")"
        ):
            var, arr = t[i].value, t[i + 2].value
            self.use(var, "variable", t[i].line)
            self.use(arr, "array", t[i + 2].line)
            self.i = i + 4
            return ("forin", var, arr, self.body())
        init = None if self.tok.kind == ";" else self.simple_statement()
        self.expect(";")
        self.newlines()
        cond = None if self.tok.kind == ";" else self.expr()
        self.expect(";")
        self.newlines()
        step = None if self.tok.kind == ")" else self.simple_statement()
        self.expect(")")
        if self.tok.kind == ";":
            self.next()
            return ("for", init, cond, step, ("block", []))
        return ("for", init, cond, step, self.body())

    def simple_statement(self) -> Node:
        tok = self.tok
        kind = tok.kind
        if kind in ("print", "printf"):
            return self.print_statement()
        if kind in ("next", "nextfile") and self.special:
            raise AwkSyntaxError(f"line {tok.line}: improper use of {kind}")
        if kind == "next":
            self.next()
            return ("next",)
        if kind == "nextfile":
            self.next()
            return ("nextfile",)
        if kind in ("break", "continue"):
            self.next()
            return (kind,)
        if kind in ("exit", "return"):
            self.next()
            value = None if self.tok.kind in _TERMINATORS else self.expr()
            return (kind, value)
        if kind == "delete":
            self.next()
            name = self.next()
            if name.kind != "NAME":
                raise self.error(name)
            self.use(name.value, "array", name.line)
            if self.tok.kind == "[":
                self.next()
                subs = self.expr_list("]")
                self.expect("]")
                return ("delete", name.value, subs)
            return ("delete", name.value, None)
        return ("expr", self.expr())

    def print_statement(self) -> Node:
        kind = self.next().kind
        args: list[Node] = []
        self.no_gt.append(True)
        if self.tok.kind not in _TERMINATORS and self.tok.kind not in (">", ">>", "|"):
            args = self.expr_list(None)
        self.no_gt.pop()
        if len(args) == 1 and args[0][0] == "grouplist":
            args = list(args[0][1])
        for a in args:
            if a[0] == "grouplist":
                raise self.error()
        redirect = None
        if self.tok.kind in (">", ">>", "|"):
            op = self.next().kind
            # The file may itself compare: print 1 > 2 > 1 writes to the file "1".
            self.no_gt.append(False)
            target = self.compare()
            self.no_gt.pop()
            redirect = (op, target)
        if kind == "printf" and not args:
            raise self.error()
        return (kind, args, redirect)

    def expr_list(self, closer: str | None) -> list[Node]:
        items = [self.expr()]
        while self.tok.kind == ",":
            self.next()
            self.newlines()
            items.append(self.expr())
        return items

    # -- expressions -------------------------------------------------------------

    def expr(self) -> Node:
        return self.ternary()

    def ternary(self) -> Node:
        cond = self.or_expr()
        if self.tok.kind == "?":
            self.next()
            self.newlines()
            a = self.ternary()
            self.newlines()
            self.expect(":")
            self.newlines()
            b = self.ternary()
            return ("cond", cond, a, b)
        return cond

    def or_expr(self) -> Node:
        left = self.and_expr()
        while self.tok.kind == "||":
            self.next()
            self.newlines()
            left = ("or", left, self.and_expr())
        return left

    def and_expr(self) -> Node:
        left = self.in_expr()
        while self.tok.kind == "&&":
            self.next()
            self.newlines()
            left = ("and", left, self.in_expr())
        return left

    def in_expr(self) -> Node:
        left = self.match_expr()
        while self.tok.kind == "in" and not self.no_in[-1]:
            self.next()
            name = self.next()
            if name.kind != "NAME":
                raise self.error(name)
            self.use(name.value, "array", name.line)
            left = ("in", [left], name.value)
        return left

    def match_expr(self) -> Node:
        left = self.compare()
        while self.tok.kind in ("~", "!~"):
            neg = self.next().kind == "!~"
            left = ("match", neg, left, self.compare())
        return left

    def compare(self) -> Node:
        left = self.pipe_getline()
        kind = self.tok.kind
        while kind in _COMPARE and not (kind == ">" and self.no_gt[-1]):
            self.next()
            left = ("cmp", kind, left, self.pipe_getline())
            kind = self.tok.kind
        return left

    def pipe_getline(self) -> Node:
        left = self.concat()
        while self.tok.kind == "|" and self.peek().kind == "getline":
            self.next()
            self.next()
            target = self.optional_lvalue()
            left = ("getline", "pipe", target, left)
        return left

    def concat(self) -> Node:
        left = self.additive()
        while self.tok.kind in _STARTS_CONCAT:
            left = ("concat", left, self.additive())
        return left

    def additive(self) -> Node:
        left = self.multiplicative()
        while self.tok.kind in ("+", "-"):
            op = self.next().kind
            left = ("binop", op, left, self.multiplicative())
        return left

    def multiplicative(self) -> Node:
        left = self.unary()
        while self.tok.kind in ("*", "/", "%"):
            op = self.next().kind
            left = ("binop", op, left, self.unary())
        return left

    def unary(self) -> Node:
        kind = self.tok.kind
        if kind == "!":
            self.next()
            return ("not", self.unary())
        if kind in ("-", "+"):
            self.next()
            return ("unary", kind, self.unary())
        return self.power()

    def power(self) -> Node:
        base = self.postfix()
        if self.tok.kind in ("^", "**"):
            self.next()
            # Right associative, and the exponent may carry a sign: 2^-1.
            if self.tok.kind in ("-", "+", "!"):
                op = self.next().kind
                exponent: Node = ("not", self.power()) if op == "!" else ("unary", op, self.power())
            else:
                exponent = self.power()
            return ("binop", "^", base, exponent)
        return base

    def postfix(self) -> Node:
        kind = self.tok.kind
        if kind in ("++", "--"):
            self.next()
            target = self.primary()
            if target[0] not in ("var", "field", "index"):
                raise self.error()
            return ("preinc", kind, target)
        node = self.primary()
        if node[0] in ("var", "field", "index"):
            if self.tok.kind in ("++", "--"):
                return ("postinc", self.next().kind, node)
            if self.tok.kind in _ASSIGN:
                # As in mawk's yacc grammar, an lvalue followed by an assignment
                # operator takes the rest of the expression: 1 < x = 1 is 1 < (x = 1).
                op = self.next().kind
                self.newlines()
                return ("assign", op, node, self.ternary())
        return node

    def optional_lvalue(self) -> Node | None:
        kind = self.tok.kind
        if kind == "$":
            self.next()
            return ("field", self.field_operand())
        if kind == "NAME":
            name_tok = self.next()
            name = name_tok.value
            self.use(name, "array" if self.tok.kind == "[" else "variable", name_tok.line)
            if self.tok.kind == "[":
                self.next()
                self.no_gt.append(False)
                subs = self.expr_list("]")
                self.no_gt.pop()
                self.expect("]")
                return ("index", name, subs)
            return ("var", name)
        return None

    def field_operand(self) -> Node:
        kind = self.tok.kind
        if kind in ("++", "--"):
            self.next()
            target = self.primary()
            return ("preinc", kind, target)
        if kind in ("-", "+", "!"):
            self.next()
            inner = self.field_operand()
            return ("not", inner) if kind == "!" else ("unary", kind, inner)
        node = self.primary()
        if node[0] in ("var", "index") and self.tok.kind in ("++", "--"):
            # mawk reads $NF++ as $(NF++).
            return ("postinc", self.next().kind, node)
        return node

    def primary(self) -> Node:
        tok = self.tok
        kind = tok.kind
        if kind == "NUMBER":
            self.next()
            return ("num", tok.number)
        if kind == "STRING":
            self.next()
            return ("str", tok.value)
        if kind == "ERE":
            self.next()
            return ("re", tok.value)
        if kind == "$":
            self.next()
            return ("field", self.field_operand())
        if kind == "(":
            self.next()
            self.no_gt.append(False)
            self.no_in.append(False)
            self.newlines()
            items = self.expr_list(")")
            self.no_gt.pop()
            self.no_in.pop()
            self.newlines()
            self.expect(")")
            if len(items) > 1:
                if self.tok.kind == "in":
                    self.next()
                    name = self.next()
                    if name.kind != "NAME":
                        raise self.error(name)
                    self.use(name.value, "array", name.line)
                    return ("in", items, name.value)
                return ("grouplist", items)
            return ("group", items[0])
        if kind == "NAME":
            self.next()
            if self.tok.kind not in ("[", ",", ")") or not self.in_call:
                self.use(tok.value, "array" if self.tok.kind == "[" else "variable", tok.line)
            if self.tok.kind == "[":
                self.next()
                self.no_gt.append(False)
                self.no_in.append(False)
                subs = self.expr_list("]")
                self.no_gt.pop()
                self.no_in.pop()
                self.expect("]")
                return ("index", tok.value, subs)
            return ("var", tok.value)
        if kind == "FUNC_NAME":
            self.next()
            self.next()  # (
            args = self.call_args(user=True)
            self.calls.append((tok.value, tok.line))
            return ("call", tok.value, args, tok.line)
        if kind == "BUILTIN":
            return self.builtin()
        if kind == "getline":
            self.next()
            target = self.optional_lvalue()
            if self.tok.kind == "<":
                self.next()
                source = self.primary_with_field()
                return ("getline", "file", target, source)
            return ("getline", "main", target, None)
        if kind in ("-", "+", "!"):
            return self.unary()
        raise self.error()

    def primary_with_field(self) -> Node:
        return self.primary()

    def call_args(self, user: bool = False) -> list[Node]:
        saved = self.in_call
        self.in_call = user
        self.no_gt.append(False)
        self.no_in.append(False)
        self.newlines()
        args: list[Node] = []
        if self.tok.kind != ")":
            args = self.expr_list(")")
        self.newlines()
        self.no_gt.pop()
        self.no_in.pop()
        self.in_call = saved
        self.expect(")")
        return args

    def builtin(self) -> Node:
        tok = self.next()
        name = tok.value
        if self.tok.kind == "(":
            self.next()
            args = self.call_args(user=True)
        elif name == "length":
            args = []
        else:
            raise self.error()
        low, high = _ARITY[name]
        if not low <= len(args) <= high:
            raise AwkSyntaxError(f"line {tok.line}: wrong number of arguments in call to {name}")
        if name in ("sub", "gsub") and len(args) == 3 and args[2][0] not in (
            "var", "field", "index", "group",
        ):  # fmt: skip
            raise self.error()
        if name == "split" and args[1][0] != "var":
            raise self.error()
        if name == "split":
            self.kinds[args[1][1]] = "array"
        return ("builtin", name, args, tok.line)


def parse(text: str) -> Program:
    return Parser(text).program()
