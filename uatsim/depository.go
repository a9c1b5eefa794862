package uatsim

import (
	"fmt"
	"time"
)

var csdcStatusNames = map[string]string{csdcNotSent: "未发送", csdcSent: "已发送", csdcSucceeded: "成功", csdcFailed: "失败"}

// Markets and their A-share shareholder account types.
var marketTypes = map[string]string{"SH": "11", "SZ": "21"}

// maxAccountsPerMarket is the depository's limit of one account type per market.
const maxAccountsPerMarket = 3

// newRequestLocked files a depository request that answers after the configured
// delay (plus the slow-depository fault); s.mu must be held.
func (s *Sim) newRequestLocked(kind string, cu *customer, market string) *csdcRequest {
	now := s.now()
	f := s.faultsOf(ServiceAccount)
	delay := s.depositoryDelay()
	req := &csdcRequest{
		Serial:       fmt.Sprintf("%s%06d", s.clock.Now().Format(dateLayout), s.st.next("csdc")),
		Kind:         kind,
		CustomerCode: cu.Code,
		Market:       market,
		Status:       csdcNotSent,
		Message:      "待发送",
		CreatedAt:    s.clock.Now(),
		SendAt:       now.Add(delay / 5),
		DueAt:        now.Add(delay + f.SlowDepository),
	}
	switch {
	case cu.IDNumber[14:17] == "997":
		req.Fail = "中登返回失败：投资者身份信息与中国结算身份验证结果不一致"
	case f.DepositoryFailRate > 0 && s.random() < f.DepositoryFailRate:
		req.Fail = "中登返回失败：中国结算系统处理异常，请重新申报"
	}
	s.st.Requests[req.Serial] = req
	cu.Requests = append(cu.Requests, req.Serial)
	s.scheduleLocked(req)
	return req
}

// scheduleLocked arranges for req to be answered at its due time.
func (s *Sim) scheduleLocked(req *csdcRequest) {
	serial := req.Serial
	s.after("csdc:"+serial, max(0, req.DueAt.Sub(s.now())), func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.completeLocked(serial)
	})
}

// completeLocked is the depository's answer: it creates what was asked for, or fails.
func (s *Sim) completeLocked(serial string) {
	req := s.st.Requests[serial]
	if req == nil || req.Status == csdcSucceeded || req.Status == csdcFailed {
		return
	}
	cu := s.st.Customers[req.CustomerCode]
	if req.Fail != "" || cu == nil {
		req.Status, req.Message = csdcFailed, req.Fail
		if cu == nil {
			req.Message = "中登返回失败：客户不存在"
		}
		s.afterFailureLocked(req)
		return
	}
	req.Status, req.Message = csdcSucceeded, "成功"
	switch req.Kind {
	case "one_stop":
		num := "1800" + s.uniqueDigitsLocked(8, func(n string) bool { return s.oneStopTakenLocked("1800" + n) })
		cu.OneStopAccount = num
		req.Result = map[string]string{"one_stop_account": num}
	case "stock_account":
		acct := s.newStockAccountNumberLocked(req.Market)
		s.st.StockAccounts[acct] = &stockAccount{Account: acct, Market: req.Market, Type: marketTypes[req.Market],
			CustomerCode: cu.Code, Status: "0", OpenedAt: s.clock.Now()}
		cu.StockAccounts = append(cu.StockAccounts, acct)
		req.Result = map[string]string{"account": acct, "market": req.Market, "type": marketTypes[req.Market], "one_stop_account": cu.OneStopAccount}
	case "close_stock_account":
		if sa := s.st.StockAccounts[req.Account]; sa != nil {
			now := s.clock.Now()
			sa.Status, sa.ClosedAt = accountClosed, &now
		}
		req.Result = map[string]string{"account": req.Account, "market": req.Market, "status": accountClosed}
	case "chinext":
		for _, id := range cu.Agreements {
			if ag := s.st.Agreements[id]; ag.Serial == serial {
				ag.Status = agreementPending // filed; now effective by its date
				ag.Status = agreementStatusFor(ag, s.clock.Now())
				req.Result = map[string]string{"agreement_id": ag.ID}
			}
		}
	}
}

func (s *Sim) afterFailureLocked(req *csdcRequest) {
	if req.Kind != "chinext" {
		return
	}
	for _, ag := range s.st.Agreements {
		if ag.Serial == req.Serial {
			ag.Status = agreementFailed
		}
	}
}

func (s *Sim) oneStopTakenLocked(num string) bool {
	for _, c := range s.st.Customers {
		if c.OneStopAccount == num {
			return true
		}
	}
	return false
}

// newStockAccountNumberLocked gives an unused number: Shanghai A + 9 digits,
// Shenzhen 10 digits starting with 0.
func (s *Sim) newStockAccountNumberLocked(market string) string {
	prefix := "A"
	if market == "SZ" {
		prefix = "0"
	}
	return prefix + s.uniqueDigitsLocked(9, func(n string) bool { return s.st.StockAccounts[prefix+n] != nil })
}

func (s *Sim) uniqueDigitsLocked(n int, taken func(string) bool) string {
	for {
		d := s.randomDigits(n)
		if !taken(d) {
			return d
		}
	}
}

// requestView is a depository request as clients see it; status 0 turns 1
// once the request has been sent.
func (s *Sim) requestViewLocked(req *csdcRequest) map[string]any {
	status, msg := req.Status, req.Message
	if status == csdcNotSent && !s.now().Before(req.SendAt) {
		status, msg = csdcSent, "已发送，等待中登处理"
	}
	v := map[string]any{"serial": req.Serial, "kind": req.Kind, "customer_code": req.CustomerCode,
		"status": status, "status_name": csdcStatusNames[status], "message": msg,
		"created_at": req.CreatedAt.Format(time.RFC3339)}
	if req.Market != "" {
		v["market"] = req.Market
	}
	if req.Result != nil {
		v["result"] = req.Result
	}
	return v
}

func (s *Sim) getRequest(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	req, ok := s.st.Requests[c.r.PathValue("serial")]
	if !ok {
		return nil, notFound("中登请求流水号不存在：%s", c.r.PathValue("serial"))
	}
	return s.requestViewLocked(req), nil
}

// pendingLocked finds the customer's unanswered request of a kind (and market).
func (s *Sim) pendingLocked(cu *customer, kind, market string) *csdcRequest {
	for _, serial := range cu.Requests {
		r := s.st.Requests[serial]
		if r.Kind == kind && r.Market == market && (r.Status == csdcNotSent || r.Status == csdcSent) {
			return r
		}
	}
	return nil
}

type oneStopRequest struct {
	CustomerCode string `json:"customer_code"`
}

func (s *Sim) openOneStop(c *call) (any, *apiError) {
	var req oneStopRequest
	if e := c.decode(&req); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cu, e := s.openCustomerLocked(req.CustomerCode)
	if e != nil {
		return nil, e
	}
	if len(cu.CapitalAccounts) == 0 {
		return nil, rejected(codeCustomerState, "请先开立资金账户，再申请一码通账户")
	}
	if cu.OneStopAccount != "" {
		return nil, conflict(codeOneStopExists, "该投资者已有一码通账户：%s（一人一码通）", cu.OneStopAccount)
	}
	if p := s.pendingLocked(cu, "one_stop", ""); p != nil {
		return nil, conflict(codeOneStopExists, "一码通开户申请正在中登处理中，流水号：%s", p.Serial)
	}
	return s.requestViewLocked(s.newRequestLocked("one_stop", cu, "")), nil
}

type stockAccountRequest struct {
	CustomerCode string `json:"customer_code"`
	Market       string `json:"market"`
	Type         string `json:"type,omitempty"`
}

func (s *Sim) openStockAccount(c *call) (any, *apiError) {
	var req stockAccountRequest
	if e := c.decode(&req); e != nil {
		return nil, e
	}
	typ, ok := marketTypes[req.Market]
	if !ok {
		return nil, badRequest("market（市场）应为 SH（上海）或 SZ（深圳），收到 %q", req.Market)
	}
	if req.Type != "" && req.Type != typ {
		return nil, badRequest("账户类别 %s 与市场 %s 不符：%s 市场A股账户类别为 %s", req.Type, req.Market, req.Market, typ)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cu, e := s.openCustomerLocked(req.CustomerCode)
	if e != nil {
		return nil, e
	}
	if cu.OneStopAccount == "" {
		msg := "一码通账户尚未开立，不能申请股东账户"
		if p := s.pendingLocked(cu, "one_stop", ""); p != nil {
			msg += fmt.Sprintf("（一码通申请流水号 %s 仍在处理中）", p.Serial)
		}
		return nil, rejected(codeOneStopMissing, "%s", msg)
	}
	n := 0
	for _, a := range cu.StockAccounts {
		if sa := s.st.StockAccounts[a]; sa.Market == req.Market && sa.Status != accountClosed {
			n++
		}
	}
	for _, serial := range cu.Requests {
		if r := s.st.Requests[serial]; r.Kind == "stock_account" && r.Market == req.Market && (r.Status == csdcNotSent || r.Status == csdcSent) {
			n++
		}
	}
	if n >= maxAccountsPerMarket {
		return nil, rejected(codeStockAccountLimit, "同一市场同类账户已达上限：%s A股账户最多%d户，当前%d户（含处理中）", req.Market, maxAccountsPerMarket, n)
	}
	return s.requestViewLocked(s.newRequestLocked("stock_account", cu, req.Market)), nil
}
