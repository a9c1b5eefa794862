package uatsim

import (
	"sync"
	"testing"
)

func TestIdempotencyKey(t *testing.T) {
	e := newTestEnv(t, testOptions())
	id := e.newID("19900101", "123")
	e.call("POST", "/account/identity/police-check", map[string]any{"id_number": id, "name": "林一"}).ok(t)
	body := map[string]any{"name": "林一", "id_number": id, "id_expiry": "20350101", "mobile": "13812345678", "channel": "2"}

	first := e.call("POST", "/account/customers", body, "Idempotency-Key: run1:create:0").ok(t)
	again := e.call("POST", "/account/customers", body, "Idempotency-Key: run1:create:0").ok(t)
	if again.str("customer_code") != first.str("customer_code") || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("replay: want the same customer code marked replayed, got %v %q", again.Data, again.Header.Get("Idempotent-Replayed"))
	}
	e.sim.mu.Lock()
	n := len(e.sim.st.Customers)
	e.sim.mu.Unlock()
	if n != 1 {
		t.Errorf("want 1 customer record, got %d", n)
	}
	// Without the key the replay is a second create: the product's own refusal.
	e.call("POST", "/account/customers", body).refused(t, 409, codeDuplicateCustomer, "系统不允许同一证件开多个客户代码")
	// The same key for another request is a client bug.
	body["mobile"] = "13912345678"
	e.call("POST", "/account/customers", body, "Idempotency-Key: run1:create:0").refused(t, 422, codeIdempotencyReuse, "已用于另一个请求（POST /account/customers）")
}

func TestIdempotencyForgetsRefusals(t *testing.T) {
	e := newTestEnv(t, testOptions())
	code := e.createCustomer(e.newID("19900101", "123"), "林二")
	open := map[string]any{"customer_code": code}
	e.call("POST", "/account/csdc/one-stop-accounts", open, "Idempotency-Key: k1").refused(t, 422, codeCustomerState, "请先开立资金账户")
	e.call("POST", "/account/capital-accounts", open).ok(t)
	r := e.call("POST", "/account/csdc/one-stop-accounts", open, "Idempotency-Key: k1").ok(t)
	if r.Header.Get("Idempotent-Replayed") != "" {
		t.Error("a retry after a refusal must run again, not replay")
	}
}

func TestIdempotencyConcurrent(t *testing.T) {
	e := newTestEnv(t, testOptions())
	code := e.createCustomer(e.newID("19900101", "123"), "林三")
	e.call("POST", "/account/capital-accounts", map[string]any{"customer_code": code}).ok(t)
	e.waitRequest(e.call("POST", "/account/csdc/one-stop-accounts", map[string]any{"customer_code": code}).ok(t).str("serial"))

	var wg sync.WaitGroup
	serials := make([]string, 8)
	for i := range serials {
		wg.Go(func() {
			r := e.call("POST", "/account/stock-accounts", map[string]any{"customer_code": code, "market": "SH"}, "Idempotency-Key: run2:sh:0")
			serials[i] = r.str("serial")
		})
	}
	wg.Wait()
	for _, s := range serials {
		if s == "" || s != serials[0] {
			t.Fatalf("concurrent calls with one key: want one serial, got %v", serials)
		}
	}
	e.sim.mu.Lock()
	n := len(e.sim.st.Customers[code].Requests)
	e.sim.mu.Unlock()
	if n != 2 { // one-stop + one SH request
		t.Errorf("want 2 depository requests, got %d", n)
	}
}
