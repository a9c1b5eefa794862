package workflows

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"
)

// backOffice is a local HTTP server standing in for a product's APIs; it
// remembers every call.
type backOffice struct {
	*httptest.Server
	mu       sync.Mutex
	calls    []*http.Request
	bodies   []string
	inFlight atomic.Int32
	maxSeen  atomic.Int32
}

func newBackOffice(t *testing.T, routes map[string]http.HandlerFunc) *backOffice {
	t.Helper()
	b := &backOffice{}
	mux := http.NewServeMux()
	for pattern, h := range routes {
		mux.HandleFunc(pattern, h)
	}
	b.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := b.inFlight.Add(1)
		defer b.inFlight.Add(-1)
		for {
			m := b.maxSeen.Load()
			if n <= m || b.maxSeen.CompareAndSwap(m, n) {
				break
			}
		}
		var body strings.Builder
		if r.Body != nil {
			buf := make([]byte, 4096)
			for {
				k, err := r.Body.Read(buf)
				body.Write(buf[:k])
				if err != nil {
					break
				}
			}
		}
		b.mu.Lock()
		b.calls = append(b.calls, r)
		b.bodies = append(b.bodies, body.String())
		b.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(b.Close)
	return b
}

func (b *backOffice) count(path string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, c := range b.calls {
		if c.URL.Path == path {
			n++
		}
	}
	return n
}

func (b *backOffice) order() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]string, len(b.calls))
	for i, c := range b.calls {
		out[i] = c.URL.Path
	}
	return out
}

func (b *backOffice) env() *Environment {
	return &Environment{Name: "test", Services: map[string]Service{"account": {BaseURL: b.URL}}, Secrets: map[string]string{"operator_password": "s3cr3t-pw"}}
}

func reply(status int, body any) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(body)
	}
}

func mustLoad(t *testing.T, src string) *Definition {
	t.Helper()
	def, diags := Load("test.yaml", []byte(src))
	if len(diags) > 0 {
		t.Fatalf("load: %s", diags.Format("en"))
	}
	return def
}

func runFlow(t *testing.T, e *Engine, def *Definition, env *Environment, inputs map[string]any) (Result, *MemoryRecorder) {
	t.Helper()
	rec := &MemoryRecorder{}
	if inputs == nil {
		inputs = map[string]any{}
	}
	res := e.Run(context.Background(), RunSpec{RunID: "r1", Definition: def, Inputs: inputs, Environment: env, Seed: 7, Recorder: rec})
	return res, rec
}

const accountFlow = `name: account
services:
  account: {success: "body.code == '0'", message: body.msg}
inputs:
  name: {type: string, required: true}
steps:
  - id: login
    request:
      service: account
      method: POST
      path: /login
      json: {operator: op1, password: "${{ secret('operator_password') }}"}
    capture: {token: body.data.token}
  - id: create_customer
    request:
      service: account
      method: POST
      path: /customers
      headers: {Authorization: "Bearer ${{ steps.login.token }}"}
      json: {name: "${{ inputs.name }}"}
    expect:
      - {status: 201}
      - that: body.data.code startsWith 'C'
        message: {zh: 客户代码应以 C 开头, en: customer codes start with C}
    capture: {code: body.data.code}
  - id: capital
    request: {service: account, method: POST, path: "/customers/${{ steps.create_customer.code }}/capital"}
    capture: {account: body.data.account}
  - id: stock
    request: {service: account, method: POST, path: "/customers/${{ steps.create_customer.code }}/stock"}
    capture: {sh: body.data.sh}
outputs:
  customer: "${{ steps.create_customer.code }}"
  accounts: ["${{ steps.capital.account }}", "${{ steps.stock.sh }}"]
  summary: "${{ inputs.name }}: ${{ steps.create_customer.code }}"
`

func accountRoutes() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"POST /login":                   reply(200, map[string]any{"code": "0", "data": map[string]any{"token": "tok-123"}}),
		"POST /customers":               reply(201, map[string]any{"code": "0", "data": map[string]any{"code": "C0001"}}),
		"POST /customers/C0001/capital": reply(200, map[string]any{"code": "0", "data": map[string]any{"account": "F0001"}}),
		"POST /customers/C0001/stock":   reply(200, map[string]any{"code": "0", "data": map[string]any{"sh": "A408070359"}}),
	}
}

func TestRunBuildsAccountAndReportsOutputs(t *testing.T) {
	b := newBackOffice(t, accountRoutes())
	def := mustLoad(t, accountFlow)
	res, rec := runFlow(t, NewEngine(), def, b.env(), map[string]any{"name": "张三"})
	if res.Status != RunSucceeded {
		t.Fatalf("status %s: %v", res.Status, res.Failure)
	}
	got, _ := json.Marshal(res.Outputs)
	if want := `{"accounts":["F0001","A408070359"],"customer":"C0001","summary":"张三: C0001"}`; string(got) != want {
		t.Errorf("outputs = %s, want %s", got, want)
	}
	if n := len(rec.Records()); n != 4 {
		t.Errorf("%d records, want 4", n)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, c := range b.calls {
		if c.URL.Path != "/customers" {
			continue
		}
		if got := c.Header.Get("X-Request-Id"); got != "r1-create_customer-1" {
			t.Errorf("X-Request-Id = %q", got)
		}
		if got := c.Header.Get("Idempotency-Key"); got != "r1:create_customer:0" {
			t.Errorf("Idempotency-Key = %q", got)
		}
		if got := c.Header.Get("Authorization"); got != "Bearer tok-123" {
			t.Errorf("Authorization = %q", got)
		}
		tp := strings.Split(c.Header.Get("Traceparent"), "-")
		if len(tp) != 4 || tp[0] != "00" || len(tp[1]) != 32 || len(tp[2]) != 16 || tp[3] != "01" {
			t.Errorf("traceparent = %q", c.Header.Get("Traceparent"))
		}
	}
}

func TestDAGOrderAndParallelism(t *testing.T) {
	slow := func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(80 * time.Millisecond)
		reply(200, map[string]any{"ok": true})(w, r)
	}
	src := `name: dag
services: [account]
steps:
  - id: a
    request: {service: account, path: /a}
  - id: b
    request: {service: account, path: /b}
  - id: c
    request: {service: account, path: /c}
  - id: d
    needs: [a, b, c]
    request: {service: account, path: /d}
`
	for _, tc := range []struct {
		parallel int
		want     int32
	}{{5, 3}, {2, 2}} {
		b := newBackOffice(t, map[string]http.HandlerFunc{"/a": slow, "/b": slow, "/c": slow, "/d": slow})
		res, _ := runFlow(t, NewEngine(WithMaxParallel(tc.parallel)), mustLoad(t, src), b.env(), nil)
		if res.Status != RunSucceeded {
			t.Fatalf("status %s: %v", res.Status, res.Failure)
		}
		if got := b.maxSeen.Load(); got != tc.want {
			t.Errorf("max parallel %d: %d requests at once, want %d", tc.parallel, got, tc.want)
		}
		if order := b.order(); order[3] != "/d" {
			t.Errorf("d ran before its needs: %v", order)
		}
	}
}

func TestRetryOnlyRetryableClasses(t *testing.T) {
	var calls atomic.Int32
	flaky := func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 2 {
			reply(503, map[string]any{"msg": "upstream down"})(w, r)
			return
		}
		reply(200, map[string]any{"id": "x"})(w, r)
	}
	b := newBackOffice(t, map[string]http.HandlerFunc{"/flaky": flaky, "/refuse": reply(400, map[string]any{"msg": "系统不允许同一证件开多个客户代码"})})
	src := `name: retry
services: [account]
steps:
  - id: flaky
    request: {service: account, path: /flaky}
    retry: {attempts: 3, backoff: 1ms}
  - id: refuse
    needs: [flaky]
    request: {service: account, path: /refuse}
    retry: {attempts: 3, backoff: 1ms}
`
	res, rec := runFlow(t, NewEngine(), mustLoad(t, src), b.env(), nil)
	if b.count("/flaky") != 3 || b.count("/refuse") != 1 {
		t.Errorf("calls: flaky %d (want 3), refuse %d (want 1: business refusals are not retried)", b.count("/flaky"), b.count("/refuse"))
	}
	var attempts []string
	for _, r := range rec.Records() {
		attempts = append(attempts, fmt.Sprintf("%s#%d:%s", r.Step, r.Attempt, r.Status))
	}
	if got := strings.Join(attempts, " "); got != "flaky#1:failed flaky#2:failed flaky#3:succeeded refuse#1:failed" {
		t.Errorf("records: %s", got)
	}
	if !errors.Is(res.Err(), ErrBusinessRejected) {
		t.Fatalf("err = %v, want business_rejected", res.Err())
	}
	f := res.Failure
	if f.Step != "refuse" || f.RequestID != "r1-refuse-1" || f.Message.Zh != "服务 account 返回 HTTP 400：系统不允许同一证件开多个客户代码" {
		t.Errorf("failure = %+v", f)
	}
}

func TestClassification(t *testing.T) {
	b := newBackOffice(t, map[string]http.HandlerFunc{
		"/clearing": reply(200, map[string]any{"code": "1814", "msg": "系统正在清算,只允许查询"}),
		"/known":    reply(200, map[string]any{"code": "E042", "msg": "风险测评已过期"}),
		"/relogin":  reply(200, map[string]any{"code": "9", "msg": "用户已登陆，不用重复登陆"}),
		"/wrong":    reply(200, map[string]any{"code": "0", "data": map[string]any{"level": "C2"}}),
		"/nothing":  reply(200, map[string]any{"code": "0", "data": map[string]any{}}),
		"/list":     reply(200, map[string]any{"code": "0", "data": "x"}),
	})
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	step := func(body string) string {
		return "name: c\nservices:\n  account: {success: \"body.code == '0'\"}\n" + body
	}
	cases := []struct {
		name, src string
		env       *Environment
		class     Class
		message   string
	}{
		{"clearing window", step("steps:\n  - id: s\n    request: {service: account, path: /clearing}\n"), nil, ClassEnvUnavailable, "service account refused the request: 系统正在清算,只允许查询"},
		{"annotated business code", step("errors:\n  - when: body.code == 'E042'\n    class: business_rejected\n    hint: {zh: 先重做风险测评, en: Redo the risk questionnaire first}\nsteps:\n  - id: s\n    request: {service: account, path: /known}\n"), nil, ClassBusinessRejected, "风险测评已过期"},
		{"expectation names the value seen", step("steps:\n  - id: s\n    request: {service: account, path: /wrong}\n    expect: [\"body.data.level == 'C3'\"]\n"), nil, ClassAssertionFailed, `expected body.data.level == 'C3', but body.data.level = "C2"`},
		{"missing capture", step("steps:\n  - id: s\n    request: {service: account, path: /nothing}\n    capture: {code: body.data.code}\n"), nil, ClassAssertionFailed, "capture code got nothing: body.data.code is null"},
		{"runtime expression error", step("steps:\n  - id: s\n    request: {service: account, path: /list}\n    capture: {n: body.data.x.y}\n"), nil, ClassWorkflowError, "test.yaml:7:18: expression body.data.x.y failed: cannot read a field of a text value"},
		{"unexpected success status", step("steps:\n  - id: s\n    request: {service: account, path: /wrong}\n    expect: [{status: 201}]\n"), nil, ClassAssertionFailed, "expected HTTP status 201, got 200"},
		{"connection refused", step("steps:\n  - id: s\n    request: {service: account, path: /x}\n"), &Environment{Services: map[string]Service{"account": {BaseURL: closedURL}}}, ClassEnvUnavailable, "cannot reach service account"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := tc.env
			if env == nil {
				env = b.env()
			}
			res, _ := runFlow(t, NewEngine(), mustLoad(t, tc.src), env, nil)
			if res.Failure == nil {
				t.Fatalf("status %s, want failure %s", res.Status, tc.class)
			}
			if res.Failure.Class != tc.class || !strings.Contains(res.Failure.Message.En, tc.message) {
				t.Errorf("failure %s %q, want %s containing %q", res.Failure.Class, res.Failure.Message.En, tc.class, tc.message)
			}
			if res.Failure.Hint.Zh == "" || res.Failure.Step != "s" {
				t.Errorf("failure lacks a hint or the step: %+v", res.Failure)
			}
		})
	}
	t.Run("annotated hint", func(t *testing.T) {
		res, _ := runFlow(t, NewEngine(), mustLoad(t, step("errors:\n  - when: body.code == 'E042'\n    class: business_rejected\n    hint: {zh: 先重做风险测评, en: Redo the risk questionnaire first}\nsteps:\n  - id: s\n    request: {service: account, path: /known}\n")), b.env(), nil)
		if res.Failure == nil || res.Failure.Hint.Zh != "先重做风险测评" {
			t.Errorf("failure = %+v", res.Failure)
		}
	})
	t.Run("a rule can accept an answer", func(t *testing.T) {
		res, _ := runFlow(t, NewEngine(), mustLoad(t, step("steps:\n  - id: s\n    request: {service: account, path: /relogin}\n    errors:\n      - {when: \"body.msg contains '已登陆'\", class: success}\n")), b.env(), nil)
		if res.Status != RunSucceeded {
			t.Errorf("status %s: %v", res.Status, res.Failure)
		}
	})
}

func TestPolling(t *testing.T) {
	var polls atomic.Int32
	status := func(final string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			s := "1"
			if polls.Add(1) >= 3 {
				s = final
			}
			reply(200, map[string]any{"data": map[string]any{"status": s, "msg": "中登返回失败"}})(w, r)
		}
	}
	src := `name: poll
services: [account]
steps:
  - id: wait
    request: {service: account, path: /csdc}
    poll: {until: "body.data.status == '2'", fail_if: "body.data.status == '3'", every: 5ms, timeout: 2s}
    capture: {status: body.data.status}
`
	for _, tc := range []struct {
		final string
		class Class
	}{{"2", ""}, {"3", ClassBusinessRejected}} {
		polls.Store(0)
		b := newBackOffice(t, map[string]http.HandlerFunc{"/csdc": status(tc.final)})
		res, rec := runFlow(t, NewEngine(), mustLoad(t, src), b.env(), nil)
		records := rec.Records()
		if len(records) != 1 || records[0].Polls != 3 || b.count("/csdc") != 3 {
			t.Errorf("final %s: %d records, %d polls recorded, %d calls; want 1, 3, 3", tc.final, len(records), records[0].Polls, b.count("/csdc"))
		}
		if tc.class == "" && res.Status != RunSucceeded {
			t.Errorf("final %s: %v", tc.final, res.Failure)
		}
		if tc.class != "" && (res.Failure == nil || res.Failure.Class != tc.class) {
			t.Errorf("final %s: failure %+v, want %s", tc.final, res.Failure, tc.class)
		}
	}
	b := newBackOffice(t, map[string]http.HandlerFunc{"/csdc": reply(200, map[string]any{"data": map[string]any{"status": "1"}})})
	slowSrc := strings.Replace(src, "timeout: 2s", "timeout: 30ms", 1)
	res, _ := runFlow(t, NewEngine(), mustLoad(t, slowSrc), b.env(), nil)
	if res.Failure == nil || res.Failure.Class != ClassEnvUnavailable || !strings.Contains(res.Failure.Message.En, "timed out after 30ms") {
		t.Errorf("poll timeout: %+v", res.Failure)
	}
}

func TestForEachAndFragments(t *testing.T) {
	var inFlight, maxSeen atomic.Int32
	b := newBackOffice(t, map[string]http.HandlerFunc{
		"POST /sign/{customer}/{type}": func(w http.ResponseWriter, r *http.Request) {
			n := inFlight.Add(1)
			defer inFlight.Add(-1)
			if n > maxSeen.Load() {
				maxSeen.Store(n)
			}
			time.Sleep(20 * time.Millisecond)
			reply(200, map[string]any{"serial": r.PathValue("customer") + "-" + r.PathValue("type")})(w, r)
		},
	})
	dir := writeFiles(t, map[string]string{
		"custody/sign.yaml": `name: custody/sign
kind: fragment
services: [account]
inputs:
  customer: {type: string, required: true}
  type: {type: string, required: true}
steps:
  - id: sign
    request: {service: account, method: POST, path: "/sign/${{ inputs.customer }}/${{ inputs.type }}"}
    capture: {serial: body.serial}
outputs:
  serial: "${{ steps.sign.serial }}"
`,
		"main.yaml": `name: main
inputs:
  agreements: {type: array, default: [chinext, star, st]}
steps:
  - id: sign_all
    for_each: inputs.agreements
    concurrency: 2
    uses: custody/sign
    with: {customer: C9, type: "${{ item }}"}
  - id: plain
    for_each: "${{ [1, 2, 3] }}"
    capture: {double: item * 2, at: index}
outputs:
  serials: "${{ steps.sign_all.serial }}"
  doubles: "${{ steps.plain.double }}"
`,
	})
	def, diags := NewLoader(dir).LoadFile(dir + "/main.yaml")
	if diags != nil {
		t.Fatal(diags)
	}
	inputs, problems := ValidateInputs(def, nil, nil)
	if problems != nil {
		t.Fatal(problems)
	}
	res, rec := runFlow(t, NewEngine(), def, b.env(), inputs)
	if res.Status != RunSucceeded {
		t.Fatalf("%v", res.Failure)
	}
	got, _ := json.Marshal(res.Outputs)
	if want := `{"doubles":[2,4,6],"serials":["C9-chinext","C9-star","C9-st"]}`; string(got) != want {
		t.Errorf("outputs %s, want %s", got, want)
	}
	if maxSeen.Load() != 2 {
		t.Errorf("concurrency 2, saw %d at once", maxSeen.Load())
	}
	keys := map[string]bool{}
	for _, r := range rec.Records() {
		keys[r.Step+"["+r.Iteration+"]"] = true
	}
	for _, k := range []string{"sign_all/sign[0]", "sign_all/sign[2]", "sign_all[1]", "plain[2]"} {
		if !keys[k] {
			t.Errorf("no record for %s in %v", k, keys)
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	seen := map[string]bool{}
	for _, c := range b.calls {
		seen[c.Header.Get("Idempotency-Key")] = true
	}
	if !seen["r1:sign_all/sign:1"] || !seen["r1:sign_all/sign:2"] {
		t.Errorf("idempotency keys %v", seen)
	}
}

func TestFinallySeesCapturesAfterFailure(t *testing.T) {
	b := newBackOffice(t, map[string]http.HandlerFunc{
		"/open":    reply(200, map[string]any{"id": "A1"}),
		"/break":   reply(400, map[string]any{"msg": "不允许"}),
		"/cleanup": reply(200, map[string]any{}),
	})
	src := `name: fin
services: [account]
steps:
  - id: open
    request: {service: account, path: /open}
    capture: {id: body.id}
  - id: broken
    needs: [open]
    request: {service: account, path: /break}
  - id: never
    needs: [broken]
    request: {service: account, path: /never}
finally:
  - id: cleanup
    request: {service: account, path: "/cleanup", query: {id: "${{ steps.open.id }}", run: "${{ run.status }}"}}
`
	res, _ := runFlow(t, NewEngine(), mustLoad(t, src), b.env(), nil)
	if res.Status != RunFailed || res.Failure.Step != "broken" {
		t.Fatalf("status %s, failure %+v", res.Status, res.Failure)
	}
	if b.count("/never") != 0 || b.count("/cleanup") != 1 {
		t.Fatalf("never %d (want 0), cleanup %d (want 1)", b.count("/never"), b.count("/cleanup"))
	}
	b.mu.Lock()
	q := b.calls[len(b.calls)-1].URL.Query()
	b.mu.Unlock()
	if q.Get("id") != "A1" || q.Get("run") != "failed" {
		t.Errorf("cleanup query = %v", q)
	}
}

func TestSecretsAreMaskedInRecordsAndEvents(t *testing.T) {
	b := newBackOffice(t, map[string]http.HandlerFunc{
		"/login": reply(200, map[string]any{"code": "0", "echo": "s3cr3t-pw", "data": map[string]any{"token": "tok-123"}}),
	})
	src := `name: mask
services: [account]
inputs:
  trade_password: {type: string, sensitive: true, default: "908172"}
steps:
  - id: login
    request:
      service: account
      method: POST
      path: /login
      headers: {Authorization: "Basic ${{ secrets.operator_password }}", X-Pw: "${{ secret('operator_password') }}"}
      json: {password: "${{ secret('operator_password') }}", trade: "${{ inputs.trade_password }}", passwd_hint: plain}
    capture: {token: body.data.token, echoed: body.echo}
`
	def := mustLoad(t, src)
	inputs, _ := ValidateInputs(def, nil, nil)
	var events []string
	var mu sync.Mutex
	rec := &MemoryRecorder{}
	res := NewEngine().Run(context.Background(), RunSpec{RunID: "m", Definition: def, Inputs: inputs, Environment: b.env(), Recorder: rec, OnEvent: func(e Event) {
		mu.Lock()
		defer mu.Unlock()
		if e.Record != nil {
			j, _ := json.Marshal(e.Record)
			events = append(events, string(j))
		}
	}})
	if res.Status != RunSucceeded {
		t.Fatal(res.Failure)
	}
	b.mu.Lock()
	sent := b.bodies[0]
	b.mu.Unlock()
	if !strings.Contains(sent, "s3cr3t-pw") {
		t.Fatalf("the real secret must reach the product: %s", sent)
	}
	all, _ := json.Marshal(rec.Records())
	text := string(all) + strings.Join(events, "")
	for _, leak := range []string{"s3cr3t-pw", "908172"} {
		if strings.Contains(text, leak) {
			t.Errorf("%q leaked into records: %s", leak, text)
		}
	}
	r := rec.Records()[0]
	if !strings.Contains(r.Request, "Authorization: ***") || !strings.Contains(r.Request, `"passwd_hint":"***"`) || r.Captures["echoed"] != "***" {
		t.Errorf("record not masked as expected:\n%s\ncaptures %v", r.Request, r.Captures)
	}
}

func TestRecordsAreTruncated(t *testing.T) {
	big := strings.Repeat("数", 5000)
	b := newBackOffice(t, map[string]http.HandlerFunc{"/big": reply(200, map[string]any{"blob": big})})
	src := "name: big\nservices: [account]\nsteps:\n  - id: s\n    request: {service: account, path: /big}\n"
	_, rec := runFlow(t, NewEngine(WithRecordLimit(1000)), mustLoad(t, src), b.env(), nil)
	r := rec.Records()[0]
	if len(r.Response) > 1100 || !strings.Contains(r.Response, "truncated") || !utf8.ValidString(r.Response) {
		t.Errorf("response not truncated: %d bytes", len(r.Response))
	}
}

func TestResumeDoesNotResendFinishedSteps(t *testing.T) {
	b := newBackOffice(t, accountRoutes())
	def := mustLoad(t, accountFlow)
	rec := &MemoryRecorder{}
	ctx, crash := context.WithCancel(context.Background())
	spec := RunSpec{RunID: "r9", Definition: def, Inputs: map[string]any{"name": "李四"}, Environment: b.env(), Recorder: rec,
		OnEvent: func(e Event) {
			if e.Kind == EventStepFinished && e.Step == "create_customer" {
				crash() // the worker dies right after create_customer is recorded
			}
		}}
	first := NewEngine().Run(ctx, spec)
	if first.Status != RunCancelled {
		t.Fatalf("first attempt: %s", first.Status)
	}
	spec.OnEvent, spec.Previous = nil, rec.Records()
	var resumed []string
	spec.OnEvent = func(e Event) {
		if e.Kind == EventStepResumed {
			resumed = append(resumed, e.Step)
		}
	}
	second := NewEngine().Run(context.Background(), spec)
	if second.Status != RunSucceeded || second.Outputs["customer"] != "C0001" {
		t.Fatalf("resumed run: %s %v %v", second.Status, second.Failure, second.Outputs)
	}
	for _, p := range []string{"/login", "/customers", "/customers/C0001/capital", "/customers/C0001/stock"} {
		if n := b.count(p); n != 1 {
			t.Errorf("%s called %d times, want exactly 1", p, n)
		}
	}
	if strings.Join(resumed, ",") != "login,create_customer" {
		t.Errorf("resumed %v", resumed)
	}
}

func TestCancelStopsPromptly(t *testing.T) {
	b := newBackOffice(t, map[string]http.HandlerFunc{"/hang": func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}})
	src := "name: hang\nservices: [account]\nsteps:\n  - id: s\n    request: {service: account, path: /hang}\n    retry: {attempts: 5, backoff: 1s}\n  - id: t\n    needs: [s]\n    request: {service: account, path: /t}\n"
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	res := NewEngine().Run(ctx, RunSpec{RunID: "c", Definition: mustLoad(t, src), Environment: b.env(), Recorder: &MemoryRecorder{}})
	if res.Status != RunCancelled || !errors.Is(res.Err(), ErrCancelled) {
		t.Errorf("status %s", res.Status)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %s to stop", d)
	}
	if b.count("/t") != 0 {
		t.Errorf("a step started after cancel")
	}
}

func TestRunTimeout(t *testing.T) {
	b := newBackOffice(t, map[string]http.HandlerFunc{"/hang": func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }})
	src := "name: slow\ntimeout: 50ms\nservices: [account]\nsteps:\n  - id: s\n    request: {service: account, path: /hang}\n"
	res, _ := runFlow(t, NewEngine(), mustLoad(t, src), b.env(), nil)
	if res.Status != RunFailed || res.Failure.Class != ClassEnvUnavailable || !strings.Contains(res.Failure.Message.En, "exceeded its timeout of 50ms") {
		t.Errorf("status %s failure %+v", res.Status, res.Failure)
	}
}

func TestWhenSkipsAndNestedFragments(t *testing.T) {
	b := newBackOffice(t, map[string]http.HandlerFunc{
		"/inner": reply(200, map[string]any{"v": "deep"}),
		"/star":  reply(200, map[string]any{}),
	})
	dir := writeFiles(t, map[string]string{
		"f/outer.yaml": "name: f/outer\nkind: fragment\nsteps:\n  - id: call\n    uses: f/inner\noutputs:\n  v: \"${{ steps.call.v }}\"\n",
		"f/inner.yaml": "name: f/inner\nkind: fragment\nservices: [account]\nsteps:\n  - id: get\n    request: {service: account, path: /inner}\n    capture: {v: body.v}\noutputs:\n  v: \"${{ steps.get.v }}\"\n",
		"main.yaml": `name: main
services: [account]
inputs:
  star: {type: boolean, default: false}
steps:
  - id: nested
    uses: f/outer
  - id: star
    when: inputs.star
    request: {service: account, path: /star}
    capture: {ok: "true"}
  - id: after
    capture: {star: "steps.star.ok ?? 'skipped'", v: steps.nested.v}
outputs:
  star: "${{ steps.after.star }}"
  v: "${{ steps.after.v }}"
`,
	})
	def, diags := NewLoader(dir).LoadFile(dir + "/main.yaml")
	if diags != nil {
		t.Fatal(diags)
	}
	inputs, _ := ValidateInputs(def, nil, nil)
	res, rec := runFlow(t, NewEngine(), def, b.env(), inputs)
	if res.Status != RunSucceeded || res.Outputs["star"] != "skipped" || res.Outputs["v"] != "deep" {
		t.Fatalf("%s %v %v", res.Status, res.Failure, res.Outputs)
	}
	if b.count("/star") != 0 {
		t.Errorf("a step whose when is false was sent")
	}
	statuses := map[string]StepStatus{}
	for _, r := range rec.Records() {
		statuses[r.Step] = r.Status
	}
	if statuses["star"] != StepSkipped || statuses["nested/call/get"] != StepSucceeded || statuses["nested/call"] != StepSucceeded {
		t.Errorf("records %v", statuses)
	}
}

func TestServiceWithPrivateCA(t *testing.T) {
	srv := httptest.NewUnstartedServer(reply(200, map[string]any{"ok": true}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	srv.StartTLS()
	defer srv.Close()
	src := "name: tls\nservices: [account]\nsteps:\n  - id: s\n    request: {service: account, path: /x}\n    capture: {ok: body.ok}\n"
	plain := &Environment{Services: map[string]Service{"account": {BaseURL: srv.URL}}}
	res, _ := runFlow(t, NewEngine(), mustLoad(t, src), plain, nil)
	if res.Failure == nil || res.Failure.Class != ClassEnvUnavailable {
		t.Fatalf("an unknown certificate must fail: %+v", res.Failure)
	}
	pemCert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	trusted := &Environment{Services: map[string]Service{"account": {BaseURL: srv.URL, TLS: &TLSOptions{CACertPEM: string(pemCert)}}}}
	res, _ = runFlow(t, NewEngine(), mustLoad(t, src), trusted, nil)
	if res.Status != RunSucceeded {
		t.Errorf("with the CA: %+v", res.Failure)
	}
}

func TestSessionCookiesStayInTheirRun(t *testing.T) {
	b := newBackOffice(t, map[string]http.HandlerFunc{
		"/login": func(w http.ResponseWriter, r *http.Request) {
			http.SetCookie(w, &http.Cookie{Name: "SESSION", Value: r.URL.Query().Get("who"), Path: "/"})
			reply(200, map[string]any{})(w, r)
		},
		"/me": func(w http.ResponseWriter, r *http.Request) {
			c, err := r.Cookie("SESSION")
			if err != nil {
				reply(401, map[string]any{"msg": "未登录"})(w, r)
				return
			}
			reply(200, map[string]any{"who": c.Value})(w, r)
		},
	})
	src := `name: cookie
services: [account]
inputs:
  who: {type: string}
steps:
  - id: login
    request: {service: account, path: /login, query: {who: "${{ inputs.who }}"}}
  - id: me
    needs: [login]
    request: {service: account, path: /me}
    capture: {who: body.who}
outputs:
  who: "${{ steps.me.who }}"
`
	e := NewEngine()
	def := mustLoad(t, src)
	for _, who := range []string{"alice", "bob"} {
		res, _ := runFlow(t, e, def, b.env(), map[string]any{"who": who})
		if res.Outputs["who"] != who {
			t.Errorf("run as %s saw session %v (%v)", who, res.Outputs["who"], res.Failure)
		}
	}
	noLogin := mustLoad(t, "name: n\nservices: [account]\nsteps:\n  - id: me\n    request: {service: account, path: /me}\n")
	if res, _ := runFlow(t, e, noLogin, b.env(), nil); res.Status != RunFailed {
		t.Errorf("a new run reused an earlier run's session")
	}
}

func TestFailureMessagesAreMasked(t *testing.T) {
	b := newBackOffice(t, map[string]http.HandlerFunc{"/login": reply(400, map[string]any{"msg": "密码 s3cr3t-pw 错误"})})
	src := "name: m\nservices: [account]\nsteps:\n  - id: login\n    request: {service: account, path: /login, json: {pw: \"${{ secret('operator_password') }}\"}}\n"
	res, rec := runFlow(t, NewEngine(), mustLoad(t, src), b.env(), nil)
	if res.Failure == nil || res.Failure.Message.Zh != "服务 account 返回 HTTP 400：密码 *** 错误" {
		t.Errorf("result failure %+v", res.Failure)
	}
	if m := rec.Records()[0].Failure.Message.En; strings.Contains(m, "s3cr3t") {
		t.Errorf("record failure leaks the secret: %s", m)
	}
}

func TestRecorderProblemsArePlatformErrors(t *testing.T) {
	b := newBackOffice(t, map[string]http.HandlerFunc{"/a": reply(200, map[string]any{}), "/b": reply(200, map[string]any{})})
	def := mustLoad(t, "name: p\nservices: [account]\nsteps:\n  - id: a\n    request: {service: account, path: /a}\n  - id: b\n    needs: [a]\n    request: {service: account, path: /b}\n")
	for name, rec := range map[string]Recorder{
		"error": RecorderFunc(func(context.Context, StepRecord) error { return errors.New("database is locked") }),
		"panic": RecorderFunc(func(context.Context, StepRecord) error { panic("nil map") }),
	} {
		res := NewEngine().Run(context.Background(), RunSpec{RunID: name, Definition: def, Environment: b.env(), Recorder: rec})
		if !errors.Is(res.Err(), ErrPlatformError) || res.Failure.Step != "a" {
			t.Errorf("%s: %+v", name, res.Failure)
		}
	}
	if b.count("/b") != 0 {
		t.Errorf("b ran although a could not be recorded")
	}
}
