// Package uatsim is a simulated securities back office — account system,
// third-party custody and trading agreements — that behaves like a broker's UAT:
// strict validation, state machines, asynchronous depository (CSDC) calls,
// business error codes with the product's own Chinese messages, and outages on
// demand. zaoshu builds against it on day one, and every test and benchmark uses
// it. It imports nothing of zaoshu.
//
// # Running
//
//	zaoshu sim --addr 127.0.0.1:9090            # alone (Main)
//	sim := uatsim.New(uatsim.Options{})          # embedded: sim.Handler() or sim.Serve(ctx, ln)
//
// The zero Options give a real-time Beijing clock, a realistic 1–3 s depository,
// 30-minute operator tokens and no faults. Main's flags: --addr, --state-file,
// --depository-delay, --depository-jitter, --depository-slow,
// --depository-fail-rate, --token-ttl, --seed, --clock, --clock-frozen,
// --clearing-window, --transfer-hours, --bank-maintenance, --quiet, and per
// service (account, custody, trade): --<svc>-latency, --<svc>-jitter,
// --<svc>-error-rate, --<svc>-lost-rate, --<svc>-clearing,
// --<svc>-redeploy-every, --<svc>-redeploy-for, --<svc>-redeploy-mode.
//
// # Operators
//
// POST /account/operator/login accepts operator uat001 (UATOperator) with
// password Uat@2026 (UATPassword); uat002 and uat003 use the same password. It
// answers a token valid for Options.TokenTTL; a second login while the token is
// valid answers code 0 with the product's "用户已登陆，不用重复登陆" and the same
// token. Every /account, /custody and /trade call except login and the health
// checks needs "Authorization: Bearer <token>".
//
// # Answers and headers
//
// Every answer is {"code":"0","message":"成功","data":{...},"request_id":"..."}:
// a string business code (table below) and the product's message beside the
// HTTP status. Money is a string with two decimals ("100000.00"); requests may
// send a string or a number with at most two decimals. Dates are YYYYMMDD.
// Request bodies are strict: unknown fields and wrong types are refused (1001).
//
//   - X-Request-Id: echoed, logged with every call (Options.Logger) and queryable
//     at GET /uat/logs?request_id=…; one is made up when absent.
//   - Idempotency-Key: on every POST/PUT. The same key with the same request
//     answers the first successful answer again (header Idempotent-Replayed: true)
//     and makes no second record; the same key with another request is 1409.
//     Refusals are not remembered: a retry after an error runs again.
//   - Retry-After: on 503 answers (redeploy, clearing, transfer hours, bank maintenance).
//
// # Endpoints
//
// The OpenAPI 3.1 document is served at GET /openapi.json. Account (/account):
//
//	GET  /account/health
//	POST /account/operator/login                          {operator, password}
//	GET  /account/customers?id_number=                    look up customers by ID number
//	GET  /account/customers/{code}
//	POST /account/identity/police-check                   {id_number, name} → 一致 / 不一致 / 库中无此号
//	POST /account/identity/photo-compare                  {id_number, name, photo(base64)}
//	POST /account/customers                               {name, id_type, id_number, id_expiry, mobile, channel, income_proof, annual_income}
//	PUT  /account/customers/{code}/contact                {mobile, email, address, postcode}
//	PUT  /account/customers/{code}/tax-residency          {type 1|2|3, countries[{country, tin, no_tin_reason}]}
//	PUT  /account/customers/{code}/beneficial-owner       {is_self, name, id_number}
//	GET  /account/risk-questionnaire
//	POST /account/customers/{code}/risk-assessment        {answers: {"1":"A", …, "10":"E"}}
//	POST /account/customers/{code}/suitability            {investor_type 0|1, confirmed}
//	POST /account/capital-accounts                        {customer_code, currency CNY}
//	POST /account/csdc/one-stop-accounts                  {customer_code} → depository serial
//	POST /account/stock-accounts                          {customer_code, market SH|SZ} → depository serial
//	GET  /account/csdc/requests/{serial}                  status 0 未发送, 1 已发送, 2 成功, 3 失败
//	POST /account/stock-accounts/{account}/designated-trading  {trading_unit (5 digits)}
//	PUT  /account/customers/{code}/trading-password       {password, old_password}
//	PUT  /account/customers/{code}/funds-password         {password, old_password}
//	POST /account/customers/{code}/witness                {mode 2|3, witnesses[]}
//	POST /account/customers/{code}/return-visit           {method, result 1|2, note}
//	POST /account/customers/{code}/activate
//	GET  /account/stock-accounts?customer_code=          shareholder accounts, closed ones included
//	POST /account/stock-accounts/{account}/designated-trading/cancel   撤销指定交易
//	POST /account/stock-accounts/{account}/close          → depository serial (注销股东账户)
//	POST /account/capital-accounts/{account}/close        注销资金账户
//	POST /account/customers/{code}/close                  销户 (status 9)
//
// Custody (/custody):
//
//	GET  /custody/health
//	GET  /custody/banks
//	POST /custody/agreements                 main custody {capital_account, bank_code, bank_card, currency, mode 1 one-step | 2 pre-designation}
//	GET  /custody/agreements?customer_code=|capital_account=
//	POST /custody/auxiliary-accounts         multi-bank {customer_code, bank_code, bank_card, currency}
//	POST /custody/transfers                  {capital_account, direction in|out, amount, funds_password}
//	GET  /custody/balances?capital_account=  available (可用) and withdrawable (可取)
//	POST /custody/agreements/{id}/cancel     撤销三方存管 (main custody)
//	POST /custody/auxiliary-accounts/{account}/cancel  撤销辅助资金账户 (custody and the auxiliary account)
//
// Trade (/trade):
//
//	GET  /trade/health
//	GET  /trade/catalogue
//	GET  /trade/eligibility?customer_code=&type=[&knowledge_score=&simulated_trading=&futures_experience=]
//	POST /trade/agreements                   {customer_code, type, disclosure_confirmed, knowledge_score, simulated_trading, futures_experience}
//	GET  /trade/agreements?customer_code=
//	GET  /trade/csdc/requests/{serial}
//	POST /trade/agreements/{id}/cancel       终止协议 (status 9)
//
// Test hooks (/uat; no token, no faults; writes refuse a closed customer, 2070):
//
//	GET    /uat/health
//	PUT    /uat/customers/{code}/first-trade-date       {date} ("" = no trade record)
//	PUT    /uat/customers/{code}/asset-history          {daily: [oldest … newest]} or {average}
//	POST   /uat/customers/{code}/positions              {market, security_code, security_name, quantity, price}
//	POST   /uat/capital-accounts/{account}/sale-proceeds {amount, trade_date} (available now, withdrawable next trading day)
//	POST   /uat/customers/{code}/sell-out               sell every position at its price and settle every sale proceeds now (withdrawable at once)
//	GET    /uat/customers/{code}/snapshot               everything about a customer
//	GET    /uat/snapshot?id_number=
//	GET    /uat/customers                            every customer (code, name, ID, status): check for duplicates
//	GET    /uat/clock
//	PUT    /uat/clock                                   {now (RFC 3339, "" = real time), frozen, transfer_hours, clearing_window, bank_maintenance}
//	GET    /uat/faults
//	DELETE /uat/faults                                  clear all faults
//	PUT    /uat/faults/{service}                        {latency_ms, jitter_ms, error_rate, lost_response_rate, clearing, redeploy_every_s, redeploy_for_s, redeploy_mode, slow_depository_ms, depository_fail_rate}
//	POST   /uat/faults/{service}/redeploy               {seconds, mode 503|reset|refused}
//	GET    /uat/logs?request_id=&path=&limit=
//	POST   /uat/state/save                              {path}
//	POST   /uat/state/load                              {path}
//	POST   /uat/reset
//
// # A standard account
//
// login → look up by ID → police check → (photo compare) → create customer →
// contact → tax residency → beneficial owner → questionnaire → risk assessment →
// suitability → capital account → one-stop account (poll) → SH and SZ accounts
// (poll) → SH designated trading → custody → trading and funds passwords →
// witness → activate → return visit: about 25 calls plus polling, 35 with
// transfers and agreements. Activation refuses (2060) until contact, tax
// residency, beneficial owner, risk assessment, suitability, capital account,
// one-stop account, a shareholder account, both passwords and (for channels
// other than 0 counter) a witness record exist, naming what is missing.
//
// # Rules
//
//   - Resident ID (GB 11643-1999): 18 characters, a real province code, a valid
//     birth date not in the future, the check character; 15-digit IDs are refused.
//     Age on the simulated date: under 16 refused (2004); 16 and 17 need
//     income_proof (2005). Expiry: YYYYMMDD not before today, at most 20 years
//     ahead, or 30001231 (long-term) only from age 46 (2006). Mobile ^1[3-9]\d{9}$
//     outside the unassigned blocks 140–144, 154, 160, 161, 164, 194 (2007). One
//     customer per ID (2008). A police check answering 一致 for that ID and name
//     must come first (2009).
//
//   - Deterministic identity: the ID's sequence code (digits 15–17) decides —
//     999 → 库中无此号, 998 → 不一致, 997 → every depository request fails (status
//     3), 996 → photo similarity 0.42 (fails the 0.75 threshold); any other → 一致,
//     and a photo similarity of 0.80–0.99 from an FNV-1a hash of ID and name (which
//     also makes the check serial).
//
//   - Risk questionnaire: 10 questions, options A–E score 1, 3, 5, 7, 10; totals
//     10–20 C1, 21–36 C2, 37–53 C3, 54–81 C4, 82–100 C5, so all A…E give C1…C5.
//     Valid two years. A new assessment needs a new suitability confirmation.
//     Professional investor (investor_type 1): 20-day average assets ≥ 5,000,000
//     or annual income ≥ 500,000, and ≥ 24 months since the first trade date.
//
//   - Passwords: 6 digits; not one repeated digit nor an ascending or descending
//     run; not the birth date as YYMMDD nor the ID's last six characters. Changing
//     needs old_password. Three wrong funds passwords lock it (3013).
//
//   - Numbers: customer code = main capital account = 3101 + 8 digits; auxiliary
//     capital accounts append 01–04; one-stop 1800 + 8 digits; Shanghai A "A" + 9
//     digits (type 11); Shenzhen A "0" + 9 digits (type 21); at most 3 per market,
//     pending requests included (2042); one one-stop account per investor (2040).
//
//   - Depository: a request is status 0 for a fifth of its delay, then 1, then 2
//     (or 3 with the depository's message). Delay: Options.DepositoryDelay plus
//     jitter (default 1–3 s), plus the SlowDepository fault.
//
//   - Custody: banks are down during bank maintenance (default 00:00–06:00, 3007).
//     One-step signing is in force at once; pre-designation (mode 2) waits for the
//     bank's confirmation (status 1 → 0 after the depository delay); banks 7100 and
//     8500 only offer pre-designation. Auxiliary accounts (一户多银): up to 4, one
//     per bank, after main custody is in force. Transfers only on trading days
//     (Monday–Friday; no holiday calendar) within transfer hours (default
//     09:00–16:00, 3010). Money transferred in is available and withdrawable;
//     sale proceeds are available at once and withdrawable from the next trading day.
//
//   - Agreements: the customer must be activated (4008), confirm the risk
//     disclosure (4009) and not have signed already (4007). "Assets" is the
//     average of the last 20 days of /uat asset history (missing days count as 0),
//     compared exactly in fen; experience is whole months since the first trade date.
//
//     type            assets     months  risk  other
//     chinext         100,000    24      C4    SZ account; filed at the depository (status 2), T+2
//     star            500,000    24      C4    knowledge test ≥ 80; designated SH account
//     bse             500,000    24      C4    SZ account
//     hk_connect_sh   500,000    —       C4    knowledge test; designated SH account; T+2
//     hk_connect_sz   500,000    —       C4    knowledge test; SZ account; T+2
//     margin          500,000    6       C4    opens credit account 9 + customer code[1:]
//     options         500,000    6       C4    knowledge test; margin signed or futures_experience; simulated_trading; designated SH
//     delisting       500,000    24      C4
//     risk_warning    —          —       —     disclosure only
//     bond_qualified  —          —       —     professional investor (suitability investor_type 1)
//
// # Closing an account
//
// The opening, backwards; each system refuses while something it guards
// remains. Trading agreements are cancelled (status 9; not while ChiNext is
// still being filed, 4013). Money leaves by a transfer out; positions are sold
// first (the sell-out hook settles everything at once). Auxiliary accounts are
// cancelled (custody and account both status 9), then main custody (撤销三方存管),
// refused while sale proceeds are unsettled (3015), the balance is not zero
// (3014, even 0.01) or an auxiliary account is open (3016). Designated trading
// is cancelled (not with Shanghai positions, 2072); each shareholder account is
// closed by a depository request like opening (status 0/1/2/3; refused while
// designated, 2071, or holding positions in its market). The capital account
// closes once custody is cancelled (2074), the balance is zero (2073) and no
// position remains (2072). Last the customer (销户, status 9), refused while
// any account or depository request is open (2075, data.open) or an agreement
// is in force (2076). A closed customer and its
// accounts stay readable (status 9, closed_at), and its ID number may open a
// new customer: GET /account/customers?id_number= then lists both.
//
// # Faults
//
// Per service, from Options.Faults, the flags or PUT /uat/faults/{service}:
// latency plus uniform jitter; error_rate (500/9999 before anything happens);
// lost_response_rate (the call takes effect, the client gets 504/9504 — the
// "already exists on replay" case); clearing (writes answer 503/1814 "系统正在清算中，
// 请稍后重试", queries still work); redeploy windows, recurring (every/for) or one-off
// (POST …/redeploy), answering 503/9503 with Retry-After, dropping the connection
// (reset) or, under Serve, closing the port so clients get connection refused
// (refused; with Handler alone it falls back to reset); and for the account
// service the slow depository (requests stay at status 1 for the extra time,
// e.g. 45 s past a client's 30 s) and a depository failure rate. The clock's
// clearing window (on trading days) answers 1814 for writes on every service.
//
// # State
//
// State lives in memory behind one mutex and is safe under concurrent builds.
// Options.StateFile (or --state-file) is loaded by New and written by Close;
// Save, Load and Reset do it on demand, and pending depository requests are
// scheduled again after a load.
//
// # Business codes
//
//	code  HTTP  meaning (message in the product's words)
//	0     200   成功 (a second login: 用户已登陆，不用重复登陆)
//	1001  400   参数错误：… (missing, malformed, unknown or mistyped field)
//	1002  401   未登录 / 令牌无效 / 会话已过期，请重新登录
//	1003  401   操作员或密码错误
//	1004  404   客户代码不存在 / 资金账户不存在 / 股东账户不存在 / 协议不存在 / 中登请求流水号不存在 / 接口不存在
//	1409  422   Idempotency-Key 已用于另一个请求
//	1814  503   系统正在清算中，请稍后重试
//	2001  400   身份证号码格式错误 / 地区码无效 / 暂不支持15位旧版身份证号
//	2002  400   身份证号校验位错误：最后一位应为 X
//	2003  400   身份证号出生日期无效
//	2004  422   未满16周岁不能开户
//	2005  422   16至18周岁客户须提供收入证明
//	2006  400   证件有效期格式错误或不合理; 422 证件已过期
//	2007  400   手机号码格式不正确
//	2008  409   系统不允许同一证件开多个客户代码
//	2009  422   未做公安联网核查 / 公安联网核查结果为“不一致”“库中无此号”，不能开户
//	2010  400   照片质量不合格
//	2011  409   客户已激活 / 密码已设置（修改须提供原密码）; 422 未确认适当性匹配
//	2020  400   风险测评答案无效 / 未答完
//	2021  422   尚未完成风险测评
//	2030  409   资金账户已存在
//	2040  409   该投资者已有一码通账户 / 一码通开户申请正在处理中
//	2041  422   一码通账户尚未开立，不能申请股东账户
//	2042  422   同一市场同类账户已达上限（3户）
//	2044  409   已指定交易; 422 仅上海A股账户需要办理指定交易
//	2050  400   密码必须为6位数字; 422 原密码错误
//	2051  400   密码过于简单
//	2052  400   密码不能与出生日期 / 证件号码后6位相同
//	2060  422   客户资料不完整，不能激活：缺少… (data.missing)
//	2070  409   客户已销户 / 资金账户已注销 / 股东账户已注销
//	2071  422   上海A股账户已指定交易，须先撤销指定交易
//	2072  422   仍有持仓，不能撤销指定交易 / 注销股东账户 / 注销资金账户
//	2073  422   资金余额不为零，不能注销资金账户
//	2074  422   资金账户仍签约三方存管，须先撤销三方存管
//	2075  422   客户尚有未注销的账户，不能销户 (data.open)
//	2076  422   客户尚有未终止的交易权限协议，不能销户
//	2077  409   股东账户的注销申请正在中登处理中
//	3001  400   存管银行代码不存在; 422 银行不支持该币种或签约方式
//	3002  400   银行卡号格式错误 / 校验失败
//	3003  409   该资金账户已签约三方存管
//	3004  422   尚未签约三方存管 / 预指定待银行端确认
//	3005  422   辅助资金账户数量已达上限（4个）
//	3006  409   该银行已绑定其他资金账户
//	3007  503   银行系统维护中
//	3010  503   当前为非交易时段，银证转账时间为交易日09:00-16:00
//	3011  422   可取资金不足：可取 … 元，申请转出 … 元
//	3012  422   资金密码错误，还可尝试N次 / 尚未设置资金密码
//	3013  422   资金密码已锁定
//	3014  422   资金余额不为零，不能撤销三方存管 / 撤销辅助资金账户
//	3015  422   有在途资金（未交收卖出资金），不能撤销
//	3016  422   尚有辅助资金账户未撤销 / 辅助资金账户的存管协议须撤销辅助资金账户
//	3017  409   三方存管已撤销 / 辅助资金账户已撤销
//	4001  400   协议类型不存在
//	4002  422   资产不足：…要求前20个交易日日均资产不低于…元，当前…元
//	4003  422   交易经验不足：…要求N个月及以上，当前M个月
//	4004  422   风险等级不匹配：创业板要求C4及以上，当前C3
//	4005  422   知识测评未通过
//	4006  422   未开立对应市场股东账户 / 上海A股账户未办理指定交易
//	4007  409   该协议已签署
//	4008  422   客户未激活
//	4009  422   须确认已阅读并签署风险揭示书
//	4010  422   须为专业投资者 / 不符合专业投资者条件
//	4011  422   股票期权前提条件不满足
//	4012  409   该协议已终止 / 未生效（中登报备失败）
//	4013  422   协议正在中登报备中，报备完成后方可终止
//	9503  503   系统升级中，服务暂不可用，请稍后再试 (redeploy)
//	9504  504   网关超时 (lost response: the call took effect)
//	9999  500   系统异常，请稍后重试
//
// # Performance
//
// The standard-account call mix over loopback HTTP, no injected latency, 1 ms
// depository, 8 parallel builders on the 2-core development machine (shared
// with other work):
//
//	go test -run '^$' -bench StandardAccount -benchtime 3s ./uatsim/
//	BenchmarkStandardAccount-2  1428  2743749 ns/op  25.88 calls/account   9434 calls/s
//	BenchmarkStandardAccount-2  1495  2271549 ns/op  25.95 calls/account  11423 calls/s
//
// (two runs; the target is ≥ 5,000 calls/s).
package uatsim
