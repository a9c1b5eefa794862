package uatsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// wednesday10 is a trading day inside transfer hours, Beijing time.
var wednesday10 = time.Date(2026, 11, 18, 10, 0, 0, 0, chinaTime)

// testOptions are fast, deterministic options: a frozen clock on a trading
// morning and a 30 ms depository.
func testOptions() Options {
	return Options{DepositoryDelay: 30 * time.Millisecond, Seed: 7, Clock: ClockOptions{Start: wednesday10, Frozen: true}}
}

type testEnv struct {
	t      testing.TB
	sim    *Sim
	base   string
	client *http.Client
	token  string
	seq    atomic.Int64
}

func newTestEnv(t testing.TB, opts Options) *testEnv {
	t.Helper()
	sim := New(opts)
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(func() {
		srv.Close()
		sim.Close()
	})
	e := &testEnv{t: t, sim: sim, base: srv.URL, client: srv.Client()}
	r := e.call("POST", "/account/operator/login", map[string]any{"operator": UATOperator, "password": UATPassword})
	r.ok(t)
	e.token = r.str("token")
	return e
}

type reply struct {
	Status  int
	Code    string
	Message string
	Data    map[string]any
	Header  http.Header
	Body    []byte
}

// call sends a request with the operator token; extra headers come as "Name: value".
func (e *testEnv) call(method, path string, body any, headers ...string) reply {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			e.t.Fatalf("marshal %s %s: %v", method, path, err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, e.base+path, rd)
	if err != nil {
		e.t.Fatalf("new request: %v", err)
	}
	if e.token != "" {
		req.Header.Set("Authorization", "Bearer "+e.token)
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Set(k, v)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var env struct {
		Code    string         `json:"code"`
		Message string         `json:"message"`
		Data    map[string]any `json:"data"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		e.t.Fatalf("%s %s: answer is not an envelope: %v: %s", method, path, err, raw)
	}
	return reply{Status: resp.StatusCode, Code: env.Code, Message: env.Message, Data: env.Data, Header: resp.Header, Body: raw}
}

func (r reply) ok(t testing.TB) reply {
	t.Helper()
	if r.Status != 200 || r.Code != "0" {
		t.Fatalf("want success, got %d %s %s", r.Status, r.Code, r.Message)
	}
	return r
}

// refused asserts the answer's status and code, and that its message contains want.
func (r reply) refused(t testing.TB, status int, code, want string) {
	t.Helper()
	if r.Status != status || r.Code != code || !strings.Contains(r.Message, want) {
		t.Fatalf("want %d %s containing %q, got %d %s %q", status, code, want, r.Status, r.Code, r.Message)
	}
}

func (r reply) str(key string) string {
	v, _ := r.Data[key].(string)
	return v
}

// makeID builds a valid resident ID from area, birth date and sequence.
func makeID(area, birth, seq string) string {
	first := area + birth + seq
	return first + string(idCheckChar(first))
}

// newID gives a fresh valid ID for someone born on birth (YYYYMMDD) whose
// sequence code (digits 15-17) is seq.
func (e *testEnv) newID(birth, seq string) string {
	n := e.seq.Add(1)
	area := fmt.Sprintf("11%04d", n%10000)
	return makeID(area, birth, seq)
}

// createCustomer runs the police check and creates a customer, returning its code.
func (e *testEnv) createCustomer(id, name string) string {
	e.t.Helper()
	e.call("POST", "/account/identity/police-check", map[string]any{"id_number": id, "name": name}).ok(e.t)
	r := e.call("POST", "/account/customers", map[string]any{"name": name, "id_type": "0", "id_number": id,
		"id_expiry": "20350101", "mobile": "13812345678", "channel": "2"}).ok(e.t)
	return r.str("customer_code")
}

// waitRequest polls a depository request until it is answered.
func (e *testEnv) waitRequest(serial string) reply {
	e.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		r := e.call("GET", "/account/csdc/requests/"+serial, nil).ok(e.t)
		if st := r.str("status"); st == "2" || st == "3" {
			return r
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("depository request %s still %s", serial, r.str("status"))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// answers gives a full questionnaire answered with one option.
func answers(opt string) map[string]string {
	m := map[string]string{}
	for _, q := range riskQuestions {
		m[q.No] = opt
	}
	return m
}

// buildStandard opens a complete, activated standard account with risk level
// from option (all answers opt), SH and SZ accounts, designated trading and
// one-step custody at CCB. It returns the customer code.
func (e *testEnv) buildStandard(id, name, opt string) string {
	e.t.Helper()
	e.call("GET", "/account/customers?id_number="+id, nil).ok(e.t)
	code := e.createCustomer(id, name)
	cp := "/account/customers/" + code
	e.call("PUT", cp+"/contact", map[string]any{"mobile": "13812345678", "address": "北京市朝阳区建国路88号", "postcode": "100022"}).ok(e.t)
	e.call("PUT", cp+"/tax-residency", map[string]any{"type": "1"}).ok(e.t)
	e.call("PUT", cp+"/beneficial-owner", map[string]any{"is_self": true}).ok(e.t)
	e.call("GET", "/account/risk-questionnaire", nil).ok(e.t)
	e.call("POST", cp+"/risk-assessment", map[string]any{"answers": answers(opt)}).ok(e.t)
	e.call("POST", cp+"/suitability", map[string]any{"investor_type": "0", "confirmed": true}).ok(e.t)
	e.call("POST", "/account/capital-accounts", map[string]any{"customer_code": code}).ok(e.t)
	r := e.call("POST", "/account/csdc/one-stop-accounts", map[string]any{"customer_code": code}).ok(e.t)
	e.waitRequest(r.str("serial"))
	sh := e.call("POST", "/account/stock-accounts", map[string]any{"customer_code": code, "market": "SH"}).ok(e.t)
	sz := e.call("POST", "/account/stock-accounts", map[string]any{"customer_code": code, "market": "SZ"}).ok(e.t)
	shAcct := e.waitRequest(sh.str("serial")).Data["result"].(map[string]any)["account"].(string)
	e.waitRequest(sz.str("serial"))
	e.call("POST", "/account/stock-accounts/"+shAcct+"/designated-trading", map[string]any{"trading_unit": "23456"}).ok(e.t)
	e.call("POST", "/custody/agreements", map[string]any{"capital_account": code, "bank_code": "5000",
		"bank_card": luhnCard("621700000000000"), "mode": "1"}).ok(e.t)
	e.call("PUT", cp+"/trading-password", map[string]any{"password": "135790"}).ok(e.t)
	e.call("PUT", cp+"/funds-password", map[string]any{"password": "246801"}).ok(e.t)
	e.call("POST", cp+"/witness", map[string]any{"mode": "2", "witnesses": []string{"W0001"}}).ok(e.t)
	e.call("POST", cp+"/activate", nil).ok(e.t)
	e.call("POST", cp+"/return-visit", map[string]any{"method": "phone", "result": "1"}).ok(e.t)
	e.call("GET", "/custody/balances?capital_account="+code, nil).ok(e.t)
	return code
}

// luhnCard appends the Luhn check digit to prefix.
func luhnCard(prefix string) string {
	for d := byte('0'); d <= '9'; d++ {
		if checkBankCard(prefix+string(d)) == nil {
			return prefix + string(d)
		}
	}
	panic("no Luhn digit")
}
