package uatsim

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The test hooks under /uat are what a real UAT gives its testers: they set
// facts the business APIs cannot (history, clock, faults) and read everything back.

type firstTradeRequest struct {
	Date string `json:"date"`
}

func (s *Sim) setFirstTradeDate(c *call) (any, *apiError) {
	var req firstTradeRequest
	if e := c.decode(&req); e != nil {
		return nil, e
	}
	d, ok := parseDate(req.Date)
	if req.Date != "" && (!ok || d.After(s.clock.Now())) {
		return nil, badRequest("date（首次交易日期）应为不晚于今天的YYYYMMDD，或空字符串表示无交易记录")
	}
	return s.updateCustomer(c, func(cu *customer) (any, *apiError) {
		cu.FirstTradeDate = req.Date
		m, ok := s.experienceMonths(cu)
		return map[string]any{"customer_code": cu.Code, "first_trade_date": cu.FirstTradeDate, "experience": describeExperience(m, ok)}, nil
	})
}

type assetHistoryRequest struct {
	Daily   []money `json:"daily,omitempty"`
	Average *money  `json:"average,omitempty"`
}

func (s *Sim) setAssetHistory(c *call) (any, *apiError) {
	var req assetHistoryRequest
	if e := c.decode(&req); e != nil {
		return nil, e
	}
	if (req.Average == nil) == (req.Daily == nil) {
		return nil, badRequest("须且只能提供 daily（最近各交易日资产，旧→新）或 average（20日日均资产）之一")
	}
	hist := req.Daily
	if req.Average != nil {
		hist = make([]money, 20)
		for i := range hist {
			hist[i] = *req.Average
		}
	}
	if len(hist) > 250 {
		return nil, badRequest("daily 最多250个交易日")
	}
	for i, v := range hist {
		if v < 0 {
			return nil, badRequest("daily[%d] 不能为负数", i)
		}
	}
	return s.updateCustomer(c, func(cu *customer) (any, *apiError) {
		cu.AssetHistory = hist
		return map[string]any{"customer_code": cu.Code, "days": len(hist), "average_20d": averageAssets(hist)}, nil
	})
}

func (s *Sim) addPosition(c *call) (any, *apiError) {
	var req position
	if e := c.decode(&req); e != nil {
		return nil, e
	}
	if _, ok := marketTypes[req.Market]; !ok {
		return nil, badRequest("market 应为 SH 或 SZ")
	}
	if len(req.SecurityCode) != 6 || !allDigits(req.SecurityCode) {
		return nil, badRequest("security_code（证券代码）应为6位数字")
	}
	if req.Quantity <= 0 || req.Price <= 0 {
		return nil, badRequest("quantity（数量）与 price（价格）必须大于0")
	}
	req.MarketValue = money(req.Quantity) * req.Price
	return s.updateCustomer(c, func(cu *customer) (any, *apiError) {
		cu.Positions = append(cu.Positions, req)
		return map[string]any{"customer_code": cu.Code, "positions": cu.Positions}, nil
	})
}

type proceedsRequest struct {
	Amount    money  `json:"amount"`
	TradeDate string `json:"trade_date,omitempty"`
}

func (s *Sim) addSaleProceeds(c *call) (any, *apiError) {
	var req proceedsRequest
	if e := c.decode(&req); e != nil {
		return nil, e
	}
	if req.Amount <= 0 {
		return nil, badRequest("amount（卖出资金）必须大于0")
	}
	today := dateOnly(s.clock.Now())
	if req.TradeDate == "" {
		req.TradeDate = today.Format(dateLayout)
	}
	if d, ok := parseDate(req.TradeDate); !ok || d.After(today) {
		return nil, badRequest("trade_date（成交日期）应为不晚于今天的YYYYMMDD")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	acct, ok := s.st.CapitalAccounts[c.r.PathValue("account")]
	if !ok {
		return nil, notFound("资金账户不存在：%s", c.r.PathValue("account"))
	}
	acct.Unsettled = append(acct.Unsettled, proceeds{Amount: req.Amount, TradeDate: req.TradeDate})
	return s.balanceLocked(acct), nil
}

// --- clock ---

type clockRequest struct {
	Now             *string `json:"now"`    // RFC 3339; "" = real time
	Frozen          *bool   `json:"frozen"` // stand still at now; absent = unchanged
	TransferHours   *string `json:"transfer_hours,omitempty"`
	ClearingWindow  *string `json:"clearing_window,omitempty"`
	BankMaintenance *string `json:"bank_maintenance,omitempty"`
}

func (s *Sim) clockView() map[string]any {
	now := s.clock.Now()
	transfer, clearing, maint := s.clock.windows()
	in, _ := s.clock.inClearing(now)
	s.clock.mu.RLock()
	frozen := s.clock.frozen
	s.clock.mu.RUnlock()
	return map[string]any{"now": now.Format(time.RFC3339), "frozen": frozen, "trading_day": isTradingDay(now),
		"transfer_hours": transfer.String(), "in_transfer_hours": isTradingDay(now) && transfer.contains(now),
		"clearing_window": clearing.String(), "in_clearing": in,
		"bank_maintenance": maint.String(), "in_bank_maintenance": maint.contains(now)}
}

func (s *Sim) getClock(c *call) (any, *apiError) { return s.clockView(), nil }

func (s *Sim) setClock(c *call) (any, *apiError) {
	var req clockRequest
	if e := c.decode(&req); e != nil {
		return nil, e
	}
	windows := []struct {
		in  *string
		out *Window
	}{{req.TransferHours, &s.clock.transfer}, {req.ClearingWindow, &s.clock.clearing}, {req.BankMaintenance, &s.clock.maintenance}}
	parsed := make([]Window, len(windows))
	for i, w := range windows {
		if w.in == nil {
			continue
		}
		pw, err := ParseWindow(*w.in)
		if err != nil {
			return nil, badRequest("%v", err)
		}
		parsed[i] = pw
	}
	at := s.clock.Now()
	if req.Now != nil {
		at = time.Time{} // "" means back to real time
		if *req.Now != "" {
			t, err := time.Parse(time.RFC3339, *req.Now)
			if err != nil {
				return nil, badRequest("now 应为RFC 3339时间，如 2026-11-20T10:00:00+08:00")
			}
			at = t
		}
	}
	s.clock.mu.RLock()
	frozen := s.clock.frozen
	s.clock.mu.RUnlock()
	if req.Frozen != nil {
		frozen = *req.Frozen
	}
	s.clock.set(at, frozen)
	s.clock.mu.Lock()
	for i, w := range windows {
		if w.in != nil {
			*w.out = parsed[i]
		}
	}
	s.clock.mu.Unlock()
	return s.clockView(), nil
}

// --- faults ---

func (s *Sim) faultsView() map[string]any {
	now := s.now()
	s.faultsMu.RLock()
	defer s.faultsMu.RUnlock()
	out := map[string]any{}
	for _, svc := range Services() {
		f := s.faults[svc]
		on, mode, until := f.redeploying(now)
		v := map[string]any{"faults": f.cfg.wire(), "redeploying": on}
		if on {
			v["redeploy_mode"], v["redeploy_until"] = mode, until.Format(time.RFC3339Nano)
		}
		out[string(svc)] = v
	}
	return out
}

func (s *Sim) getFaults(c *call) (any, *apiError) { return s.faultsView(), nil }

func serviceOf(c *call) (Service, *apiError) {
	svc := Service(c.r.PathValue("service"))
	for _, known := range Services() {
		if svc == known {
			return svc, nil
		}
	}
	return "", notFound("服务不存在：%q（account、custody、trade）", svc)
}

func (s *Sim) setFaults(c *call) (any, *apiError) {
	svc, e := serviceOf(c)
	if e != nil {
		return nil, e
	}
	var req faultsJSON
	if e := c.decode(&req); e != nil {
		return nil, e
	}
	if err := s.SetFaults(svc, req.faults()); err != nil {
		return nil, badRequest("%v", err)
	}
	return s.faultsView(), nil
}

type redeployRequest struct {
	Seconds float64 `json:"seconds"`
	Mode    string  `json:"mode"`
}

func (s *Sim) startRedeploy(c *call) (any, *apiError) {
	svc, e := serviceOf(c)
	if e != nil {
		return nil, e
	}
	var req redeployRequest
	if e := c.decode(&req); e != nil {
		return nil, e
	}
	if err := s.Redeploy(svc, time.Duration(req.Seconds*float64(time.Second)), req.Mode); err != nil {
		return nil, badRequest("%v", err)
	}
	return s.faultsView(), nil
}

func (s *Sim) clearFaults(c *call) (any, *apiError) {
	for _, svc := range Services() {
		if err := s.SetFaults(svc, Faults{}); err != nil {
			return nil, badRequest("%v", err)
		}
	}
	return s.faultsView(), nil
}

// SetFaults replaces the faults of one service and ends any one-shot redeploy.
func (s *Sim) SetFaults(svc Service, f Faults) error {
	if err := f.validate(); err != nil {
		return fmt.Errorf("set faults of %s: %w", svc, err)
	}
	s.faultsMu.Lock()
	defer s.faultsMu.Unlock()
	fs, ok := s.faults[svc]
	if !ok {
		return fmt.Errorf("set faults: unknown service %q", svc)
	}
	fs.cfg, fs.epoch, fs.until = f, s.now(), time.Time{}
	return nil
}

// Redeploy opens a redeploy window on one service for d, in mode "503",
// "reset" or "refused" ("" = "503").
func (s *Sim) Redeploy(svc Service, d time.Duration, mode string) error {
	if d <= 0 || d > time.Hour {
		return errors.New("redeploy: seconds must be between 0 and 3600")
	}
	switch mode {
	case "":
		mode = Redeploy503
	case Redeploy503, RedeployReset, RedeployRefused:
	default:
		return fmt.Errorf("redeploy: mode %q: want 503, reset or refused", mode)
	}
	s.faultsMu.Lock()
	defer s.faultsMu.Unlock()
	fs, ok := s.faults[svc]
	if !ok {
		return fmt.Errorf("redeploy: unknown service %q", svc)
	}
	fs.until, fs.untilMode = s.now().Add(d), mode
	return nil
}

// --- logs, snapshot, state ---

func (s *Sim) getLogs(c *call) (any, *apiError) {
	q := c.r.URL.Query()
	rid, path := q.Get("request_id"), q.Get("path")
	limit := 100
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 || n > 10000 {
			return nil, badRequest("limit 应为1至10000的整数")
		}
		limit = n
	}
	calls := s.logs.find(func(r *callRecord) bool {
		return (rid == "" || r.RequestID == rid) && (path == "" || strings.Contains(r.Path, path))
	}, limit)
	return map[string]any{"calls": calls, "count": len(calls)}, nil
}

func (s *Sim) getSnapshot(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	code := c.r.PathValue("code")
	if code == "" {
		id := strings.ToUpper(c.r.URL.Query().Get("id_number"))
		var ok bool
		if code, ok = s.st.CustomerByID[id]; !ok {
			// No open customer: the latest closed one, if any.
			all := s.customersWithIDLocked(id)
			if len(all) == 0 {
				return nil, notFound("证件号无对应客户：%q", id)
			}
			code = all[len(all)-1].Code
		}
	}
	cu, e := s.customerLocked(code)
	if e != nil {
		return nil, e
	}
	return s.snapshotLocked(cu), nil
}

// listCustomers lists every customer, in code order, so a test can check
// that replays made no duplicates.
func (s *Sim) listCustomers(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	list := make([]map[string]string, 0, len(s.st.Customers))
	for _, cu := range s.st.Customers {
		list = append(list, map[string]string{"customer_code": cu.Code, "name": cu.Name, "id_number": cu.IDNumber, "status": cu.Status})
	}
	sort.Slice(list, func(i, j int) bool { return list[i]["customer_code"] < list[j]["customer_code"] })
	return map[string]any{"count": len(list), "customers": list}, nil
}

type pathRequest struct {
	Path string `json:"path"`
}

func (s *Sim) saveState(c *call) (any, *apiError) {
	var req pathRequest
	if e := c.decode(&req); e != nil {
		return nil, e
	}
	if req.Path == "" {
		req.Path = s.opts.StateFile
	}
	if req.Path == "" {
		return nil, badRequest("缺少 path（状态文件路径），且未配置 --state-file")
	}
	if err := s.Save(req.Path); err != nil {
		return nil, fail(http.StatusInternalServerError, codeSystemError, "保存状态失败：%v", err)
	}
	return map[string]any{"path": req.Path}, nil
}

func (s *Sim) loadState(c *call) (any, *apiError) {
	var req pathRequest
	if e := c.decode(&req); e != nil {
		return nil, e
	}
	if req.Path == "" {
		return nil, badRequest("缺少 path（状态文件路径）")
	}
	if err := s.Load(req.Path); err != nil {
		return nil, fail(http.StatusInternalServerError, codeSystemError, "加载状态失败：%v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return map[string]any{"path": req.Path, "customers": len(s.st.Customers)}, nil
}

func (s *Sim) reset(c *call) (any, *apiError) {
	s.Reset()
	return map[string]any{"reset": true}, nil
}

func (s *Sim) health(c *call) (any, *apiError) {
	return map[string]any{"status": "UP", "now": s.clock.Now().Format(time.RFC3339)}, nil
}
