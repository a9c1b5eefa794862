package uatsim

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// handler does one call and answers data, or a refusal.
type handler func(c *call) (any, *apiError)

// call is one request as a handler sees it.
type call struct {
	s        *Sim
	r        *http.Request
	body     []byte
	operator string // the logged-in operator, recorded on what they open
	message  string // success message; "" means 成功
}

// decode reads the JSON body strictly: unknown fields and wrong types are refused.
func (c *call) decode(v any) *apiError {
	if len(bytes.TrimSpace(c.body)) == 0 {
		return badRequest("请求体为空，应为JSON对象")
	}
	dec := json.NewDecoder(bytes.NewReader(c.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &typeErr):
			return badRequest("字段 %s 类型错误，应为%s", typeErr.Field, jsonKind(typeErr.Type.Kind().String()))
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return badRequest("未知字段 %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
		default:
			return badRequest("请求体不是有效的JSON：%v", err)
		}
	}
	if dec.More() {
		return badRequest("请求体只能包含一个JSON对象")
	}
	return nil
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "字符串"
	case "bool":
		return "布尔值"
	case "slice":
		return "数组"
	case "map", "struct":
		return "对象"
	default:
		return "数字"
	}
}

// envelope is every answer's shape.
type envelope struct {
	Code      string          `json:"code"`
	Message   string          `json:"message"`
	Data      json.RawMessage `json:"data,omitempty"`
	RequestID string          `json:"request_id"`
}

// result is an answer before it is written.
type result struct {
	status     int
	code       string
	message    string
	data       json.RawMessage
	retryAfter time.Duration
	drop       bool   // close the connection without answering
	fault      string // which injected fault answered, for the log
	replayed   bool
}

func (r result) ok() bool { return r.code == codeOK }

func errorResult(e *apiError) result {
	res := result{status: e.Status, code: e.Code, message: e.Message, retryAfter: e.RetryAfter}
	if e.Data != nil {
		res.data, _ = json.Marshal(e.Data)
	}
	return res
}

// endpoint is one route of one service with the pipeline around its handler:
// request id, faults, clearing, authentication, idempotency, call log.
type endpoint struct {
	s       *Sim
	service Service // "" for /uat hooks and documents: no faults, no token
	auth    bool
	h       handler
}

func (e *endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s := e.s
	start := time.Now()
	rid := r.Header.Get("X-Request-Id")
	if rid == "" {
		rid = fmt.Sprintf("sim-%d-%d", start.UnixMilli(), s.reqSeq.Add(1))
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var res result
	if err != nil {
		res = errorResult(badRequest("读取请求体失败：%v", err))
	} else {
		res = e.run(r, rid, body)
	}
	if res.drop {
		dropConnection(w)
	} else {
		writeResult(w, rid, res)
	}
	s.record(r, rid, body, res, time.Since(start))
}

func (e *endpoint) run(r *http.Request, rid string, body []byte) result {
	s := e.s
	if e.service != "" {
		if res, stop := s.injectBefore(r, e.service); stop {
			return res
		}
	}
	c := &call{s: s, r: r, body: body}
	if e.auth {
		op, aerr := s.authenticate(r)
		if aerr != nil {
			return errorResult(aerr)
		}
		c.operator = op
	}
	var res result
	if key := r.Header.Get("Idempotency-Key"); key != "" && r.Method != http.MethodGet {
		sum := sha256.Sum256(body)
		fp := r.Method + " " + r.URL.Path + " " + hex.EncodeToString(sum[:])
		res = s.idem.do(key, fp, func() result { return e.exec(c) })
	} else {
		res = e.exec(c)
	}
	if e.service != "" {
		if f := s.faultsOf(e.service); f.LostResponseRate > 0 && s.random() < f.LostResponseRate {
			return result{status: http.StatusGatewayTimeout, code: codeGatewayTimeout,
				message: "网关超时：后端处理时间过长，请求结果未知，请查询后再决定是否重试", fault: "lost_response"}
		}
	}
	return res
}

func (e *endpoint) exec(c *call) result {
	data, aerr := e.h(c)
	if aerr != nil {
		return errorResult(aerr)
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return errorResult(fail(http.StatusInternalServerError, codeSystemError, "系统异常：应答序列化失败：%v", err))
	}
	msg := c.message
	if msg == "" {
		msg = "成功"
	}
	return result{status: http.StatusOK, code: codeOK, message: msg, data: raw}
}

// injectBefore applies a service's faults that answer before the business
// logic runs: latency, redeploy, random errors and the clearing window.
func (s *Sim) injectBefore(r *http.Request, svc Service) (result, bool) {
	s.faultsMu.RLock()
	fs := s.faults[svc]
	f := fs.cfg
	redeploying, mode, until := fs.redeploying(s.now())
	s.faultsMu.RUnlock()
	if d := f.Latency + s.randomDuration(f.Jitter); d > 0 {
		if err := sleep(r.Context(), d); err != nil {
			return result{drop: true, fault: "client_gone"}, true
		}
	}
	if redeploying {
		if mode == Redeploy503 {
			return result{status: http.StatusServiceUnavailable, code: codeRedeploying,
				message: "系统升级中，服务暂不可用，请稍后再试", retryAfter: until.Sub(s.now()), fault: "redeploy"}, true
		}
		return result{drop: true, fault: "redeploy_" + mode}, true
	}
	if f.ErrorRate > 0 && s.random() < f.ErrorRate {
		return result{status: http.StatusInternalServerError, code: codeSystemError,
			message: "系统异常，请稍后重试", fault: "error_rate"}, true
	}
	if r.Method != http.MethodGet {
		now := s.clock.Now()
		in, end := s.clock.inClearing(now)
		if f.Clearing || in {
			res := result{status: http.StatusServiceUnavailable, code: codeClearing,
				message: "系统正在清算中，请稍后重试", fault: "clearing", retryAfter: time.Minute}
			if in {
				res.retryAfter = end.Sub(now)
			}
			return res, true
		}
	}
	return result{}, false
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// dropConnection closes the client's connection without an answer, like a
// backend pod going away mid-request.
func dropConnection(w http.ResponseWriter) {
	rc := http.NewResponseController(w)
	conn, _, err := rc.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}

func writeResult(w http.ResponseWriter, rid string, res result) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Request-Id", rid)
	if res.retryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(int((res.retryAfter+time.Second-1)/time.Second)))
	}
	if res.replayed {
		h.Set("Idempotent-Replayed", "true")
	}
	b, _ := json.Marshal(envelope{Code: res.code, Message: res.message, Data: res.data, RequestID: rid})
	w.WriteHeader(res.status)
	w.Write(b)
}

// authenticate checks the operator token (Authorization: Bearer …).
func (s *Sim) authenticate(r *http.Request) (string, *apiError) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || tok == "" {
		return "", fail(http.StatusUnauthorized, codeUnauthorized, "未登录：请先调用 POST /account/operator/login 获取令牌，并以 Authorization: Bearer <token> 传入")
	}
	s.sessMu.Lock()
	defer s.sessMu.Unlock()
	sess, ok := s.sessions[tok]
	if !ok {
		return "", fail(http.StatusUnauthorized, codeUnauthorized, "令牌无效，请重新登录")
	}
	if !s.now().Before(sess.Expires) {
		return "", fail(http.StatusUnauthorized, codeUnauthorized, "会话已过期（%s），请重新登录", sess.Expires.In(chinaTime).Format("2006-01-02 15:04:05"))
	}
	return sess.Operator, nil
}

// record logs a call to the logger and the queryable call log.
func (s *Sim) record(r *http.Request, rid string, body []byte, res result, d time.Duration) {
	rec := callRecord{
		Time: s.now(), RequestID: rid, Method: r.Method, Path: r.URL.RequestURI(),
		Status: res.status, Code: res.code, Message: res.message,
		DurationMS: float64(d.Microseconds()) / 1000, IdempotencyKey: r.Header.Get("Idempotency-Key"),
		Replayed: res.replayed, Fault: res.fault, Request: excerpt(r.URL.Path, body), Response: excerpt(r.URL.Path, res.data),
	}
	if res.drop {
		rec.Status = 0
	}
	s.logs.add(rec)
	level := slog.LevelInfo
	if res.drop || res.status >= 500 {
		level = slog.LevelWarn
	}
	s.log.LogAttrs(r.Context(), level, "uatsim call",
		slog.String("request_id", rid), slog.String("method", r.Method), slog.String("path", rec.Path),
		slog.Int("status", rec.Status), slog.String("code", res.code), slog.String("message", res.message),
		slog.Float64("ms", rec.DurationMS), slog.String("fault", res.fault))
}

// excerpt keeps the first KiB of a body for the call log; bodies that may hold
// passwords are masked.
func excerpt(path string, b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if strings.Contains(path, "password") || strings.Contains(path, "login") || strings.Contains(path, "transfers") {
		return "[masked]"
	}
	if len(b) > 1024 {
		return string(b[:1024]) + "…"
	}
	return string(b)
}
