package workflows

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/expr-lang/expr"
	"go.yaml.in/yaml/v3"
)

// compiler turns the YAML nodes of one file into a checked model, reporting
// every problem rather than stopping at the first.
type compiler struct {
	file string
	// root is where uses: paths of this file resolve.
	root      string
	diags     *Diagnostics
	options   []expr.Option
	fakeNames []string
}

func (c *compiler) pos(n *yaml.Node) Pos { return Pos{File: c.file, Line: n.Line, Col: n.Column} }

func (c *compiler) errorf(p Pos, suggestion, zh, en string, args ...any) {
	*c.diags = append(*c.diags, Diagnostic{File: p.File, Line: p.Line, Col: p.Col, Message: textf(zh, en, args...), Suggestion: suggestion})
}

type entry struct {
	key, val *yaml.Node
}

func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// entries returns the pairs of a mapping in file order, reporting duplicates.
func (c *compiler) entries(n *yaml.Node, what Text) []entry {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			return nil
		}
		c.errorf(c.pos(n), "", "%s 应当是一个映射（key: value）", "%s must be a mapping (key: value)", what.Zh, what.En)
		return nil
	}
	seen := map[string]bool{}
	out := make([]entry, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		if seen[k.Value] {
			c.errorf(c.pos(k), "", "键 %q 重复", "duplicate key %q", k.Value, k.Value)
			continue
		}
		seen[k.Value] = true
		out = append(out, entry{k, v})
	}
	return out
}

// fields returns the keys of a mapping by name, reporting unknown keys with a
// did-you-mean.
func (c *compiler) fields(n *yaml.Node, what Text, allowed ...string) map[string]entry {
	out := map[string]entry{}
	for _, e := range c.entries(n, what) {
		if !contains(allowed, e.key.Value) {
			c.errorf(c.pos(e.key), suggest(e.key.Value, allowed), "%s中没有 %q 这个键", "unknown key %q in %s", zhEn(what, e.key.Value)...)
			continue
		}
		out[e.key.Value] = e
	}
	return out
}

// zhEn orders arguments for messages whose Chinese and English put the
// place and the name in different orders.
func zhEn(what Text, name string) []any { return []any{what.Zh, name, name, what.En} }

func (c *compiler) str(n *yaml.Node, what Text) string {
	n = resolve(n)
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		c.errorf(c.pos(n), "", "%s 应当是一个字符串", "%s must be a string", what.Zh, what.En)
		return ""
	}
	return n.Value
}

func (c *compiler) integer(n *yaml.Node, what Text) (int, bool) {
	n = resolve(n)
	if n.Kind == yaml.ScalarNode && n.Tag == "!!int" {
		if v, err := strconv.Atoi(n.Value); err == nil {
			return v, true
		}
	}
	c.errorf(c.pos(n), "", "%s 应当是一个整数，而不是 %q", "%s must be an integer, not %q", what.Zh, n.Value, what.En, n.Value)
	return 0, false
}

func (c *compiler) boolean(n *yaml.Node, what Text) bool {
	n = resolve(n)
	if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		var b bool
		if n.Decode(&b) == nil {
			return b
		}
	}
	c.errorf(c.pos(n), "", "%s 应当是 true 或 false，而不是 %q", "%s must be true or false, not %q", what.Zh, n.Value, what.En, n.Value)
	return false
}

func (c *compiler) duration(n *yaml.Node, what Text) time.Duration {
	s := c.str(n, what)
	if s == "" {
		return 0
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		c.errorf(c.pos(n), "", "%s 不是有效的时长：%q（例如 500ms、3s、2m）", "%s is not a valid duration: %q (e.g. 500ms, 3s, 2m)", what.Zh, s, what.En, s)
		return 0
	}
	return d
}

// stringList accepts one string or a list of strings.
func (c *compiler) stringList(n *yaml.Node, what Text) []string {
	n = resolve(n)
	if n.Kind == yaml.ScalarNode {
		return []string{c.str(n, what)}
	}
	if n.Kind != yaml.SequenceNode {
		c.errorf(c.pos(n), "", "%s 应当是字符串或字符串列表", "%s must be a string or a list of strings", what.Zh, what.En)
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for _, item := range n.Content {
		out = append(out, c.str(item, what))
	}
	return out
}

// text accepts a plain string (Chinese) or {zh: …, en: …}.
func (c *compiler) text(n *yaml.Node, what Text) Text {
	n = resolve(n)
	if n.Kind == yaml.ScalarNode {
		return Text{Zh: n.Value}
	}
	f := c.fields(n, what, "zh", "en")
	var t Text
	if e, ok := f["zh"]; ok {
		t.Zh = c.str(e.val, what)
	}
	if e, ok := f["en"]; ok {
		t.En = c.str(e.val, what)
	}
	return t
}

// scalarStart is the place of the first character of a scalar's content.
func (c *compiler) scalarStart(n *yaml.Node) Pos {
	p := c.pos(n)
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		p.Col++
	}
	return p
}

func (c *compiler) offsetPos(n *yaml.Node, runeOffset int) Pos {
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 || strings.Contains(n.Value, "\n") {
		return c.pos(n)
	}
	return shift(c.scalarStart(n), runeOffset)
}

// value compiles a YAML value: literals stay literals, strings may hold ${{ }}.
func (c *compiler) value(n *yaml.Node, at site) *Value {
	n = resolve(n)
	v := &Value{Pos: c.pos(n)}
	switch n.Kind {
	case yaml.MappingNode:
		v.kind = valueMap
		for _, e := range c.entries(n, Text{"值", "value"}) {
			v.keys = append(v.keys, e.key.Value)
			v.fields = append(v.fields, c.value(e.val, at))
		}
	case yaml.SequenceNode:
		v.kind = valueList
		for _, item := range n.Content {
			v.fields = append(v.fields, c.value(item, at))
		}
	default:
		if n.Tag != "!!str" {
			v.kind = valueLiteral
			if err := n.Decode(&v.lit); err != nil {
				c.errorf(c.pos(n), "", "无法读取这个值：%v", "cannot read this value: %v", err, err)
			}
			return v
		}
		c.template(n, v, at)
	}
	return v
}

func (c *compiler) template(n *yaml.Node, v *Value, at site) {
	s := n.Value
	if !strings.Contains(s, "${{") {
		if looksLikeExpression.MatchString(s) {
			c.errorf(c.pos(n), "${{ "+s+" }}", "这是普通文本，不是表达式", "this is plain text, not an expression")
		}
		v.kind, v.lit = valueLiteral, s
		return
	}
	var parts []templatePart
	rest, offset := s, 0
	for {
		start := strings.Index(rest, "${{")
		if start < 0 {
			if rest != "" {
				parts = append(parts, templatePart{text: rest})
			}
			break
		}
		if start > 0 {
			parts = append(parts, templatePart{text: rest[:start]})
		}
		end := strings.Index(rest[start:], "}}")
		exprStart := offset + runeLen(rest[:start]) + 3
		if end < 0 {
			c.errorf(c.offsetPos(n, exprStart-3), "", "${{ 没有对应的 }}", "${{ is not closed with }}")
			return
		}
		src := rest[start+3 : start+end]
		lead := runeLen(src) - runeLen(strings.TrimLeft(src, " \t"))
		if strings.TrimSpace(src) == "" {
			c.errorf(c.offsetPos(n, exprStart-3), "", "${{ }} 里是空的", "empty expression in ${{ }}")
			return
		}
		x := c.compileExpr(strings.TrimSpace(src), c.offsetPos(n, exprStart+lead), at)
		parts = append(parts, templatePart{expr: x})
		consumed := start + end + 2
		offset += runeLen(rest[:consumed])
		rest = rest[consumed:]
	}
	for _, p := range parts {
		if p.expr == nil && p.text == "" {
			return
		}
	}
	if len(parts) == 1 && parts[0].expr != nil {
		v.kind, v.expr = valueExpr, parts[0].expr
		return
	}
	v.kind, v.parts = valueTemplate, parts
}

func runeLen(s string) int { return len([]rune(s)) }

// condition compiles a value that is always an expression: a bare expression
// or one ${{ }}; true and false are allowed as literals.
func (c *compiler) condition(n *yaml.Node, at site) *Expr {
	n = resolve(n)
	if n.Kind != yaml.ScalarNode {
		c.errorf(c.pos(n), "", "这里应当是一个表达式", "an expression is expected here")
		return nil
	}
	if n.Tag != "!!str" {
		return c.compileExpr(n.Value, c.pos(n), at)
	}
	s := strings.TrimSpace(n.Value)
	lead := runeLen(n.Value) - runeLen(strings.TrimLeft(n.Value, " \t"))
	if strings.HasPrefix(s, "${{") && !strings.Contains(s, "}}") {
		c.errorf(c.offsetPos(n, lead), "", "${{ 没有对应的 }}", "${{ is not closed with }}")
		return nil
	}
	if strings.HasPrefix(s, "${{") && strings.HasSuffix(s, "}}") && strings.Count(s, "${{") == 1 {
		inner := s[3 : len(s)-2]
		if strings.TrimSpace(inner) == "" {
			c.errorf(c.offsetPos(n, lead), "", "${{ }} 里是空的", "empty expression in ${{ }}")
			return nil
		}
		innerLead := runeLen(inner) - runeLen(strings.TrimLeft(inner, " \t"))
		return c.compileExpr(strings.TrimSpace(inner), c.offsetPos(n, lead+3+innerLead), at)
	}
	if strings.Contains(s, "${{") {
		c.errorf(c.pos(n), "", "这里整个值就是表达式，不需要 ${{ }}", "the whole value is an expression here; drop the ${{ }}")
		return nil
	}
	if s == "" {
		c.errorf(c.pos(n), "", "表达式是空的", "empty expression")
		return nil
	}
	return c.compileExpr(s, c.offsetPos(n, lead), at)
}

// looksLikeExpression catches a reference written without ${{ }}, which
// would otherwise be sent as the literal text "steps.login.token".
var looksLikeExpression = regexp.MustCompile(`^(steps|inputs|secrets|body|headers)\.[A-Za-z_][A-Za-z0-9_.]*$`)

var yamlLine = regexp.MustCompile(`line (\d+)`)

func yamlErrorLine(err error) int {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 1
}

// maxExpandedNodes bounds a document after YAML aliases are expanded, so a
// few lines of anchors cannot make the loader walk millions of nodes.
const maxExpandedNodes = 100000

// checkAliases refuses aliases that contain themselves and documents that
// grow too large when aliases are expanded; the loader walks expanded trees.
func (c *compiler) checkAliases(root *yaml.Node) bool {
	sizes := map[*yaml.Node]int{}
	onPath := map[*yaml.Node]bool{}
	ok := true
	var size func(n *yaml.Node) int
	size = func(n *yaml.Node) int {
		if n.Kind == yaml.AliasNode {
			if onPath[n.Alias] {
				c.errorf(c.pos(n), "", "YAML 别名 *%s 引用了包含它自己的内容", "YAML alias *%s refers to something that contains it", n.Value, n.Value)
				ok = false
				return 1
			}
			return size(n.Alias)
		}
		if s, done := sizes[n]; done {
			return s
		}
		onPath[n] = true
		total := 1
		for _, child := range n.Content {
			total += size(child)
			if total > maxExpandedNodes {
				break
			}
		}
		delete(onPath, n)
		sizes[n] = total
		return total
	}
	if size(root) > maxExpandedNodes {
		c.errorf(c.pos(root), "", "文件展开 YAML 别名后太大（超过 %d 个节点）", "the file is too large once YAML aliases are expanded (over %d nodes)", maxExpandedNodes, maxExpandedNodes)
		return false
	}
	return ok
}
