package workflows

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"
)

// prepared is a request with every expression evaluated.
type prepared struct {
	service string
	method  string
	url     string
	query   url.Values
	headers [][2]string
	body    []byte
	form    map[string]string
	timeout time.Duration
}

// response is what expressions see of an answer.
type response struct {
	status  int
	headers map[string]string
	body    any
	text    string
}

// request runs a request step with its retry policy, recording every attempt.
func (r *run) request(ctx context.Context, f *frame, st *Step, sc *scope, path, iter string) (map[string]any, *Failure) {
	attempt := r.attempts[recordKey(path, iter)]
	policy := st.Retry
	if policy == nil {
		policy = &Retry{Attempts: 1}
	}
	for try := 1; ; try++ {
		attempt++
		rec, caps, fail := r.attempt(ctx, f, st, sc, path, iter, attempt)
		rec.EndedAt = r.e.now()
		if fail != nil {
			fail.Step, fail.Iteration, fail.RequestID = path, iter, rec.RequestID
		}
		rec.Captures = caps
		rec.Status, rec.Failure = r.outcome(ctx, fail)
		if err := r.record(ctx, rec); err != nil {
			return nil, platformFailure(path, err)
		}
		if fail == nil {
			return caps, nil
		}
		if ctx.Err() != nil || try >= policy.Attempts || !policy.retries(fail.Class) {
			return nil, fail
		}
		if !pause(ctx, f.stop, backoff(policy, try)) {
			return nil, fail
		}
	}
}

func backoff(p *Retry, try int) time.Duration {
	d := p.Backoff
	for i := 1; i < try && d < p.MaxBackoff; i++ {
		d *= 2
	}
	if p.MaxBackoff > 0 && d > p.MaxBackoff {
		d = p.MaxBackoff
	}
	return d
}

// pause waits d, or until ctx is done or stop is closed; it reports whether
// the wait completed, so that what comes after it may start.
func pause(ctx context.Context, stop <-chan struct{}, d time.Duration) bool {
	if ctx.Err() != nil || closed(stop) {
		return false
	}
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-stop:
		return false
	}
}

func (r *run) requestID(path, iter string, attempt int) string {
	step := path
	if iter != "" {
		step += "[" + iter + "]"
	}
	return r.spec.RunID + "-" + step + "-" + strconv.Itoa(attempt)
}

func (r *run) idempotencyKey(path, iter string) string {
	if iter == "" {
		iter = "0"
	}
	return r.spec.RunID + ":" + path + ":" + iter
}

func (r *run) traceparent() string {
	var span [8]byte
	_, _ = rand.Read(span[:])
	return "00-" + r.traceID + "-" + hex.EncodeToString(span[:]) + "-01"
}

// attempt sends one attempt of a request step (several requests when polling)
// and judges the answer.
func (r *run) attempt(ctx context.Context, f *frame, st *Step, sc *scope, path, iter string, attempt int) (StepRecord, map[string]any, *Failure) {
	rec := StepRecord{RunID: r.spec.RunID, Step: path, Iteration: iter, Attempt: attempt, StartedAt: r.e.now(), RequestID: r.requestID(path, iter, attempt)}
	r.emit(Event{Kind: EventStepStarted, Step: path, Iteration: iter, Attempt: attempt})
	req, fail := r.prepare(st, sc)
	if fail != nil {
		return rec, nil, fail
	}
	req.headers = append(req.headers,
		[2]string{"X-Request-Id", rec.RequestID},
		[2]string{"Traceparent", r.traceparent()},
		[2]string{"Idempotency-Key", r.idempotencyKey(path, iter)})
	pollStart := time.Now()
	for {
		resp, fail := r.send(ctx, f.stop, req, &rec)
		if st.Poll != nil {
			rec.Polls++
		}
		if fail != nil {
			return rec, nil, fail
		}
		rsc := *sc
		rsc.Status, rsc.Headers, rsc.Body = resp.status, resp.headers, resp.body
		caps, fail, pending := r.judge(f, st, &rsc, resp)
		if !pending {
			return rec, caps, fail
		}
		if time.Since(pollStart)+st.Poll.Every > st.Poll.Timeout {
			msg := textf("等待 %s 成立超时（%s）", "timed out after %s waiting for %s", st.Poll.Until.Source, st.Poll.Timeout, st.Poll.Timeout, st.Poll.Until.Source)
			if !st.Poll.Message.IsZero() {
				msg = Text{Zh: st.Poll.Message.In("zh") + "（" + msg.Zh + "）", En: st.Poll.Message.In("en") + " (" + msg.En + ")"}
			}
			return rec, nil, &Failure{Class: st.Poll.OnTimeout, Retryable: retryableClass(st.Poll.OnTimeout), Message: msg, Hint: defaultHint(st.Poll.OnTimeout), HTTPStatus: resp.status}
		}
		if !pause(ctx, f.stop, st.Poll.Every) {
			if ctx.Err() == nil {
				return rec, nil, stoppedFailure(path)
			}
			return rec, nil, cancelledFailure(path)
		}
	}
}

// prepare evaluates the request's expressions.
func (r *run) prepare(st *Step, sc *scope) (*prepared, *Failure) {
	rq := st.Request
	svc := r.spec.Environment.Services[rq.Service]
	p := &prepared{service: rq.Service, method: rq.Method, query: url.Values{}, timeout: r.e.requestTimeout}
	if svc.Timeout > 0 {
		p.timeout = svc.Timeout
	}
	if rq.Timeout > 0 {
		p.timeout = rq.Timeout
	}
	pathStr, err := rq.Path.evalString(sc)
	if err != nil {
		return nil, workflowFailure(err)
	}
	p.url = strings.TrimRight(svc.BaseURL, "/") + "/" + strings.TrimLeft(pathStr, "/")
	for _, q := range rq.Query {
		v, err := q.Value.eval(sc)
		if err != nil {
			return nil, workflowFailure(err)
		}
		if list, ok := v.([]any); ok {
			for _, e := range list {
				p.query.Add(q.Name, stringify(e))
			}
		} else if v != nil {
			p.query.Add(q.Name, stringify(v))
		}
	}
	names := make([]string, 0, len(svc.Headers))
	for k := range svc.Headers {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		p.headers = append(p.headers, [2]string{k, svc.Headers[k]})
	}
	for _, h := range rq.Headers {
		v, err := h.Value.evalString(sc)
		if err != nil {
			return nil, workflowFailure(err)
		}
		p.headers = append(p.headers, [2]string{h.Name, v})
	}
	switch {
	case rq.JSON != nil:
		v, err := rq.JSON.eval(sc)
		if err != nil {
			return nil, workflowFailure(err)
		}
		if p.body, err = json.Marshal(jsonValue(v)); err != nil {
			return nil, workflowFailure(fmt.Errorf("encode JSON body: %w", err))
		}
		p.headers = append(p.headers, [2]string{"Content-Type", "application/json"})
	case rq.Body != nil:
		v, err := rq.Body.evalString(sc)
		if err != nil {
			return nil, workflowFailure(err)
		}
		p.body = []byte(v)
	case rq.Form != nil:
		p.form = map[string]string{}
		for _, fd := range rq.Form {
			v, err := fd.Value.evalString(sc)
			if err != nil {
				return nil, workflowFailure(err)
			}
			p.form[fd.Name] = v
		}
	}
	return p, nil
}

// client returns the run's client for a service: one per run so that
// cookies of one run's session never leak into another's.
func (r *run) client(name string) (*resty.Client, error) {
	r.clientMu.Lock()
	defer r.clientMu.Unlock()
	if c, ok := r.clients[name]; ok {
		return c, nil
	}
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, fmt.Errorf("service %s: cookie jar: %w", name, err)
	}
	hc := &http.Client{Transport: r.e.http.Transport, Timeout: r.e.http.Timeout, Jar: jar}
	if tlsOpts := r.spec.Environment.Services[name].TLS; tlsOpts != nil {
		base, ok := r.e.http.Transport.(*http.Transport)
		if !ok {
			base = http.DefaultTransport.(*http.Transport)
		}
		t, err := tlsOpts.transport(base)
		if err != nil {
			return nil, fmt.Errorf("service %s: %w", name, err)
		}
		hc.Transport = t
		r.closers = append(r.closers, t.CloseIdleConnections)
	}
	c := resty.NewWithClient(hc)
	r.clients[name] = c
	return c, nil
}

// send makes one HTTP call and writes it into rec. A call still waiting for
// its turn (WithMaxParallel) when stop is closed is not sent; one sent is
// never cut by stop, only by ctx.
func (r *run) send(ctx context.Context, stop <-chan struct{}, p *prepared, rec *StepRecord) (*response, *Failure) {
	c, err := r.client(p.service)
	if err != nil {
		return nil, platformFailure(rec.Step, err)
	}
	rec.Request = r.dumpRequest(p)
	if closed(stop) {
		return nil, stoppedFailure(rec.Step)
	}
	select {
	case r.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, cancelledFailure(rec.Step)
	case <-stop:
		return nil, stoppedFailure(rec.Step)
	}
	tctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	req := c.R().SetContext(tctx)
	for _, h := range p.headers {
		req.SetHeader(h[0], h[1])
	}
	if len(p.query) > 0 {
		req.SetQueryParamsFromValues(p.query)
	}
	if p.body != nil {
		req.SetBody(p.body)
	}
	if p.form != nil {
		req.SetFormData(p.form)
	}
	resp, err := req.Execute(p.method, p.url)
	<-r.sem
	if err != nil {
		if ctx.Err() != nil {
			return nil, cancelledFailure(rec.Step)
		}
		msg := textf("连接服务 %s 失败：%v", "cannot reach service %s: %v", p.service, err, p.service, err)
		if errors.Is(err, context.DeadlineExceeded) {
			msg = textf("服务 %s 在 %s 内没有应答", "service %s did not answer within %s", p.service, p.timeout, p.service, p.timeout)
		}
		rec.Response = err.Error()
		return nil, &Failure{Class: ClassEnvUnavailable, Retryable: true, Message: msg, Hint: defaultHint(ClassEnvUnavailable)}
	}
	out := &response{status: resp.StatusCode(), headers: map[string]string{}, text: string(resp.Body())}
	var dump strings.Builder
	fmt.Fprintf(&dump, "HTTP %d\n", out.status)
	keys := make([]string, 0, len(resp.Header()))
	for k := range resp.Header() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := resp.Header().Get(k)
		out.headers[strings.ToLower(k)] = v
		fmt.Fprintf(&dump, "%s: %s\n", k, r.mask.header(k, v))
	}
	dump.WriteString("\n")
	dump.WriteString(out.text)
	rec.Response = dump.String()
	rec.HTTPStatus = out.status
	out.body = parseBody(out.headers["content-type"], resp.Body())
	return out, nil
}

func parseBody(contentType string, raw []byte) any {
	trimmed := strings.TrimSpace(string(raw))
	if trimmed == "" {
		return nil
	}
	if strings.Contains(contentType, "json") || trimmed[0] == '{' || trimmed[0] == '[' {
		var v any
		if json.Unmarshal(raw, &v) == nil {
			return v
		}
	}
	return string(raw)
}

func (r *run) dumpRequest(p *prepared) string {
	var b strings.Builder
	u := p.url
	if len(p.query) > 0 {
		u += "?" + p.query.Encode()
	}
	fmt.Fprintf(&b, "%s %s\n", p.method, u)
	for _, h := range p.headers {
		fmt.Fprintf(&b, "%s: %s\n", h[0], r.mask.header(h[0], h[1]))
	}
	b.WriteString("\n")
	if p.body != nil {
		b.Write(p.body)
	}
	if p.form != nil {
		form := url.Values{}
		for k, v := range p.form {
			form.Set(k, v)
		}
		b.WriteString(form.Encode())
	}
	return b.String()
}
