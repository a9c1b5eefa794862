package workflows

import (
	"strconv"
	"strings"
)

// judge decides what a response means: a known business answer, a refusal,
// an unmet expectation, a poll still pending, or success with its captures.
func (r *run) judge(f *frame, st *Step, sc *scope, resp *response) (caps map[string]any, fail *Failure, pending bool) {
	svc := f.def.Service(st.Request.Service)
	accepted := false
	for _, rules := range [][]*ErrorRule{st.Errors, f.def.Errors} {
		for _, rule := range rules {
			hit, err := rule.When.test(sc)
			if err != nil {
				return nil, workflowFailure(err), false
			}
			if !hit {
				continue
			}
			if rule.Class == ClassSuccess {
				accepted = true
				break
			}
			return nil, r.ruleFailure(rule, svc, sc, resp), false
		}
		if accepted {
			break
		}
	}
	if !accepted {
		if fail := r.checkStatus(st, svc, sc, resp); fail != nil {
			return nil, fail, false
		}
		if svc != nil && svc.Success != nil {
			ok, err := svc.Success.test(sc)
			if err != nil {
				return nil, workflowFailure(err), false
			}
			if !ok {
				return nil, r.refusal(svc, sc, resp, textf("服务 %s 拒绝了请求", "service %s refused the request", svc.Name, svc.Name)), false
			}
		}
		if p := st.Poll; p != nil {
			if p.FailIf != nil {
				failed, err := p.FailIf.test(sc)
				if err != nil {
					return nil, workflowFailure(err), false
				}
				if failed {
					return nil, r.refusal(svc, sc, resp, textf("等待中的业务失败了（%s）", "the awaited operation failed (%s)", p.FailIf.Source, p.FailIf.Source)), false
				}
			}
			done, err := p.Until.test(sc)
			if err != nil {
				return nil, workflowFailure(err), false
			}
			if !done {
				return nil, nil, true
			}
		}
		for _, x := range st.Expect {
			if x.Expr == nil {
				continue
			}
			ok, err := x.Expr.test(sc)
			if err != nil {
				return nil, workflowFailure(err), false
			}
			if !ok {
				return nil, expectationFailure(x, sc, resp), false
			}
		}
	}
	caps, fail = r.captures(st, sc)
	if fail != nil {
		fail.HTTPStatus = resp.status
	}
	return caps, fail, false
}

func expectationFailure(x *Expectation, sc *scope, resp *response) *Failure {
	msg := textf("期望 %s 不成立", "expected %s", x.Expr.Source, x.Expr.Source)
	if !x.Message.IsZero() {
		msg = Text{Zh: x.Message.In("zh") + "（" + msg.Zh + "）", En: x.Message.In("en") + " (" + msg.En + ")"}
	}
	if x.Expr.seen != nil {
		if seen, err := (&Expr{program: x.Expr.seen, Source: x.Expr.seenSource}).eval(sc); err == nil {
			msg.Zh += "，实际 " + x.Expr.seenSource + " = " + describe(seen)
			msg.En += ", but " + x.Expr.seenSource + " = " + describe(seen)
		}
	}
	pos := x.Pos
	return &Failure{Class: ClassAssertionFailed, Message: msg, Hint: defaultHint(ClassAssertionFailed), HTTPStatus: resp.status, Pos: &pos}
}

// checkStatus accepts the statuses an expectation names, or any 2xx.
func (r *run) checkStatus(st *Step, svc *ServiceSpec, sc *scope, resp *response) *Failure {
	var allowed []int
	for _, x := range st.Expect {
		allowed = append(allowed, x.Statuses...)
	}
	if len(allowed) == 0 {
		if resp.status >= 200 && resp.status < 300 {
			return nil
		}
	}
	for _, s := range allowed {
		if s == resp.status {
			return nil
		}
	}
	if resp.status >= 200 && resp.status < 300 {
		return &Failure{Class: ClassAssertionFailed, HTTPStatus: resp.status, Hint: defaultHint(ClassAssertionFailed),
			Message: textf("期望 HTTP 状态码 %s，实际为 %d", "expected HTTP status %s, got %d", joinInts(allowed), resp.status, joinInts(allowed), resp.status)}
	}
	switch resp.status {
	case 408, 429, 502, 503, 504:
		return &Failure{Class: ClassEnvUnavailable, Retryable: true, HTTPStatus: resp.status,
			Message: textf("服务 %s 暂时不可用（HTTP %d）", "service %s is unavailable (HTTP %d)", st.Request.Service, resp.status, st.Request.Service, resp.status),
			Hint:    defaultHint(ClassEnvUnavailable)}
	}
	return r.refusal(svc, sc, resp, textf("服务 %s 返回 HTTP %d", "service %s answered HTTP %d", st.Request.Service, resp.status, st.Request.Service, resp.status))
}

// refusal is a business refusal carrying the product's own message, unless
// that message says the environment is clearing or down.
func (r *run) refusal(svc *ServiceSpec, sc *scope, resp *response, what Text) *Failure {
	product := productMessage(svc, sc, resp)
	msg := what
	if product != "" {
		msg = Text{Zh: what.Zh + "：" + product, En: what.En + ": " + product}
	}
	class := ClassBusinessRejected
	for _, p := range r.e.envPatterns {
		if product != "" && strings.Contains(product, p) {
			class = ClassEnvUnavailable
		}
	}
	return &Failure{Class: class, Retryable: retryableClass(class), Message: msg, Hint: defaultHint(class), HTTPStatus: resp.status}
}

func (r *run) ruleFailure(rule *ErrorRule, svc *ServiceSpec, sc *scope, resp *response) *Failure {
	msg := productMessage(svc, sc, resp)
	if rule.Message != nil {
		if v, err := rule.Message.eval(sc); err == nil {
			msg = stringify(v)
		}
	}
	if msg == "" {
		msg = "命中错误规则 " + rule.When.Source
	}
	hint := rule.Hint
	if hint.IsZero() {
		hint = defaultHint(rule.Class)
	}
	pos := rule.Pos
	return &Failure{Class: rule.Class, Retryable: retryableClass(rule.Class), Message: Text{Zh: msg, En: msg}, Hint: hint, HTTPStatus: resp.status, Pos: &pos}
}

// messageKeys are where back offices usually put their message.
var messageKeys = []string{"message", "msg", "errorMessage", "error_msg", "errmsg", "error", "reason"}

// productMessage is the product's own words about a response.
func productMessage(svc *ServiceSpec, sc *scope, resp *response) string {
	if svc != nil && svc.Message != nil {
		if v, err := svc.Message.eval(sc); err == nil && v != nil {
			return stringify(v)
		}
	}
	if m, ok := resp.body.(map[string]any); ok {
		for _, k := range messageKeys {
			if s, ok := m[k].(string); ok && s != "" {
				return s
			}
		}
		return ""
	}
	if s, ok := resp.body.(string); ok {
		return describeText(s)
	}
	return ""
}

func joinInts(list []int) string {
	parts := make([]string, len(list))
	for i, n := range list {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, "/")
}

func describeText(s string) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > 200 {
		return string(r[:200]) + "…"
	}
	return s
}
