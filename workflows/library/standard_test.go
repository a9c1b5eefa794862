package library

import (
	"testing"

	"github.com/zaoshu/zaoshu/uatsim"
)

// TestStandardAccount builds a standard account with generated name and ID
// number and checks, in the back office, everything a tester logs in with.
func TestStandardAccount(t *testing.T) {
	t.Parallel()
	bo := startBackOffice(t, uatsim.Options{})
	def := load(t, "standard-account.yaml")
	seed := int64(1)
	out, inputs, calls := bo.mustBuild(t, def, seed, nil)

	snap := bo.snapshot(t, out["customer_code"].(string))
	if snap.Name != inputs["name"] || snap.IDNumber != inputs["id_number"] {
		t.Errorf("customer is %s %s, asked %v %v", snap.Name, snap.IDNumber, inputs["name"], inputs["id_number"])
	}
	if snap.Status != "0" {
		t.Errorf("customer status = %q, want 0 (active)", snap.Status)
	}
	if snap.Risk == nil || snap.Risk.Level != "C3" || out["risk_level"] != "C3" {
		t.Errorf("risk = %+v (output %v), want C3", snap.Risk, out["risk_level"])
	}
	if !snap.Passwords.Trading.Set || !snap.Passwords.Funds.Set {
		t.Errorf("passwords = %+v, want both set", snap.Passwords)
	}
	if snap.OneStop == "" || snap.OneStop != out["one_stop_account"] {
		t.Errorf("one-stop account = %q, output %v", snap.OneStop, out["one_stop_account"])
	}
	main := snap.mainAccount(t)
	if main.Account != out["capital_account"] || main.Custody == nil || main.Custody.BankCode != "5200" || main.Custody.Status != "0" {
		t.Errorf("main capital account = %+v, want %v with ICBC custody in force", main, out["capital_account"])
	}
	sh, sz := snap.stockAccount("SH"), snap.stockAccount("SZ")
	if sh == nil || sh.Account != out["sh_account"] || !sh.Designated || sh.Type != "11" {
		t.Errorf("Shanghai account = %+v, want %v designated, type 11", sh, out["sh_account"])
	}
	if sz == nil || sz.Account != out["sz_account"] || sz.Type != "21" {
		t.Errorf("Shenzhen account = %+v, want %v, type 21", sz, out["sz_account"])
	}
	if len(snap.StockAccounts) != 2 || len(snap.CapitalAccounts) != 1 {
		t.Errorf("%d shareholder and %d capital accounts, want 2 and 1", len(snap.StockAccounts), len(snap.CapitalAccounts))
	}
	// "About 35 calls across the three systems", polls included.
	if calls < 25 || calls > 45 {
		t.Errorf("%d calls, want about 35", calls)
	}
	t.Logf("standard account %v built with %d calls", out["customer_code"], calls)
}
