package workflows

import (
	"path"
	"strings"

	"go.yaml.in/yaml/v3"
)

var stepKeys = []string{"id", "title", "needs", "when", "for_each", "concurrency", "request", "uses", "with", "expect", "capture", "retry", "poll", "errors"}

var requestKeys = []string{"service", "method", "path", "query", "headers", "json", "form", "body", "timeout"}

var methods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}

func (s *session) steps(c *compiler, n *yaml.Node, def *Definition) []*Step {
	n = resolve(n)
	if n.Kind != yaml.SequenceNode {
		c.errorf(c.pos(n), "", "steps 应当是列表，每项以 - id: 开头", "steps must be a list, each item starting with - id:")
		return nil
	}
	seen := map[string]bool{}
	for _, st := range def.Steps {
		seen[st.ID] = true
	}
	var out []*Step
	for _, item := range n.Content {
		st := s.step(c, resolve(item), def)
		if st == nil {
			continue
		}
		if seen[st.ID] {
			c.errorf(st.Pos, "", "步骤 id %q 重复", "duplicate step id %q", st.ID, st.ID)
			continue
		}
		seen[st.ID] = true
		out = append(out, st)
	}
	return out
}

func (s *session) step(c *compiler, n *yaml.Node, def *Definition) *Step {
	if n.Kind != yaml.MappingNode {
		c.errorf(c.pos(n), "", "每个步骤应当是一个映射，以 id: 开头", "each step must be a mapping starting with id:")
		return nil
	}
	f := c.fields(n, Text{"步骤", "step"}, stepKeys...)
	st := &Step{Pos: c.pos(n), Concurrency: 1}
	e, ok := f["id"]
	if !ok {
		c.errorf(c.pos(n), "", "步骤缺少 id", "step without id")
		return nil
	}
	st.ID = c.str(e.val, Text{"id", "id"})
	st.Pos = c.pos(e.val)
	if !idPattern.MatchString(st.ID) {
		c.errorf(c.pos(e.val), "", "步骤 id %q 只能用字母、数字和下划线，且不能以数字开头", "step id %q may only use letters, digits and _, not starting with a digit", st.ID, st.ID)
	}
	base := varsStep
	if _, loop := f["for_each"]; loop {
		base |= varItem
	}
	stepSite := site{vars: base, sink: &st.exprs, where: "request"}
	respSite := site{vars: base | varResponse, sink: &st.exprs, where: "expect/capture/poll"}
	if e, ok := f["title"]; ok {
		st.Title = c.text(e.val, Text{"title", "title"})
	}
	if e, ok := f["needs"]; ok {
		st.Needs = c.stringList(e.val, Text{"needs", "needs"})
	}
	if e, ok := f["when"]; ok {
		st.When = c.condition(e.val, site{vars: varsStep, sink: &st.exprs, where: "when"})
	}
	if e, ok := f["for_each"]; ok {
		st.ForEach = c.condition(e.val, site{vars: varsStep, sink: &st.exprs, where: "for_each"})
	}
	if e, ok := f["concurrency"]; ok {
		if _, loop := f["for_each"]; !loop {
			c.errorf(c.pos(e.key), "", "concurrency 只能和 for_each 一起用", "concurrency only goes with for_each")
		}
		if v, ok := c.integer(e.val, Text{"concurrency", "concurrency"}); ok {
			if v < 1 {
				c.errorf(c.pos(e.val), "", "concurrency 至少为 1", "concurrency must be at least 1")
			} else {
				st.Concurrency = v
			}
		}
	}
	_, hasRequest := f["request"]
	if e, ok := f["request"]; ok {
		st.Request = c.request(e.val, def, stepSite)
	}
	if e, ok := f["uses"]; ok {
		if hasRequest {
			c.errorf(c.pos(e.key), "", "一个步骤不能同时有 request 和 uses", "a step cannot have both request and uses")
		}
		st.Uses = c.str(e.val, Text{"uses", "uses"})
		st.Fragment = s.fragment(c, st.Uses, c.pos(e.val), def)
	}
	if e, ok := f["with"]; ok {
		if st.Uses == "" {
			c.errorf(c.pos(e.key), "", "with 只能和 uses 一起用", "with only goes with uses")
		}
		for _, w := range c.entries(e.val, Text{"with", "with"}) {
			st.With = append(st.With, &Field{Name: w.key.Value, Pos: c.pos(w.key), Value: c.value(w.val, stepSite)})
		}
	}
	if st.Fragment != nil {
		c.checkWith(st)
	}
	for _, key := range []string{"expect", "retry", "poll"} {
		if e, ok := f[key]; ok && !hasRequest {
			c.errorf(c.pos(e.key), "", "%s 只能用于有 request 的步骤", "%s only goes with a request", key, key)
		}
	}
	if e, ok := f["expect"]; ok {
		st.Expect = c.expectations(e.val, respSite)
	}
	if e, ok := f["capture"]; ok {
		if st.Uses != "" {
			c.errorf(c.pos(e.key), "", "uses 步骤的捕获值就是片段的 outputs，不能再写 capture", "a uses step captures the fragment's outputs; it cannot have capture")
		}
		at := respSite
		if !hasRequest {
			at = stepSite
			at.where = "capture"
		}
		for _, ce := range c.entries(e.val, Text{"capture", "capture"}) {
			if !idPattern.MatchString(ce.key.Value) {
				c.errorf(c.pos(ce.key), "", "捕获名 %q 只能用字母、数字和下划线", "capture name %q may only use letters, digits and _", ce.key.Value, ce.key.Value)
			}
			x := c.condition(ce.val, at)
			st.Capture = append(st.Capture, &Field{Name: ce.key.Value, Pos: c.pos(ce.key), Value: &Value{Pos: c.pos(ce.val), kind: valueExpr, expr: x}})
		}
	}
	if e, ok := f["retry"]; ok {
		st.Retry = c.retry(e.val)
	}
	if e, ok := f["poll"]; ok {
		st.Poll = c.poll(e.val, respSite)
	}
	if e, ok := f["errors"]; ok {
		st.Errors = c.errorRules(e.val, respSite)
	}
	return st
}

func (c *compiler) request(n *yaml.Node, def *Definition, at site) *Request {
	f := c.fields(n, Text{"request", "request"}, requestKeys...)
	r := &Request{Pos: c.pos(n)}
	if e, ok := f["service"]; ok {
		r.Service = c.str(e.val, Text{"service", "service"})
		if def.Service(r.Service) == nil {
			var names []string
			for _, s := range def.Services {
				names = append(names, s.Name)
			}
			c.errorf(c.pos(e.val), suggest(r.Service, names), "服务 %q 没有在 services 中声明", "service %q is not declared in services", r.Service, r.Service)
		}
	} else {
		c.errorf(c.pos(n), "", "request 缺少 service", "request without service")
	}
	if e, ok := f["path"]; ok {
		r.Path = c.value(e.val, at)
	} else {
		c.errorf(c.pos(n), "", "request 缺少 path", "request without path")
	}
	bodies := 0
	for _, key := range []string{"json", "form", "body"} {
		if _, ok := f[key]; ok {
			bodies++
			if bodies == 2 {
				c.errorf(c.pos(f[key].key), "", "json、form、body 只能选一个", "use only one of json, form and body")
			}
		}
	}
	r.Method = "GET"
	if bodies > 0 {
		r.Method = "POST"
	}
	if e, ok := f["method"]; ok {
		m := strings.ToUpper(c.str(e.val, Text{"method", "method"}))
		if !contains(methods, m) {
			c.errorf(c.pos(e.val), suggest(m, methods), "未知的 HTTP 方法 %q", "unknown HTTP method %q", m, m)
		}
		r.Method = m
	}
	r.Query = c.fieldList(f, "query", at)
	r.Headers = c.fieldList(f, "headers", at)
	r.Form = c.fieldList(f, "form", at)
	if e, ok := f["json"]; ok {
		r.JSON = c.value(e.val, at)
	}
	if e, ok := f["body"]; ok {
		r.Body = c.value(e.val, at)
	}
	if e, ok := f["timeout"]; ok {
		r.Timeout = c.duration(e.val, Text{"timeout", "timeout"})
	}
	return r
}

func (c *compiler) fieldList(f map[string]entry, key string, at site) []*Field {
	e, ok := f[key]
	if !ok {
		return nil
	}
	var out []*Field
	for _, x := range c.entries(e.val, Text{key, key}) {
		out = append(out, &Field{Name: x.key.Value, Pos: c.pos(x.key), Value: c.value(x.val, at)})
	}
	return out
}

func (c *compiler) expectations(n *yaml.Node, at site) []*Expectation {
	n = resolve(n)
	items := n.Content
	if n.Kind != yaml.SequenceNode {
		// a single expectation may stand without a list
		items = []*yaml.Node{n}
	}
	var out []*Expectation
	for _, item := range items {
		item = resolve(item)
		x := &Expectation{Pos: c.pos(item)}
		if item.Kind != yaml.MappingNode {
			x.Expr = c.condition(item, at)
			out = append(out, x)
			continue
		}
		f := c.fields(item, Text{"expect 项", "expectation"}, "that", "status", "message")
		if e, ok := f["that"]; ok {
			x.Expr = c.condition(e.val, at)
		}
		if e, ok := f["status"]; ok {
			x.Statuses = c.statuses(e.val)
		}
		if _, that := f["that"]; that == (f["status"].val != nil) {
			c.errorf(c.pos(item), "", "expect 项要写 that（表达式）或 status 中的一个", "an expectation has either that (an expression) or status")
		}
		if e, ok := f["message"]; ok {
			x.Message = c.text(e.val, Text{"message", "message"})
		}
		out = append(out, x)
	}
	return out
}

func (c *compiler) statuses(n *yaml.Node) []int {
	n = resolve(n)
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	var out []int
	for _, item := range items {
		if v, ok := c.integer(item, Text{"status", "status"}); ok {
			if v < 100 || v > 599 {
				c.errorf(c.pos(item), "", "HTTP 状态码 %d 不存在", "HTTP status %d does not exist", v, v)
			}
			out = append(out, v)
		}
	}
	return out
}

func (c *compiler) retry(n *yaml.Node) *Retry {
	f := c.fields(n, Text{"retry", "retry"}, "attempts", "backoff", "max_backoff", "on")
	r := &Retry{Attempts: 3, Backoff: defaultBackoff, MaxBackoff: defaultMaxBackoff, On: []Class{ClassEnvUnavailable}}
	if e, ok := f["attempts"]; ok {
		if v, ok := c.integer(e.val, Text{"attempts", "attempts"}); ok {
			if v < 1 {
				c.errorf(c.pos(e.val), "", "attempts 至少为 1", "attempts must be at least 1")
			}
			r.Attempts = v
		}
	}
	if e, ok := f["backoff"]; ok {
		r.Backoff = c.duration(e.val, Text{"backoff", "backoff"})
	}
	if e, ok := f["max_backoff"]; ok {
		r.MaxBackoff = c.duration(e.val, Text{"max_backoff", "max_backoff"})
	}
	if e, ok := f["on"]; ok {
		r.On = nil
		n := resolve(e.val)
		items := []*yaml.Node{n}
		if n.Kind == yaml.SequenceNode {
			items = n.Content
		}
		for _, item := range items {
			if cl := c.class(item, false); cl != "" {
				r.On = append(r.On, cl)
			}
		}
	}
	return r
}

func (c *compiler) poll(n *yaml.Node, at site) *Poll {
	f := c.fields(n, Text{"poll", "poll"}, "until", "fail_if", "every", "timeout", "message", "on_timeout")
	p := &Poll{Every: defaultPollEvery, Timeout: defaultPollTimeout, OnTimeout: ClassEnvUnavailable}
	if e, ok := f["until"]; ok {
		p.Until = c.condition(e.val, at)
	} else {
		c.errorf(c.pos(n), "", "poll 缺少 until", "poll without until")
	}
	if e, ok := f["fail_if"]; ok {
		p.FailIf = c.condition(e.val, at)
	}
	if e, ok := f["every"]; ok {
		p.Every = c.duration(e.val, Text{"every", "every"})
	}
	if e, ok := f["timeout"]; ok {
		p.Timeout = c.duration(e.val, Text{"timeout", "timeout"})
	}
	if e, ok := f["message"]; ok {
		p.Message = c.text(e.val, Text{"message", "message"})
	}
	if e, ok := f["on_timeout"]; ok {
		p.OnTimeout = c.class(e.val, false)
	}
	return p
}

// fragment loads the fragment a step uses, once per load.
func (s *session) fragment(c *compiler, uses string, pos Pos, def *Definition) *Definition {
	if uses == "" {
		return nil
	}
	clean := path.Clean(uses)
	if path.IsAbs(clean) || strings.HasPrefix(clean, "..") || clean != uses {
		c.errorf(pos, "", "uses 应当是相对于工作流目录的路径，例如 custody/sign-main，而不是 %q", "uses must be a path under the workflow directory like custody/sign-main, not %q", uses, uses)
		return nil
	}
	if s.loading[uses] {
		chain := append(append([]string(nil), s.chain...), uses)
		c.errorf(pos, "", "片段互相引用成环：%s", "fragments use each other in a cycle: %s", strings.Join(chain, " → "), strings.Join(chain, " → "))
		return nil
	}
	if fr, ok := s.fragments[uses]; ok {
		if fr != nil {
			s.adopt(def, uses, fr)
		}
		// a broken fragment is reported once, however many steps use it
		return fr
	}
	files := s.loader.files
	file := ""
	for _, ext := range []string{".yaml", ".yml"} {
		if candidate := files.join(c.root, uses+ext); files.exists(candidate) {
			file = candidate
			break
		}
	}
	if file == "" {
		c.errorf(pos, suggest(uses, s.knownFragments(c.root)), "找不到片段 %q（在 %s 下找 %s.yaml）", "fragment %q not found (looked for %s.yaml under %s)", uses, c.root, uses, uses, uses, c.root)
		return nil
	}
	data, err := files.read(file)
	if err != nil {
		c.errorf(pos, "", "无法读取片段 %q：%v", "cannot read fragment %q: %v", uses, err, uses, err)
		return nil
	}
	s.loading[uses] = true
	s.chain = append(s.chain, uses)
	fr := s.parse(file, data)
	s.chain = s.chain[:len(s.chain)-1]
	delete(s.loading, uses)
	if fr != nil && fr.Kind != KindFragment {
		c.errorf(pos, "", "%q 不是片段（片段文件要写 kind: fragment）", "%q is not a fragment (a fragment file says kind: fragment)", uses, uses)
		fr = nil
	}
	if fr == nil {
		s.fragments[uses] = nil
		return nil
	}
	s.fragments[uses] = fr
	s.adopt(def, uses, fr)
	return fr
}

// adopt records a used fragment, and the fragments it uses, in def.
func (s *session) adopt(def *Definition, uses string, fr *Definition) {
	def.Fragments[uses] = fr
	for p, inner := range fr.Fragments {
		def.Fragments[p] = inner
	}
}

// knownFragments are the uses: paths of the YAML files under root, to
// suggest one when a uses: path is not found.
func (s *session) knownFragments(root string) []string {
	var out []string
	files := s.loader.files
	_ = files.walk(root, func(name string) {
		if rel, ok := files.rel(root, name); ok {
			out = append(out, strings.TrimSuffix(rel, path.Ext(rel)))
		}
	})
	return out
}

func (c *compiler) checkWith(st *Step) {
	fr := st.Fragment
	given := map[string]bool{}
	var names []string
	for _, in := range fr.Inputs {
		names = append(names, in.Name)
	}
	for _, w := range st.With {
		given[w.Name] = true
		if fr.Input(w.Name) == nil {
			c.errorf(w.Pos, suggest(w.Name, names), "片段 %s 没有输入 %q", "fragment %s has no input %q", st.Uses, w.Name, st.Uses, w.Name)
		}
	}
	for _, in := range fr.Inputs {
		if in.Required && in.Default == nil && !given[in.Name] {
			c.errorf(st.Pos, "", "片段 %s 的必填输入 %s 没有在 with 中给出", "required input %s of fragment %s is not given in with", st.Uses, in.Name, in.Name, st.Uses)
		}
	}
}
