package workflows

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
)

// Expr is one compiled expression and where it was written.
type Expr struct {
	Source  string
	Pos     Pos
	program *vm.Program
	// seen evaluates the left side of a comparison, to show the value seen
	// when an expectation fails.
	seen       *vm.Program
	seenSource string
	refs       []ref
}

type refKind int

const (
	refInput refKind = iota
	refStep
	refCapture
)

// ref is an inputs.x, steps.x or steps.x.y reference, checked once the whole
// definition is known.
type ref struct {
	kind      refKind
	name, sub string
	pos       Pos
}

// ExprError is a runtime failure of an expression, pointing at the workflow line.
type ExprError struct {
	Expr *Expr
	Err  error
}

// Error names the place, the expression and what went wrong.
func (e *ExprError) Error() string {
	return fmt.Sprintf("%s: evaluate %q: %v", e.Expr.Pos, e.Expr.Source, e.Err)
}

// Unwrap returns the evaluation error.
func (e *ExprError) Unwrap() error { return e.Err }

func (x *Expr) eval(s *scope) (any, error) {
	out, err := expr.Run(x.program, s)
	if err != nil {
		return nil, &ExprError{Expr: x, Err: errors.New(runtimeMessage(err))}
	}
	return out, nil
}

// test evaluates a condition; anything but a boolean is a workflow error.
func (x *Expr) test(s *scope) (bool, error) {
	out, err := x.eval(s)
	if err != nil {
		return false, err
	}
	b, ok := out.(bool)
	if !ok {
		return false, &ExprError{Expr: x, Err: fmt.Errorf("condition gave %s, not true or false", describe(out))}
	}
	return b, nil
}

// runtimeMessage says what went wrong in the words of a workflow, where
// expr's own words are about its internals.
func runtimeMessage(err error) string {
	msg := err.Error()
	var fe *file.Error
	if errors.As(err, &fe) {
		msg = fe.Message
	}
	switch {
	case strings.HasPrefix(msg, "cannot fetch ") && strings.HasSuffix(msg, " from <nil>"):
		return fmt.Sprintf("cannot read %s of null (the value before it is missing)", strings.TrimSuffix(strings.TrimPrefix(msg, "cannot fetch "), " from <nil>"))
	case msg == "invalid operation: int(string)":
		return "cannot read a field of a text value"
	}
	return msg
}

// site says what an expression may see where it is written.
type site struct {
	vars vars
	// sink collects expressions whose references are checked later.
	sink *[]*Expr
	// where names the place for "only available in" messages.
	where string
}

// functionNames are the functions of the language besides expr's builtins.
var functionNames = []string{"uuid", "sprintf", "today", "addDays", "addMonths", "addYears", "formatDate", "jsonpath"}

func expressionOptions() []expr.Option {
	return []expr.Option{
		expr.Env(scope{}),
		expr.Function("uuid", func(...any) (any, error) { return newUUID(), nil }, new(func() string)),
		expr.Function("sprintf", func(p ...any) (any, error) {
			f, err := stringArg("sprintf", p, 0)
			if err != nil {
				return nil, err
			}
			return fmt.Sprintf(f, p[1:]...), nil
		}, new(func(string, ...any) string)),
		expr.Function("today", func(...any) (any, error) { return time.Now().Format(time.DateOnly), nil }, new(func() string)),
		expr.Function("addDays", dateShift("addDays", 0, 0, 1), new(func(any, int) any)),
		expr.Function("addMonths", dateShift("addMonths", 0, 1, 0), new(func(any, int) any)),
		expr.Function("addYears", dateShift("addYears", 1, 0, 0), new(func(any, int) any)),
		expr.Function("formatDate", func(p ...any) (any, error) {
			layout, err := stringArg("formatDate", p, 1)
			if err != nil {
				return nil, err
			}
			return formatDate(p[0], layout)
		}, new(func(any, string) string)),
		expr.Function("jsonpath", func(p ...any) (any, error) {
			path, err := stringArg("jsonpath", p, 1)
			if err != nil {
				return nil, err
			}
			return jsonPath(p[0], path)
		}, new(func(any, string) any)),
	}
}

// stringArg reads argument i, which the checker cannot always type (body is any).
func stringArg(fn string, p []any, i int) (string, error) {
	if i < len(p) {
		if s, ok := p[i].(string); ok {
			return s, nil
		}
	}
	return "", fmt.Errorf("%s: argument %d must be text", fn, i+1)
}

func dateShift(fn string, years, months, days int) func(...any) (any, error) {
	return func(p ...any) (any, error) {
		n, ok := p[1].(int)
		if !ok {
			return nil, fmt.Errorf("%s: argument 2 must be an integer, not %s", fn, describe(p[1]))
		}
		return addDate(p[0], years*n, months*n, days*n)
	}
}

func knownFunctions() []string {
	names := append([]string(nil), functionNames...)
	for _, b := range builtin.Builtins {
		names = append(names, b.Name)
	}
	return names
}

// compileExpr parses, checks and compiles one expression. base is the place
// of its first character. It returns nil after reporting a diagnostic.
func (c *compiler) compileExpr(src string, base Pos, at site) *Expr {
	x := &Expr{Source: src, Pos: base}
	tree, err := parser.Parse(src)
	if err != nil {
		c.exprError(base, err)
		return nil
	}
	if !c.checkNames(tree, x, base, at) {
		return nil
	}
	prog, err := expr.Compile(src, c.options...)
	if err != nil {
		c.exprError(base, err)
		return nil
	}
	x.program = prog
	if b, ok := tree.Node.(*ast.BinaryNode); ok && isComparison(b.Operator) {
		if _, literal := b.Left.(*ast.IntegerNode); !literal {
			left := b.Left.String()
			if p, err := expr.Compile(left, c.options...); err == nil {
				x.seen, x.seenSource = p, left
			}
		}
	}
	if at.sink != nil {
		*at.sink = append(*at.sink, x)
	}
	return x
}

func isComparison(op string) bool {
	switch op {
	case "==", "!=", "<", ">", "<=", ">=", "in", "contains", "matches", "startsWith", "endsWith":
		return true
	}
	return false
}

func (c *compiler) exprError(base Pos, err error) {
	msg, col := err.Error(), 0
	var fe *file.Error
	if errors.As(err, &fe) {
		msg, col = fe.Message, fe.Column
	}
	c.errorf(shift(base, col), "", "表达式有误：%s", "invalid expression: %s", msg, msg)
}

func shift(p Pos, runes int) Pos {
	p.Col += runes
	return p
}

type nameChecker struct {
	c      *compiler
	x      *Expr
	base   Pos
	at     site
	lets   map[string]bool
	failed bool
}

func (c *compiler) checkNames(tree *parser.Tree, x *Expr, base Pos, at site) bool {
	nc := &nameChecker{c: c, x: x, base: base, at: at, lets: map[string]bool{}}
	ast.Walk(&tree.Node, letCollector(nc.lets))
	ast.Walk(&tree.Node, nc)
	return !nc.failed
}

type letCollector map[string]bool

func (l letCollector) Visit(n *ast.Node) {
	if v, ok := (*n).(*ast.VariableDeclaratorNode); ok {
		l[v.Name] = true
	}
}

func (nc *nameChecker) pos(n ast.Node) Pos { return shift(nc.base, n.Location().From) }

func (nc *nameChecker) Visit(n *ast.Node) {
	switch node := (*n).(type) {
	case *ast.IdentifierNode:
		nc.identifier(node)
	case *ast.MemberNode:
		nc.member(node)
	}
}

func (nc *nameChecker) identifier(node *ast.IdentifierNode) {
	name := node.Value
	if nc.lets[name] {
		return
	}
	for _, f := range functionNames {
		if f == name {
			return
		}
	}
	if v := varOf(name); v != 0 {
		if nc.at.vars&v == 0 {
			nc.failed = true
			nc.c.errorf(nc.pos(node), "", "%s 在 %s 中不可用", "%s is not available in %s", name, nc.at.where, name, nc.at.where)
		}
		return
	}
	nc.failed = true
	candidates := append(nc.at.vars.names(), knownFunctions()...)
	nc.c.errorf(nc.pos(node), suggest(name, candidates), "未知的名字 %s", "unknown name %s", name, name)
}

func (nc *nameChecker) member(node *ast.MemberNode) {
	prop, ok := node.Property.(*ast.StringNode)
	if !ok {
		return
	}
	if id, ok := node.Node.(*ast.IdentifierNode); ok && !nc.lets[id.Value] {
		switch id.Value {
		case "inputs":
			nc.x.refs = append(nc.x.refs, ref{kind: refInput, name: prop.Value, pos: nc.pos(node.Property)})
		case "steps":
			nc.x.refs = append(nc.x.refs, ref{kind: refStep, name: prop.Value, pos: nc.pos(node.Property)})
		case "fake":
			if nc.at.vars&varFake != 0 && !contains(nc.c.fakeNames, prop.Value) {
				nc.failed = true
				nc.c.errorf(nc.pos(node.Property), suggest(prop.Value, nc.c.fakeNames), "未知的造数函数 fake.%s", "unknown fake data function fake.%s", prop.Value, prop.Value)
			}
		}
		return
	}
	inner, ok := node.Node.(*ast.MemberNode)
	if !ok {
		return
	}
	step, ok := inner.Property.(*ast.StringNode)
	if id, isID := inner.Node.(*ast.IdentifierNode); ok && isID && id.Value == "steps" && !nc.lets["steps"] {
		nc.x.refs = append(nc.x.refs, ref{kind: refCapture, name: step.Value, sub: prop.Value, pos: nc.pos(node.Property)})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// valueKind tells how a Value is computed.
type valueKind int

const (
	valueLiteral valueKind = iota
	valueExpr
	valueTemplate
	valueMap
	valueList
)

// Value is a workflow value: a literal, one expression that keeps its type,
// a string with ${{ }} parts, or a map or list of values.
type Value struct {
	Pos    Pos
	kind   valueKind
	lit    any
	expr   *Expr
	parts  []templatePart
	keys   []string
	fields []*Value
}

type templatePart struct {
	text string
	expr *Expr
}

// IsStatic reports whether the value needs no evaluation.
func (v *Value) IsStatic() bool {
	switch v.kind {
	case valueLiteral:
		return true
	case valueMap, valueList:
		for _, f := range v.fields {
			if !f.IsStatic() {
				return false
			}
		}
		return true
	}
	return false
}

func (v *Value) eval(s *scope) (any, error) {
	switch v.kind {
	case valueLiteral:
		return v.lit, nil
	case valueExpr:
		return v.expr.eval(s)
	case valueTemplate:
		var b strings.Builder
		for _, p := range v.parts {
			if p.expr == nil {
				b.WriteString(p.text)
				continue
			}
			out, err := p.expr.eval(s)
			if err != nil {
				return nil, err
			}
			b.WriteString(stringify(out))
		}
		return b.String(), nil
	case valueMap:
		m := make(map[string]any, len(v.keys))
		for i, k := range v.keys {
			out, err := v.fields[i].eval(s)
			if err != nil {
				return nil, err
			}
			m[k] = out
		}
		return m, nil
	default:
		list := make([]any, len(v.fields))
		for i, f := range v.fields {
			out, err := f.eval(s)
			if err != nil {
				return nil, err
			}
			list[i] = out
		}
		return list, nil
	}
}

// evalString evaluates v and renders it as text, as in a URL or a header.
func (v *Value) evalString(s *scope) (string, error) {
	out, err := v.eval(s)
	if err != nil {
		return "", err
	}
	return stringify(out), nil
}

// stringify renders a value the way it reads inside a string.
func stringify(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return strconv.FormatInt(int64(x), 10)
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case time.Time:
		return x.Format(time.RFC3339)
	case time.Duration:
		return x.String()
	case fmt.Stringer:
		return x.String()
	}
	b, err := json.Marshal(jsonValue(v))
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// describe renders a value seen at run time for a message: strings quoted,
// long values cut.
func describe(v any) string {
	var s string
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		s = strconv.Quote(x)
	default:
		s = stringify(v)
	}
	if utf8.RuneCountInString(s) > 200 {
		s = string([]rune(s)[:200]) + "…"
	}
	return s
}

// jsonValue makes a value from an expression encodable as JSON: expr's
// fromPairs and friends build map[any]any, which encoding/json refuses.
func jsonValue(v any) any {
	switch x := v.(type) {
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[fmt.Sprint(k)] = jsonValue(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = jsonValue(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonValue(e)
		}
		return out
	}
	return v
}
