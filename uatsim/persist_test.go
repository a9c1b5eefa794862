package uatsim

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestSaveAndLoad(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sim.json")
	opts := testOptions()
	opts.StateFile = file
	e := newTestEnv(t, opts)
	code := e.buildStandard(e.newID("19800101", "123"), "沈一", "D")
	e.call("POST", "/custody/transfers", map[string]any{"capital_account": code, "direction": "in", "amount": "1234.56"}).ok(t)
	e.call("POST", "/account/stock-accounts", map[string]any{"customer_code": code, "market": "SZ"}).ok(t) // pending when saved
	if err := e.sim.Close(); err != nil {
		t.Fatalf("close saves the state: %v", err)
	}
	before := e.call("GET", "/uat/customers/"+code+"/snapshot", nil).ok(t)

	opts2 := testOptions()
	opts2.StateFile = file
	e2 := newTestEnv(t, opts2)
	if err := e2.sim.Err(); err != nil {
		t.Fatal(err)
	}
	after := e2.call("GET", "/uat/customers/"+code+"/snapshot", nil).ok(t)
	for _, k := range []string{"name", "one_stop_account", "status", "risk_level"} {
		if before.Data[k] != after.Data[k] {
			t.Errorf("%s: saved %v, loaded %v", k, before.Data[k], after.Data[k])
		}
	}
	bal := after.Data["capital_accounts"].([]any)[0].(map[string]any)["balance"].(map[string]any)
	if bal["withdrawable"] != "1234.56" {
		t.Errorf("balance after load: %v", bal)
	}
	// The request pending at save time is answered after load.
	deadline := time.Now().Add(3 * time.Second)
	for {
		snap := e2.call("GET", "/uat/customers/"+code+"/snapshot", nil).ok(t)
		if n := len(snap.Data["stock_accounts"].([]any)); n == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("pending depository request not answered after load")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// One customer per ID survives the reload.
	e2.call("POST", "/account/identity/police-check", map[string]any{"id_number": before.str("id_number"), "name": "沈一"}).ok(t)
	e2.call("POST", "/account/customers", map[string]any{"name": "沈一", "id_number": before.str("id_number"), "id_expiry": "20350101",
		"mobile": "13812345678", "channel": "2"}).refused(t, 409, codeDuplicateCustomer, "系统不允许同一证件开多个客户代码")

	e2.call("POST", "/uat/reset", nil).ok(t)
	e2.call("GET", "/uat/customers/"+code+"/snapshot", nil).refused(t, 404, codeNotFound, "客户代码不存在")
	e2.call("POST", "/uat/state/load", map[string]any{"path": file}).ok(t)
	e2.call("GET", "/uat/customers/"+code+"/snapshot", nil).ok(t)
}

func TestLoadRejectsACorruptFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "bad.json")
	sim := New(Options{})
	if err := sim.Save(file); err != nil {
		t.Fatal(err)
	}
	if err := sim.Load(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("loading a missing file: want an error")
	}
	s2 := New(Options{StateFile: filepath.Join(t.TempDir(), "none.json")})
	if s2.Err() != nil {
		t.Errorf("a state file that does not exist yet is not an error: %v", s2.Err())
	}
}

// TestConcurrentBuilds builds accounts in parallel; under -race it checks the
// locking, and afterwards that no number was handed out twice.
func TestConcurrentBuilds(t *testing.T) {
	e := newTestEnv(t, testOptions())
	const n = 8
	codes := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { codes[i] = e.buildStandard(e.newID("19800101", fmt.Sprintf("%03d", 200+i)), "并发", "D") })
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, code := range codes {
		snap := e.call("GET", "/uat/customers/"+code+"/snapshot", nil).ok(t).Data
		for _, k := range []string{"customer_code", "one_stop_account"} {
			v := snap[k].(string)
			if seen[v] {
				t.Errorf("%s %s handed out twice", k, v)
			}
			seen[v] = true
		}
		for _, a := range snap["stock_accounts"].([]any) {
			v := a.(map[string]any)["account"].(string)
			if seen[v] {
				t.Errorf("shareholder account %s handed out twice", v)
			}
			seen[v] = true
		}
	}
	if len(seen) != n*4 {
		t.Errorf("want %d distinct numbers, got %d", n*4, len(seen))
	}
}
