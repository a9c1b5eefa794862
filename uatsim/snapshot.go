package uatsim

import (
	"time"
)

// customerViewLocked is a customer's profile as GET /account/customers/{code} answers it.
func (s *Sim) customerViewLocked(cu *customer) map[string]any {
	v := map[string]any{
		"customer_code": cu.Code, "name": cu.Name, "id_type": cu.IDType, "id_number": cu.IDNumber,
		"id_expiry": cu.IDExpiry, "gender": cu.Gender, "birth_date": cu.BirthDate, "mobile": cu.Mobile,
		"channel": cu.Channel, "channel_name": channelNames[cu.Channel], "status": cu.Status,
		"created_at": cu.CreatedAt.Format(time.RFC3339), "capital_accounts": cu.CapitalAccounts,
		"stock_accounts": cu.StockAccounts, "one_stop_account": cu.OneStopAccount,
	}
	if cu.Risk != nil {
		v["risk_level"] = cu.Risk.Level
	}
	if cu.ClosedAt != nil {
		v["closed_at"] = cu.ClosedAt.Format(time.RFC3339)
	}
	return v
}

// snapshotLocked is everything the simulator holds about a customer, for assertions.
func (s *Sim) snapshotLocked(cu *customer) map[string]any {
	now := s.clock.Now()
	v := s.customerViewLocked(cu)
	v["operator"] = cu.Operator
	v["income_proof"] = cu.IncomeProof
	v["annual_income"] = cu.AnnualIncome
	if cu.ActivatedAt != nil {
		v["activated_at"] = cu.ActivatedAt.Format(time.RFC3339)
	}
	v["contact"] = cu.Contact
	v["tax_residency"] = cu.TaxResidency
	v["beneficial_owner"] = cu.BeneficialOwner
	v["risk"] = cu.Risk
	v["suitability"] = cu.Suitability
	v["passwords"] = map[string]any{"trading": passwordView(cu.TradingPassword), "funds": passwordView(cu.FundsPassword)}
	v["witness"] = cu.Witness
	v["return_visit"] = cu.ReturnVisit
	v["missing_for_activation"] = s.missingForActivationLocked(cu)

	capital := []map[string]any{}
	for _, a := range cu.CapitalAccounts {
		acct := s.st.CapitalAccounts[a]
		entry := map[string]any{"capital_account": acct.Account, "currency": acct.Currency, "main": acct.Main,
			"status": acct.Status, "balance": s.balanceLocked(acct)}
		if acct.ClosedAt != nil {
			entry["closed_at"] = acct.ClosedAt.Format(time.RFC3339)
		}
		if acct.Custody != "" {
			entry["custody"] = s.custodyViewLocked(s.st.CustodyAgreements[acct.Custody])
		}
		capital = append(capital, entry)
	}
	v["capital_accounts"] = capital

	stock := []*stockAccount{}
	for _, a := range cu.StockAccounts {
		stock = append(stock, s.st.StockAccounts[a])
	}
	v["stock_accounts"] = stock

	requests := []map[string]any{}
	for _, serial := range cu.Requests {
		requests = append(requests, s.requestViewLocked(s.st.Requests[serial]))
	}
	v["depository_requests"] = requests

	agreements := []map[string]any{}
	for _, id := range cu.Agreements {
		agreements = append(agreements, agreementView(s.st.Agreements[id], now))
	}
	v["agreements"] = agreements

	m, ok := s.experienceMonths(cu)
	v["first_trade_date"] = cu.FirstTradeDate
	v["experience"] = describeExperience(m, ok)
	v["asset_history"] = cu.AssetHistory
	v["average_assets_20d"] = averageAssets(cu.AssetHistory)
	v["positions"] = cu.Positions
	return v
}

func passwordView(p *password) map[string]any {
	if p == nil {
		return map[string]any{"set": false}
	}
	return map[string]any{"set": true, "failures": p.Failures, "locked": p.Locked}
}
