package library

import (
	"slices"
	"sort"
	"testing"

	"github.com/zaoshu/zaoshu/uatsim"
)

// TestAddOns builds a standard account, then changes it the way a tester
// would with each add-on, checking the back office after each.
func TestAddOns(t *testing.T) {
	t.Parallel()
	bo := startBackOffice(t, uatsim.Options{})
	std := load(t, "standard-account.yaml")
	out, _, _ := bo.mustBuild(t, std, 700, nil)
	code := out["customer_code"].(string)

	risk, _, _ := bo.mustBuild(t, load(t, "change-risk-level.yaml"), 701, map[string]any{"customer_code": code, "risk_level": "C5", "professional": "是"})
	snap := bo.snapshot(t, code)
	if snap.Risk == nil || snap.Risk.Level != "C5" || snap.Suitability == nil || snap.Suitability.InvestorType != "1" || risk["risk_level"] != "C5" {
		t.Fatalf("after change-risk-level: risk %+v, suitability %+v, outputs %v; want C5 professional", snap.Risk, snap.Suitability, risk)
	}

	signed, _, _ := bo.mustBuild(t, load(t, "sign-agreements.yaml"), 702, map[string]any{"customer_code": code, "agreements": "chinext,star,bond_qualified,margin"})
	snap = bo.snapshot(t, code)
	var types []string
	for _, ag := range snap.Agreements {
		types = append(types, ag.Type)
	}
	sort.Strings(types)
	if want := []string{"bond_qualified", "chinext", "margin", "star"}; !slices.Equal(types, want) {
		t.Errorf("agreements = %v, want %v", types, want)
	}
	if signed["credit_account"] == "" {
		t.Errorf("sign-agreements outputs %v, want the margin credit account", signed)
	}

	deposit := load(t, "deposit-funds.yaml")
	bo.mustBuild(t, deposit, 703, map[string]any{"customer_code": code, "available": "3000", "withdrawable": "1000.10"})
	funds, _, _ := bo.mustBuild(t, deposit, 704, map[string]any{"customer_code": code, "available": "500.05"})
	main := bo.snapshot(t, code).mainAccount(t)
	if main.Balance.Available != "3500.05" || main.Balance.Withdrawable != "1500.15" {
		t.Errorf("balance = %s / %s, want 3500.05 available, 1500.15 withdrawable", main.Balance.Available, main.Balance.Withdrawable)
	}
	if funds["available"] != "3500.05" || funds["withdrawable"] != "1500.15" {
		t.Errorf("deposit-funds outputs %v, want the new balance", funds)
	}

	bound, _, _ := bo.mustBuild(t, load(t, "bind-auxiliary-bank.yaml"), 705, map[string]any{"customer_code": code, "bank_code": "5300"})
	snap = bo.snapshot(t, code)
	found := false
	for _, a := range snap.CapitalAccounts {
		if !a.Main && a.Custody != nil && a.Custody.BankCode == "5300" && a.Account == bound["capital_account"] {
			found = true
		}
	}
	if !found {
		t.Errorf("capital accounts = %+v, want an auxiliary one %v with Bank of China", snap.CapitalAccounts, bound["capital_account"])
	}
}
