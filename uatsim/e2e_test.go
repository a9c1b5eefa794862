package uatsim

import (
	"context"
	"net"
	"net/http"
	"testing"
)

// TestStandardAccountOverHTTP builds a standard account through every call on a
// real listener (Serve) and checks what the snapshot holds.
func TestStandardAccountOverHTTP(t *testing.T) {
	sim := New(testOptions())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sim.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		sim.Close()
	})
	e := &testEnv{t: t, sim: sim, base: "http://" + ln.Addr().String(), client: &http.Client{}}
	e.token = e.call("POST", "/account/operator/login", map[string]any{"operator": UATOperator, "password": UATPassword}).ok(t).str("token")

	if n := e.call("GET", "/account/customers?id_number=11010519491231002X", nil).ok(t).Data["total"]; n != 0.0 {
		t.Fatalf("lookup before opening: want 0 customers, got %v", n)
	}
	id := "11010519491231002X" // DOMAIN.md's valid example: female, born 1949-12-31
	e.call("POST", "/account/identity/photo-compare", map[string]any{"id_number": id, "name": "张秀英",
		"photo": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="}).ok(t)
	code := e.buildStandard(id, "张秀英", "D")
	e.call("POST", "/custody/transfers", map[string]any{"capital_account": code, "direction": "in", "amount": "200000.00"}).ok(t)
	e.call("PUT", "/uat/customers/"+code+"/asset-history", map[string]any{"average": "200000.00"}).ok(t)
	e.call("PUT", "/uat/customers/"+code+"/first-trade-date", map[string]any{"date": "20200601"}).ok(t)
	sign := e.call("POST", "/trade/agreements", map[string]any{"customer_code": code, "type": "chinext", "disclosure_confirmed": true}).ok(t)
	e.waitRequest(sign.str("serial"))
	e.call("POST", "/trade/agreements", map[string]any{"customer_code": code, "type": "risk_warning", "disclosure_confirmed": true}).ok(t)

	snap := e.call("GET", "/uat/customers/"+code+"/snapshot", nil).ok(t).Data
	if snap["operator"] != UATOperator {
		t.Errorf("opened by %v, want %s", snap["operator"], UATOperator)
	}
	if snap["status"] != "0" || snap["gender"] != "2" || snap["birth_date"] != "19491231" || snap["id_number"] != id {
		t.Errorf("profile: status %v gender %v birth %v id %v", snap["status"], snap["gender"], snap["birth_date"], snap["id_number"])
	}
	if lv := snap["risk"].(map[string]any)["risk_level"]; lv != "C4" {
		t.Errorf("risk level: want C4, got %v", lv)
	}
	if m := snap["missing_for_activation"]; m != nil {
		t.Errorf("missing for activation: %v", m)
	}
	if len(snap["one_stop_account"].(string)) != 12 {
		t.Errorf("one-stop account: %v", snap["one_stop_account"])
	}
	stock := snap["stock_accounts"].([]any)
	if len(stock) != 2 {
		t.Fatalf("want 2 shareholder accounts, got %v", stock)
	}
	for _, a := range stock {
		a := a.(map[string]any)
		acct := a["account"].(string)
		switch a["market"] {
		case "SH":
			if len(acct) != 10 || acct[0] != 'A' || a["type"] != "11" || a["designated"] != true || a["trading_unit"] != "23456" {
				t.Errorf("SH account: %v", a)
			}
		case "SZ":
			if len(acct) != 10 || acct[0] != '0' || a["type"] != "21" {
				t.Errorf("SZ account: %v", a)
			}
		}
	}
	capital := snap["capital_accounts"].([]any)[0].(map[string]any)
	bal := capital["balance"].(map[string]any)
	if capital["capital_account"] != code || bal["available"] != "200000.00" || bal["withdrawable"] != "200000.00" {
		t.Errorf("capital account: %v", capital)
	}
	if cust := capital["custody"].(map[string]any); cust["bank_code"] != "5000" || cust["status"] != "0" {
		t.Errorf("custody: %v", cust)
	}
	ags := snap["agreements"].([]any)
	if len(ags) != 2 {
		t.Fatalf("want 2 agreements, got %v", ags)
	}
	chinext, warning := ags[0].(map[string]any), ags[1].(map[string]any)
	// ChiNext filed at the depository on Wednesday becomes effective T+2 (Friday).
	if chinext["type"] != "chinext" || chinext["status"] != "1" || chinext["effective_date"] != "20261120" {
		t.Errorf("chinext agreement: %v", chinext)
	}
	if warning["status"] != "0" {
		t.Errorf("risk warning agreement: %v", warning)
	}
	pw := snap["passwords"].(map[string]any)
	if pw["trading"].(map[string]any)["set"] != true || pw["funds"].(map[string]any)["set"] != true {
		t.Errorf("passwords: %v", pw)
	}
	if snap["witness"] == nil || snap["return_visit"] == nil || snap["contact"] == nil || snap["tax_residency"] == nil || snap["beneficial_owner"] == nil || snap["suitability"] == nil {
		t.Errorf("profile parts missing: %v", snap)
	}
	if n := e.call("GET", "/account/customers?id_number="+id, nil).ok(t).Data["total"]; n != 1.0 {
		t.Errorf("lookup after opening: want 1 customer, got %v", n)
	}
}
