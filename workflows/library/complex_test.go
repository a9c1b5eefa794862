package library

import (
	"slices"
	"sort"
	"testing"

	"github.com/zaoshu/zaoshu/uatsim"
)

// TestComplexAccount builds a table of complex accounts and checks each in
// the back office: exactly the risk level, investor type, funds to the cent,
// custody and auxiliary banks, and agreements that were asked for.
func TestComplexAccount(t *testing.T) {
	t.Parallel()
	bo := startBackOffice(t, uatsim.Options{})
	def := load(t, "complex-account.yaml")
	cases := []struct {
		name                    string
		set                     map[string]any
		level, investor         string
		available, withdrawable string
		bank                    string
		auxiliary               []string
		agreements              []string
	}{
		{
			name:  "defaults",
			set:   map[string]any{},
			level: "C4", investor: "0", available: "0.00", withdrawable: "0.00", bank: "5200",
		},
		{
			name:  "conservative counter customer with same-day proceeds only",
			set:   map[string]any{"risk_level": "C1", "channel": "0", "available": "500", "withdrawable": "0", "bank_code": "8500", "agreements": "risk_warning"},
			level: "C1", investor: "0", available: "500.00", withdrawable: "0.00", bank: "8500",
			agreements: []string{"risk_warning"},
		},
		{
			name: "growth investor on the boards with two auxiliary banks",
			set: map[string]any{"risk_level": "C4", "available": 100000.5, "withdrawable": 60000.25, "bank_code": "5500",
				"auxiliary_banks": []any{"5200", "5300"}, "agreements": []any{"chinext", "star", "margin", "risk_warning"}},
			level: "C4", investor: "0", available: "100000.50", withdrawable: "60000.25", bank: "5500",
			auxiliary: []string{"5200", "5300"}, agreements: []string{"chinext", "margin", "risk_warning", "star"},
		},
		{
			name: "professional investor with every other permission",
			set: map[string]any{"risk_level": "C5", "professional": true, "available": 1000000, "withdrawable": 1000000,
				"bank_code": "7100", "auxiliary_banks": "5000,6300,5700,5800", "channel": "3",
				"agreements": []any{"bse", "hk_connect_sh", "hk_connect_sz", "options", "delisting", "bond_qualified"}},
			level: "C5", investor: "1", available: "1000000.00", withdrawable: "1000000.00", bank: "7100",
			auxiliary:  []string{"5000", "5700", "5800", "6300"},
			agreements: []string{"bond_qualified", "bse", "delisting", "hk_connect_sh", "hk_connect_sz", "options"},
		},
		{
			name:  "cautious investor, all withdrawable",
			set:   map[string]any{"risk_level": "C2", "available": "0.01", "withdrawable": "0.01", "bank_code": "5000"},
			level: "C2", investor: "0", available: "0.01", withdrawable: "0.01", bank: "5000",
		},
		{
			name:  "balanced investor",
			set:   map[string]any{"risk_level": "C3", "available": "2500.75", "withdrawable": "2000", "bank_code": "6100", "agreements": "risk_warning"},
			level: "C3", investor: "0", available: "2500.75", withdrawable: "2000.00", bank: "6100",
			agreements: []string{"risk_warning"},
		},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, inputs, _ := bo.mustBuild(t, def, int64(100+10*i), tc.set)
			snap := bo.snapshot(t, out["customer_code"].(string))

			if snap.Status != "0" || snap.Name != inputs["name"] || snap.IDNumber != inputs["id_number"] || snap.Mobile != inputs["mobile"] {
				t.Errorf("customer = %s %s %s status %s, asked %v %v %v", snap.Name, snap.IDNumber, snap.Mobile, snap.Status, inputs["name"], inputs["id_number"], inputs["mobile"])
			}
			if snap.Risk == nil || snap.Risk.Level != tc.level || out["risk_level"] != tc.level {
				t.Errorf("risk = %+v (output %v), want %s", snap.Risk, out["risk_level"], tc.level)
			}
			if snap.Suitability == nil || snap.Suitability.InvestorType != tc.investor {
				t.Errorf("suitability = %+v, want investor type %s", snap.Suitability, tc.investor)
			}
			main := snap.mainAccount(t)
			if main.Balance.Available != tc.available || main.Balance.Withdrawable != tc.withdrawable {
				t.Errorf("balance = %s available / %s withdrawable, want %s / %s", main.Balance.Available, main.Balance.Withdrawable, tc.available, tc.withdrawable)
			}
			if out["available"] != tc.available || out["withdrawable"] != tc.withdrawable {
				t.Errorf("outputs say %v / %v, want %s / %s", out["available"], out["withdrawable"], tc.available, tc.withdrawable)
			}
			if main.Custody == nil || main.Custody.BankCode != tc.bank || main.Custody.Status != "0" {
				t.Errorf("main custody = %+v, want bank %s in force", main.Custody, tc.bank)
			}
			var aux []string
			for _, a := range snap.CapitalAccounts {
				if !a.Main && a.Custody != nil && a.Custody.Status == "0" {
					aux = append(aux, a.Custody.BankCode)
				}
			}
			sort.Strings(aux)
			if !slices.Equal(aux, tc.auxiliary) {
				t.Errorf("auxiliary banks = %v, want %v", aux, tc.auxiliary)
			}
			var signed []string
			credit := ""
			for _, ag := range snap.Agreements {
				if ag.Status == "3" {
					t.Errorf("agreement %s failed at the depository", ag.Type)
				}
				signed = append(signed, ag.Type)
				credit += ag.CreditAccount
			}
			sort.Strings(signed)
			if !slices.Equal(signed, tc.agreements) {
				t.Errorf("agreements = %v, want %v", signed, tc.agreements)
			}
			if slices.Contains(tc.agreements, "margin") != (credit != "") || out["credit_account"] != credit {
				t.Errorf("credit account = %q (output %v) with agreements %v", credit, out["credit_account"], tc.agreements)
			}
			if sh := snap.stockAccount("SH"); sh == nil || !sh.Designated || snap.stockAccount("SZ") == nil {
				t.Errorf("shareholder accounts = %+v, want SH designated and SZ", snap.StockAccounts)
			}
		})
	}
}
