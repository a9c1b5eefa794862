package workflows

import (
	"strings"
)

func stepIndex(steps []*Step) map[string]*Step {
	m := make(map[string]*Step, len(steps))
	for _, st := range steps {
		m[st.ID] = st
	}
	return m
}

func stepNames(m map[string]*Step) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	return names
}

// checkInputRefs allows a default to use only the inputs declared before it,
// so defaults can be filled in order.
func (c *compiler) checkInputRefs(def *Definition, exprs map[*Input][]*Expr) {
	for i, in := range def.Inputs {
		for _, x := range exprs[in] {
			for _, r := range x.refs {
				if r.kind != refInput {
					continue
				}
				target := def.Input(r.name)
				in.defaultUses = append(in.defaultUses, r.name)
				if target == nil {
					c.unknownInput(def, r)
					continue
				}
				earlier := false
				for _, prev := range def.Inputs[:i] {
					earlier = earlier || prev == target
				}
				if !earlier {
					c.errorf(r.pos, "", "输入 %s 的默认值只能引用排在它前面的输入，%s 在它后面", "the default of input %s may only use inputs declared before it; %s comes later", in.Name, r.name, in.Name, r.name)
				}
			}
		}
	}
}

func (c *compiler) unknownInput(def *Definition, r ref) {
	names := make([]string, len(def.Inputs))
	for i, in := range def.Inputs {
		names[i] = in.Name
	}
	c.errorf(r.pos, suggest(r.name, names), "未知的输入 inputs.%s", "unknown input inputs.%s", r.name, r.name)
}

// checkGraph checks the references of a group of steps (the main steps or
// finally), adds the implicit dependencies and reports cycles. visible are
// steps of an earlier group that may be read but are already done.
func (c *compiler) checkGraph(def *Definition, steps, visible []*Step) {
	group := stepIndex(steps)
	all := stepIndex(visible)
	for id, st := range group {
		all[id] = st
	}
	for _, st := range steps {
		deps := map[string]bool{}
		for _, n := range st.Needs {
			if _, ok := group[n]; !ok {
				c.errorf(st.Pos, suggest(n, stepNames(group)), "步骤 %s 的 needs 中的步骤 %q 不存在", "step %s needs %q, which does not exist", st.ID, n, st.ID, n)
				continue
			}
			if n == st.ID {
				c.errorf(st.Pos, "", "步骤 %s 不能依赖自己", "step %s cannot need itself", st.ID, st.ID)
				continue
			}
			deps[n] = true
		}
		for _, id := range c.checkRefs(def, st.exprs, all, st) {
			if _, ok := group[id]; ok {
				deps[id] = true
			}
		}
		for _, n := range st.Needs {
			if deps[n] {
				st.Deps = append(st.Deps, n)
				delete(deps, n)
			}
		}
		for _, other := range steps {
			if deps[other.ID] {
				st.Deps = append(st.Deps, other.ID)
			}
		}
	}
	c.checkCycles(steps, group)
}

// checkRefs checks inputs.x, steps.x and steps.x.y references and returns the
// steps referred to.
func (c *compiler) checkRefs(def *Definition, exprs []*Expr, steps map[string]*Step, self *Step) []string {
	var used []string
	for _, x := range exprs {
		for _, r := range x.refs {
			if r.kind == refInput {
				if def.Input(r.name) == nil {
					c.unknownInput(def, r)
				}
				continue
			}
			if steps == nil {
				c.errorf(r.pos, "", "这里不能引用步骤的捕获值", "step captures cannot be used here")
				continue
			}
			target, ok := steps[r.name]
			if r.kind == refCapture && (!ok || target == self) {
				// reported once, for the steps.x part
				continue
			}
			if !ok {
				c.errorf(r.pos, suggest(r.name, stepNames(steps)), "未知的步骤 steps.%s", "unknown step steps.%s", r.name, r.name)
				continue
			}
			if target == self {
				c.errorf(r.pos, "", "步骤 %s 不能引用自己的捕获值；这里直接用 body、status、headers", "step %s cannot refer to its own captures; use body, status and headers here", r.name, r.name)
				continue
			}
			used = append(used, r.name)
			if r.kind == refCapture {
				captures := target.Captures()
				if !contains(captures, r.sub) {
					c.errorf(r.pos, suggest(r.sub, captures), "步骤 %s 没有捕获 %s（它捕获的是：%s）", "step %s does not capture %s (it captures: %s)", r.name, r.sub, listOrNone(captures, "zh"), r.name, r.sub, listOrNone(captures, "en"))
				}
			}
		}
	}
	return used
}

func listOrNone(names []string, lang string) string {
	if len(names) == 0 {
		if lang == "en" {
			return "nothing"
		}
		return "无"
	}
	return strings.Join(names, ", ")
}

// checkCycles reports each dependency cycle once, naming its steps.
func (c *compiler) checkCycles(steps []*Step, group map[string]*Step) {
	const (
		unvisited = iota
		visiting
		done
	)
	state := map[string]int{}
	var stack []string
	var visit func(id string)
	visit = func(id string) {
		state[id] = visiting
		stack = append(stack, id)
		for _, d := range group[id].Deps {
			switch state[d] {
			case visiting:
				start := 0
				for i, s := range stack {
					if s == d {
						start = i
					}
				}
				cycle := append(append([]string(nil), stack[start:]...), d)
				chain := strings.Join(cycle, " → ")
				c.errorf(group[d].Pos, "", "步骤之间有循环依赖：%s", "steps depend on each other in a cycle: %s", chain, chain)
			case unvisited:
				visit(d)
			}
		}
		stack = stack[:len(stack)-1]
		state[id] = done
	}
	for _, st := range steps {
		if state[st.ID] == unvisited {
			visit(st.ID)
		}
	}
}
