package uatsim

import (
	_ "embed"
	"net/http"
)

//go:embed openapi.json
var openAPIDocument []byte

// routes registers every endpoint. Business endpoints need an operator token
// (except login and health); /uat hooks and documents need none and see no faults.
func (s *Sim) routes() *http.ServeMux {
	mux := http.NewServeMux()
	add := func(pattern string, svc Service, auth bool, h handler) {
		mux.Handle(pattern, &endpoint{s: s, service: svc, auth: auth, h: h})
		s.patterns = append(s.patterns, pattern)
	}
	acc, cus, trd, uat := ServiceAccount, ServiceCustody, ServiceTrade, Service("")

	add("GET /account/health", acc, false, s.health)
	add("POST /account/operator/login", acc, false, s.login)
	add("GET /account/customers", acc, true, s.lookupCustomers)
	add("GET /account/customers/{code}", acc, true, s.getCustomer)
	add("POST /account/identity/police-check", acc, true, s.policeCheck)
	add("POST /account/identity/photo-compare", acc, true, s.photoCompare)
	add("POST /account/customers", acc, true, s.createCustomer)
	add("PUT /account/customers/{code}/contact", acc, true, s.setContact)
	add("PUT /account/customers/{code}/tax-residency", acc, true, s.setTaxResidency)
	add("PUT /account/customers/{code}/beneficial-owner", acc, true, s.setBeneficialOwner)
	add("GET /account/risk-questionnaire", acc, true, s.questionnaire)
	add("POST /account/customers/{code}/risk-assessment", acc, true, s.assessRisk)
	add("POST /account/customers/{code}/suitability", acc, true, s.confirmSuitability)
	add("POST /account/capital-accounts", acc, true, s.openCapitalAccount)
	add("POST /account/csdc/one-stop-accounts", acc, true, s.openOneStop)
	add("POST /account/stock-accounts", acc, true, s.openStockAccount)
	add("GET /account/csdc/requests/{serial}", acc, true, s.getRequest)
	add("POST /account/stock-accounts/{account}/designated-trading", acc, true, s.designateTrading)
	add("PUT /account/customers/{code}/trading-password", acc, true, s.setTradingPassword)
	add("PUT /account/customers/{code}/funds-password", acc, true, s.setFundsPassword)
	add("POST /account/customers/{code}/witness", acc, true, s.recordWitness)
	add("POST /account/customers/{code}/return-visit", acc, true, s.recordReturnVisit)
	add("POST /account/customers/{code}/activate", acc, true, s.activate)
	add("GET /account/stock-accounts", acc, true, s.listStockAccounts)
	add("POST /account/stock-accounts/{account}/designated-trading/cancel", acc, true, s.cancelDesignated)
	add("POST /account/stock-accounts/{account}/close", acc, true, s.closeStockAccount)
	add("POST /account/capital-accounts/{account}/close", acc, true, s.closeCapitalAccount)
	add("POST /account/customers/{code}/close", acc, true, s.closeCustomer)

	add("GET /custody/health", cus, false, s.health)
	add("GET /custody/banks", cus, true, s.listBanks)
	add("POST /custody/agreements", cus, true, s.signCustody)
	add("GET /custody/agreements", cus, true, s.listCustody)
	add("POST /custody/auxiliary-accounts", cus, true, s.openAuxiliary)
	add("POST /custody/transfers", cus, true, s.transfer)
	add("GET /custody/balances", cus, true, s.getBalance)
	add("POST /custody/agreements/{id}/cancel", cus, true, s.cancelCustody)
	add("POST /custody/auxiliary-accounts/{account}/cancel", cus, true, s.cancelAuxiliary)

	add("GET /trade/health", trd, false, s.health)
	add("GET /trade/catalogue", trd, true, s.listCatalogue)
	add("GET /trade/eligibility", trd, true, s.eligibility)
	add("POST /trade/agreements", trd, true, s.signAgreement)
	add("GET /trade/agreements", trd, true, s.listAgreements)
	add("GET /trade/csdc/requests/{serial}", trd, true, s.getRequest)
	add("POST /trade/agreements/{id}/cancel", trd, true, s.cancelAgreement)

	add("GET /uat/health", uat, false, s.health)
	add("PUT /uat/customers/{code}/first-trade-date", uat, false, s.setFirstTradeDate)
	add("PUT /uat/customers/{code}/asset-history", uat, false, s.setAssetHistory)
	add("POST /uat/customers/{code}/positions", uat, false, s.addPosition)
	add("POST /uat/capital-accounts/{account}/sale-proceeds", uat, false, s.addSaleProceeds)
	add("POST /uat/customers/{code}/sell-out", uat, false, s.sellOut)
	add("GET /uat/customers/{code}/snapshot", uat, false, s.getSnapshot)
	add("GET /uat/snapshot", uat, false, s.getSnapshot)
	add("GET /uat/customers", uat, false, s.listCustomers)
	add("GET /uat/clock", uat, false, s.getClock)
	add("PUT /uat/clock", uat, false, s.setClock)
	add("GET /uat/faults", uat, false, s.getFaults)
	add("DELETE /uat/faults", uat, false, s.clearFaults)
	add("PUT /uat/faults/{service}", uat, false, s.setFaults)
	add("POST /uat/faults/{service}/redeploy", uat, false, s.startRedeploy)
	add("GET /uat/logs", uat, false, s.getLogs)
	add("POST /uat/state/save", uat, false, s.saveState)
	add("POST /uat/state/load", uat, false, s.loadState)
	add("POST /uat/reset", uat, false, s.reset)

	mux.HandleFunc("GET /openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(openAPIDocument)
	})
	notFoundEndpoint := &endpoint{s: s, h: func(c *call) (any, *apiError) {
		return nil, notFound("接口不存在：%s %s（接口列表见 /openapi.json）", c.r.Method, c.r.URL.Path)
	}}
	mux.Handle("/", notFoundEndpoint)
	return mux
}
