import pytest

from campaign_sheets import formula as f
from campaign_sheets.formula import engine as fe
from campaign_sheets.formula import values as fv
from campaign_sheets.errors import FormulaSyntaxError


class Ctx(f.Context):
    def __init__(self, row=None, tables=None, today=46000.0):
        self._row, self._tables, self.today = row or {}, tables or {}, today

    def row(self, name):
        return self._row.get(name)

    def scoped(self, scope, name):
        return self._tables[scope][name]

    def item(self, list_name, key):
        return {"done": "已完成"}.get(key, key)


def ev(src, **kw):
    return f.evaluate(f.parse(src), Ctx(**kw))


def test_arithmetic_and_precedence():
    assert ev("1+2*3") == 7
    assert ev("(1+2)*3") == 9
    assert ev("-2^2") == 4  # Excel: unary minus binds tighter than ^
    assert ev('"a"&1&"b"') == "a1b"


def test_blank_acts_as_zero_and_empty_string():
    assert ev("[x]+1") == 1
    assert ev('[x]=""') is True
    assert ev("[x]=0") is True
    assert ev('IF([x]="","",[x]*2)') == ""


def test_errors_propagate_and_iferror_catches():
    assert ev("1/0") == f.ExcelError("#DIV/0!")
    assert ev('IFERROR(1/0,"n/a")') == "n/a"
    assert ev('"x"+1') == f.ExcelError("#VALUE!")


def test_comparison_is_case_blind_and_text_sorts_after_numbers():
    assert ev('"Done"="done"') is True
    assert ev('"a">5') is True


def test_aggregates_and_criteria():
    tables = {"t": {"v": [1.0, None, 5.0, "x"], "s": ["已完成", "进行中", "已完成", None]}}
    assert ev("SUM([t.v])", tables=tables) == 6
    assert ev("COUNTA([t.v])", tables=tables) == 3
    assert ev('COUNTIF([t.v],">2")', tables=tables) == 1
    assert ev("COUNTIF([t.s],{l.done})", tables=tables) == 2
    assert ev('SUMIFS([t.v],[t.s],"<>"&{l.done})', tables=tables) == 0
    assert ev('COUNTIF([t.s],"")', tables=tables) == 1


def test_lookupkey_renders_index_match_and_evaluates():
    tables = {"t": {"id": ["T1", "T2"], "end": [10.0, 20.0]}}
    assert ev('LOOKUPKEY("t2",[t.id],[t.end])', tables=tables) == 20
    assert ev('LOOKUPKEY("T9",[t.id],[t.end])', tables=tables) == ""

    class Names(f.ExcelNames):
        def row(self, n):
            return f"R_{n}"

        def scoped(self, s, n):
            return f"{s}_{n}"

        def item(self, l, k):
            return '"x"'

    text = f.to_excel(f.parse('LOOKUPKEY([p],[t.id],[t.end])'), Names())
    assert text == 'IFERROR(INDEX(t_end,MATCH(R_p,t_id,0)),"")'


@pytest.mark.parametrize("bad", ["1+", "FOO(1)", "[a", "{x}", "1 2"])
def test_syntax_errors_are_formula_errors(bad):
    with pytest.raises(FormulaSyntaxError):
        f.parse(bad)


def test_today_and_dates_are_serials():
    import datetime as dt

    today = f.date_to_serial(dt.date(2026, 6, 15))
    assert ev("TODAY()-[d]", row={"d": f.date_to_serial(dt.date(2026, 6, 1))}, today=today) == 14
    assert f.serial_to_date(today) == dt.date(2026, 6, 15)


class CountingCtx(Ctx):
    """Counts reads of other tables, so a test can see what was computed once."""

    def __init__(self, *args, shared=None, **kw):
        super().__init__(*args, **kw)
        self.shared, self.reads = shared, 0

    def scoped(self, scope, name):
        self.reads += 1
        return super().scoped(scope, name)


def test_row_invariant_functions_are_computed_once_per_shared_dict():
    tables = {"defs": {"kpi": ["a", "b"], "alert": [10.0, 0.0]}}
    rule = f.compiled(f.parse('AND([v]<>"", [v]<LOOKUPKEY("a",[defs.kpi],[defs.alert]))'))
    shared: dict = {}
    results = []
    for v in (5.0, 20.0, None, 1.0):
        ctx = CountingCtx({"v": v}, tables, shared=shared)
        results.append(f.run(rule, ctx))
        total_reads = ctx.reads
    assert results == [True, False, False, True]
    assert total_reads == 0, "the LOOKUPKEY was computed for the first row only"
    # without a shared dict every row computes it again; another dict starts afresh
    ctx = CountingCtx({"v": 5.0}, tables)
    assert f.run(rule, ctx) is True and ctx.reads == 2
    fresh = CountingCtx({"v": 5.0}, {"defs": {"kpi": ["a"], "alert": [1.0]}}, shared={})
    assert f.run(rule, fresh) is False


def test_a_shared_error_is_raised_again_for_every_row():
    tables = {"defs": {"x": [1.0, 0.0]}}
    node = f.compiled(f.parse("IFERROR([v]/(SUM([defs.x])-1), -1)"))   # SUM is shared; the division fails each row
    shared: dict = {}
    assert [f.run(node, CountingCtx({"v": v}, tables, shared=shared)) for v in (2.0, 3.0)] == [-1, -1]
    bad = f.compiled(f.parse("[v]+SUM([defs.x], 1/0)"))
    assert [f.run(bad, CountingCtx({"v": 1.0}, tables, shared=shared)) for _ in range(2)] == \
        [f.ExcelError("#DIV/0!")] * 2


def _outcome(fn):
    try:
        return ("value", fn())
    except f.ExcelError as err:
        return ("error", err.code)


@pytest.mark.parametrize("source, reference", [
    ('[a]=""', lambda a, b: f.compare("=", a, "")),
    ('[a]<>""', lambda a, b: f.compare("<>", a, "")),
    ("AND([a],[b])", lambda a, b: fe._apply("AND", [a, b])),
    ("OR([a],[b])", lambda a, b: fe._apply("OR", [a, b])),
])
def test_shortcut_operators_agree_with_the_general_rules(source, reference):
    """`x=""`, AND and OR have compiled shortcuts; they must give what compare/_apply give."""
    values = [None, "", "x", " ", 0.0, 1.0, 2, True, False, f.ExcelError("#N/A"), [1.0, None], [0.0, "TRUE"], "TRUE"]
    node = f.parse(source)
    for a in values:
        for b in values:
            got = _outcome(lambda: f.compiled(node)(Ctx({"a": a, "b": b})))
            assert got == _outcome(lambda: reference(a, b)), (source, a, b)


_POOL = [None, "", "a", "A", " a", "b", "B2", "10", 0.0, -0.0, 1.0, 10.0, 2.5, float("nan"), True, False, 3,
         f.ExcelError("#N/A")]


def _outcome(fn):
    try:
        return ("ok", fn())
    except f.ExcelError as err:
        return ("error", err.code if hasattr(err, "code") else str(err))
    except TypeError:
        return ("type-error", None)


def _same(a, b):
    if a[0] != b[0]:
        return False
    x, y = a[1], b[1]
    return (x != x and y != y) or x == y


def test_indexed_lookup_answers_as_the_scan():
    """LOOKUPKEY's per-workbook key index gives what the linear scan gives, for every mix of
    blanks, texts differing in case, numbers, NaN, booleans and errors (first match wins)."""
    import random

    rng = random.Random(7)
    node = f.parse("LOOKUPKEY([v],[t.k],[t.r])")
    for _ in range(1500):
        n = rng.randint(0, 6)
        keys = [rng.choice(_POOL) for _ in range(n)]
        results = [rng.choice(_POOL + ["x", "y"]) for _ in range(n)]
        value = rng.choice(_POOL)
        ctx = Ctx(row={"v": value}, tables={"t": {"k": keys, "r": results}})
        ctx.shared = {}
        fast = [_outcome(lambda: f.compiled(node)(ctx)) for _ in range(2)]   # index built, then reused
        scan = _outcome(lambda: fe._lookup_key([value, keys, results]))
        assert _same(fast[0], scan) and _same(fast[1], scan), (value, keys, results, fast, scan)


def _old_criterion(crit):
    """The criterion rules before their shortcuts: compare() for every value."""
    if not isinstance(crit, str):
        return lambda v: v is not None and not isinstance(v, str) and f.compare("=", v, crit)
    op, rest = fv._CRIT.match(crit).groups()
    op = op or "="
    try:
        target = float(rest)
    except ValueError:
        target = rest
    if rest == "" and op in ("=", "<>"):
        return (lambda v: v is None or v == "") if op == "=" else (lambda v: not (v is None or v == ""))
    if isinstance(target, float):
        def numeric(v):
            if isinstance(v, str):
                try:
                    v = float(v)
                except ValueError:
                    return op == "<>"
            if v is None or isinstance(v, bool) or isinstance(v, f.ExcelError):
                return op == "<>"
            return f.compare(op, float(v), target)
        return numeric
    return lambda v: op == "<>" if not isinstance(v, str) else f.compare(op, v, target)


@pytest.mark.parametrize("crit", ["a", "A", "<>a", ">b", "<=B2", "=", "<>", "", ">=10", "<2.5", "10", 1.0, True,
                                  "x*", "<>" + "中文"])
def test_criteria_and_countif_agree_with_compare(crit):
    values = [v for v in _POOL if not isinstance(v, f.ExcelError)] + ["中文", "X*"]
    new, old = f.criterion(crit), _old_criterion(crit)
    for v in values:
        assert _same(_outcome(lambda: new(v)), _outcome(lambda: old(v))), (crit, v)
    assert fe._count_if([values, crit]) == fe._conditional(None, [(values, crit)])
    assert f.criterion(crit) is new   # memoised


def _reference(node, ctx):
    """A plain walk of the tree with the engine's rules: the oracle the compiled closures (with
    their shortcuts, shared results and lookup index) are held to."""
    if isinstance(node, (f.Num, f.Str, f.Bool)):
        return node.value
    if isinstance(node, f.Ref):
        return ctx.row(node.name) if node.scope is None else ctx.scoped(node.scope, node.name)
    if isinstance(node, f.Item):
        return ctx.item(node.list, node.key)
    if isinstance(node, f.Neg):
        return -fv._number(_reference(node.operand, ctx))
    if isinstance(node, f.BinOp):
        if node.op in ("=", "<>") and node.right == f.Str(""):
            v = _reference(node.left, ctx)
            if v is None or v.__class__ is str:
                return (not v) is (node.op == "=")
            if isinstance(v, f.ExcelError):
                raise v
            return node.op != "="
        a = _reference(node.left, ctx)
        if node.op == "&":
            return fv._text(a) + fv._text(_reference(node.right, ctx))
        if node.op in fv._OPS:
            return f.compare(node.op, a, _reference(node.right, ctx))
        x = fv._number(a)
        y = fv._number(_reference(node.right, ctx))
        return {"+": lambda: x + y, "-": lambda: x - y, "*": lambda: x * y, "^": lambda: x ** y,
                "/": lambda: fe._divide(x, y)}[node.op]()
    name, args = node.name, node.args
    if name == "IF":
        cond = fv._bool(_reference(args[0], ctx))
        if cond:
            return _reference(args[1], ctx) if len(args) > 1 else True
        return _reference(args[2], ctx) if len(args) > 2 else False
    if name == "IFERROR":
        try:
            value = _reference(args[0], ctx)
        except f.ExcelError:
            return _reference(args[1], ctx)
        return _reference(args[1], ctx) if isinstance(value, f.ExcelError) else value
    if name == "TODAY":
        return ctx.today
    values = [_reference(a, ctx) for a in args]
    if name in ("AND", "OR"):
        stop = name == "OR"
        for v in values:
            if v is None or v is (not stop):
                continue
            if v is stop:
                return stop
            return fe._apply(name, values)
        return not stop
    return fe._apply(name, values)


def _random_formula(rng, depth=0):
    leaf = depth > 2 or rng.random() < 0.3
    if leaf:
        return rng.choice(["[a]", "[b]", "[c]", "[t.k]", "[t.n]", "1", "0", "2.5", '"x"', '""', '"A"', "{s.done}",
                           "TRUE"])
    sub = lambda: _random_formula(rng, depth + 1)  # noqa: E731
    kind = rng.randrange(9)
    if kind == 0:
        return f"({sub()}{rng.choice(['+', '-', '*', '/', '^', '&'])}{sub()})"
    if kind == 1:
        return f"({sub()}{rng.choice(['=', '<>', '<', '>', '<=', '>='])}{sub()})"
    if kind == 2:
        return f'({sub()}{rng.choice(["=", "<>"])}"")'
    if kind == 3:
        return f"IF({sub()},{sub()},{sub()})" if rng.random() < 0.7 else f"IF({sub()},{sub()})"
    if kind == 4:
        return f"{rng.choice(['AND', 'OR'])}({sub()},{sub()}{',' + sub() if rng.random() < 0.4 else ''})"
    if kind == 5:
        return f"IFERROR({sub()},{sub()})"
    if kind == 6:
        return f"{rng.choice(['SUM', 'COUNT', 'AVERAGE', 'MIN', 'MAX', 'COUNTA', 'COUNTBLANK'])}([t.n],{sub()})"
    if kind == 7:
        return rng.choice([f"COUNTIF([t.k],{sub()})", f"SUMIF([t.k],{sub()},[t.n])", f"LOOKUPKEY({sub()},[t.k],[t.n])",
                           f"COUNTIFS([t.k],{sub()},[t.n],{sub()})", f"SUMIFS([t.n],[t.k],{sub()})"])
    return rng.choice([f"-{sub()}", f"NOT({sub()})", f"ABS({sub()})", f"ROUND({sub()},1)", f"LEN({sub()})",
                       f"ISBLANK({sub()})", f"ISNUMBER({sub()})", "TODAY()"])


def test_compiled_formulas_evaluate_as_the_tree_walk():
    """Random formulas over random rows (blanks, texts, numbers, booleans, errors): the compiled
    function gives the value, or raises the error, that walking the tree does."""
    import random

    rng = random.Random(11)
    values = [None, "", "x", "A", "a", 0.0, 1.0, -3.5, 2.5, True, False, f.ExcelError("#N/A")]

    class Book(Ctx):
        def item(self, list_name, key):
            return "Done"

    checked = 0
    for _ in range(3000):
        source = _random_formula(rng)
        node = f.parse(source)
        keys = [rng.choice(values) for _ in range(4)]
        nums = [rng.choice(values) for _ in range(4)]
        row = {k: rng.choice(values) for k in "abc"}
        outcomes = []
        for engine in (lambda c: f.compiled(node)(c), lambda c: _reference(node, c)):
            ctx = Book(row=row, tables={"t": {"k": keys, "n": nums}})
            ctx.shared = {}
            try:
                outcomes.append(("ok", engine(ctx)))
            except f.ExcelError as err:
                outcomes.append(("error", str(err)))
            except (TypeError, ValueError, OverflowError, ZeroDivisionError) as err:
                outcomes.append(("python", type(err).__name__))
        a, b = outcomes
        assert a[0] == b[0] and (a[1] == b[1] or (a[1] != a[1] and b[1] != b[1])), (source, row, keys, nums, a, b)
        checked += a[0] == "ok"
    assert checked > 500


def test_lookupkey_of_a_blank_cell_is_blank_as_excel_gives_it():
    """INDEX(..., MATCH(...)) of an empty cell is a reference to it: equal to "" and to 0 in a
    comparison, and 0 as a cell's result (Calc showed 0 where the evaluator said "")."""
    tables = {"t": {"k": ["a", "b"], "v": [None, 5.0]}}
    for engine in ("scan", "index"):
        shared = {} if engine == "index" else None
        def run(src, shared=shared):
            ctx = Ctx(tables=tables)
            ctx.shared = shared
            return f.evaluate(f.parse(src), ctx)
        assert run('LOOKUPKEY("a",[t.k],[t.v])') is None
        assert run('LOOKUPKEY("a",[t.k],[t.v])=""') is True and run('LOOKUPKEY("a",[t.k],[t.v])=0') is True
        assert run('LOOKUPKEY("b",[t.k],[t.v])') == 5.0 and run('LOOKUPKEY("zz",[t.k],[t.v])') == ""
