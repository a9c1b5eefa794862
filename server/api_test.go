package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zaoshu/zaoshu/api/apitest"
	"github.com/zaoshu/zaoshu/jobs"
	"github.com/zaoshu/zaoshu/store"
	"github.com/zaoshu/zaoshu/store/storetest"
	"github.com/zaoshu/zaoshu/uatsim"
	"github.com/zaoshu/zaoshu/workflows/library"
)

// apiServer is the whole platform behind a real HTTP server: SQLite,
// embedded Redis, a worker, the simulator as uat-sim, the bundled library.
type apiServer struct {
	url    string
	store  *store.Store
	admin  string // the bootstrap admin's token
	client *http.Client
	check  *apitest.Validator
}

func newAPIServer(t *testing.T, rate int) *apiServer {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	st := storetest.Open(t, storetest.Databases(t)[0])
	rd, err := jobs.StartEmbeddedRedis()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rd.Close() })
	sim := uatsim.New(uatsim.Options{DepositoryDelay: 20 * time.Millisecond})
	simSrv := httptest.NewServer(sim.Handler())
	t.Cleanup(simSrv.Close)
	env, secrets := SimulatorEnvironment(simSrv.URL)
	if err := st.SaveEnvironment(ctx, env, secrets); err != nil {
		t.Fatal(err)
	}
	lib := jobs.NewLibrary(st)
	if _, err := lib.LoadFS(ctx, library.FS); err != nil {
		t.Fatal(err)
	}
	builds := jobs.NewBuilds(st, rd, "", lib, log, jobs.BuildOptions{})
	t.Cleanup(func() { _ = builds.Close() })
	w := jobs.NewWorker(rd, jobs.WorkerOptions{Concurrency: 4, ShutdownTimeout: time.Second, Logger: log})
	builds.Register(w)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Shutdown)
	q := jobs.NewClient(rd, "")
	t.Cleanup(func() { _ = q.Close() })
	first, err := st.Bootstrap(ctx)
	if err != nil {
		t.Fatal(err)
	}
	engine, err := newEngine(httpDeps{log: log, store: st, redis: rd, queue: q, builds: builds, library: lib, apiRate: rate})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(engine)
	t.Cleanup(srv.Close)
	v, err := apitest.NewValidator()
	if err != nil {
		t.Fatal(err)
	}
	return &apiServer{url: srv.URL, store: st, admin: first.Token, check: v,
		client: &http.Client{Transport: &apitest.Transport{Base: http.DefaultTransport, Validator: v, Report: t.Errorf}}}
}

type answer struct {
	status int
	header http.Header
	body   map[string]any
}

func (a answer) str(key string) string { return fmt.Sprint(a.body[key]) }

func (s *apiServer) call(t *testing.T, token, method, path string, body any, headers ...string) answer {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.url+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := s.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return answer{status: res.StatusCode, header: res.Header, body: m}
}

func TestAPIBuildsAnAccountInOneCall(t *testing.T) {
	s := newAPIServer(t, 0)
	a := s.call(t, s.admin, "POST", "/api/v1/runs?wait=2m", map[string]any{
		"workflow": "standard-account", "environment": "uat-sim", "ticket": "BUG-1234", "labels": []string{"ci"},
		"inputs": map[string]any{"name": "王小明"}})
	if a.status != http.StatusCreated || a.str("status") != "succeeded" {
		t.Fatalf("create with wait = %d %v", a.status, a.body)
	}
	outputs, _ := a.body["outputs"].(map[string]any)
	if outputs["name"] != "王小明" || !strings.HasPrefix(fmt.Sprint(outputs["sh_account"]), "A") || a.str("requested_by") != "admin" {
		t.Errorf("outputs = %v, requested_by %s", outputs, a.str("requested_by"))
	}
	steps, _ := a.body["steps"].([]any)
	if len(steps) < 20 {
		t.Errorf("%d steps reported", len(steps))
	}
	got := s.call(t, s.admin, "GET", "/api/v1/runs/"+a.str("id"), nil)
	if got.status != 200 || got.str("ticket") != "BUG-1234" {
		t.Errorf("get = %d %v", got.status, got.body)
	}
}

func TestAPIRefusesBadInputBeforeAnyCall(t *testing.T) {
	s := newAPIServer(t, 0)
	for lang, want := range map[string]string{"zh-CN": "校验位", "en": "check character"} {
		a := s.call(t, s.admin, "POST", "/api/v1/runs", map[string]any{"workflow": "standard-account", "environment": "uat-sim",
			"inputs": map[string]any{"id_number": "11010519880605002X"}}, "Accept-Language", lang)
		errs, _ := a.body["errors"].([]any)
		if a.status != http.StatusUnprocessableEntity || len(errs) != 1 || !strings.Contains(fmt.Sprint(errs[0]), want) || a.str("hint") == "" {
			t.Errorf("%s: %d %v", lang, a.status, a.body)
		}
	}
	if runs, _ := s.store.Runs(context.Background(), store.RunFilter{}); len(runs) != 0 {
		t.Errorf("%d runs recorded for refused requests", len(runs))
	}
	v := s.call(t, s.admin, "POST", "/api/v1/workflows/standard-account/validate", map[string]any{"inputs": map[string]any{"name": "张三"}})
	inputs, _ := v.body["inputs"].(map[string]any)
	if v.status != 200 || inputs["name"] != "张三" || len(fmt.Sprint(inputs["id_number"])) != 18 {
		t.Errorf("validate = %d %v", v.status, v.body)
	}
	for path, code := range map[string]int{"/api/v1/workflows/standard-acount": 404} {
		if a := s.call(t, s.admin, "GET", path, nil); a.status != code || !strings.Contains(a.str("detail"), "standard-account") {
			t.Errorf("%s = %d %v, want %d with a did-you-mean", path, a.status, a.body, code)
		}
	}
	for _, body := range []map[string]any{{"environment": "uat-sim"}, {"workflow": "standard-account", "environment": "uat-sim", "labels": []string{strings.Repeat("x", 65)}}} {
		if a := s.call(t, s.admin, "POST", "/api/v1/runs", body); a.status != http.StatusUnprocessableEntity {
			t.Errorf("%v = %d, want 422", body, a.status)
		}
	}
	if a := s.call(t, s.admin, "POST", "/api/v1/runs", map[string]any{"workflow": "standard-account", "environment": "prod"}); a.status != 404 || a.str("hint") == "" {
		t.Errorf("unknown environment = %d %v", a.status, a.body)
	}
}

func TestAPIIdempotencyKey(t *testing.T) {
	s := newAPIServer(t, 0)
	body := map[string]any{"workflow": "standard-account", "environment": "uat-sim"}
	var wg sync.WaitGroup
	ids := make([]string, 3)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids[i] = s.call(t, s.admin, "POST", "/api/v1/runs", body, "Idempotency-Key", "pipeline-77").str("id")
		}()
	}
	wg.Wait()
	if ids[0] == "" || ids[0] != ids[1] || ids[1] != ids[2] {
		t.Errorf("run ids = %v, want one run", ids)
	}
	if runs, _ := s.store.Runs(context.Background(), store.RunFilter{}); len(runs) != 1 {
		t.Errorf("%d runs recorded, want 1", len(runs))
	}
	other := s.call(t, s.admin, "POST", "/api/v1/runs", map[string]any{"workflow": "standard-account", "environment": "uat-sim", "ticket": "x"}, "Idempotency-Key", "pipeline-77")
	if other.status != http.StatusConflict {
		t.Errorf("same key, other request = %d %v", other.status, other.body)
	}
}

func TestAPIScopesAndTokens(t *testing.T) {
	s := newAPIServer(t, 0)
	if a := s.call(t, "", "GET", "/api/v1/workflows", nil); a.status != 401 || a.header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("no token = %d", a.status)
	}
	created := s.call(t, s.admin, "POST", "/api/v1/tokens", map[string]any{"name": "dashboard", "scopes": []string{"read"}})
	if created.status != 201 || !strings.HasPrefix(created.str("secret"), "zs_") {
		t.Fatalf("create token = %d %v", created.status, created.body)
	}
	ro := created.str("secret")
	if a := s.call(t, ro, "GET", "/api/v1/workflows", nil); a.status != 200 || len(a.body["workflows"].([]any)) < 6 {
		t.Errorf("read token lists workflows = %d", a.status)
	}
	if a := s.call(t, ro, "POST", "/api/v1/runs", map[string]any{"workflow": "standard-account", "environment": "uat-sim"}); a.status != 403 || !strings.Contains(a.str("hint"), "build") {
		t.Errorf("read token builds = %d %v", a.status, a.body)
	}
	if a := s.call(t, ro, "POST", "/api/v1/tokens", map[string]any{"name": "escalate", "scopes": []string{"admin"}}); a.status != 403 {
		t.Errorf("read token made an admin token: %d", a.status)
	}
	if a := s.call(t, ro, "GET", "/api/v1/environments", nil); a.status != 200 || strings.Contains(fmt.Sprint(a.body), uatsim.UATPassword) {
		t.Errorf("environments = %d %v (secret values must never show)", a.status, a.body)
	}
	id := fmt.Sprint(created.body["id"])
	if a := s.call(t, s.admin, "DELETE", "/api/v1/tokens/"+id, nil); a.status != 204 {
		t.Errorf("revoke = %d", a.status)
	}
	if a := s.call(t, ro, "GET", "/api/v1/workflows", nil); a.status != 401 {
		t.Errorf("revoked token = %d", a.status)
	}
}

func TestAPIRunLifecycle(t *testing.T) {
	s := newAPIServer(t, 0)
	a := s.call(t, s.admin, "POST", "/api/v1/runs", map[string]any{"workflow": "complex-account", "environment": "uat-sim",
		"inputs": map[string]any{"risk_level": "C3", "agreements": []string{"star"}}})
	if a.status != http.StatusAccepted || a.header.Get("Location") != "/api/v1/runs/"+a.str("id") {
		t.Fatalf("create = %d %v", a.status, a.body)
	}
	done := s.call(t, s.admin, "GET", "/api/v1/runs/"+a.str("id")+"?wait=2m", nil, "Accept-Language", "en")
	failure, _ := done.body["failure"].(map[string]any)
	if done.str("status") != "failed" || failure["class"] != "business_rejected" || failure["hint"] == nil || failure["request_id"] == nil {
		t.Fatalf("STAR with C3 = %v", done.body)
	}
	if c := s.call(t, s.admin, "POST", "/api/v1/runs/"+a.str("id")+"/cancel", nil); c.status != http.StatusConflict {
		t.Errorf("cancel a failed run = %d", c.status)
	}
	re := s.call(t, s.admin, "POST", "/api/v1/runs/"+a.str("id")+"/rerun", map[string]any{"inputs": map[string]any{"risk_level": "C4"}})
	if re.status != http.StatusAccepted || re.str("id") == a.str("id") {
		t.Fatalf("rerun = %d %v", re.status, re.body)
	}
	if ok := s.call(t, s.admin, "GET", "/api/v1/runs/"+re.str("id")+"?wait=2m", nil); ok.str("status") != "succeeded" {
		t.Errorf("rerun with C4 = %v", ok.body)
	}
	list := s.call(t, s.admin, "GET", "/api/v1/runs?workflow=complex-account&limit=1", nil)
	runs, _ := list.body["runs"].([]any)
	if len(runs) != 1 || list.str("next") == "" {
		t.Fatalf("list = %v", list.body)
	}
	page2 := s.call(t, s.admin, "GET", "/api/v1/runs?workflow=complex-account&limit=1&before="+list.str("next"), nil)
	if runs2, _ := page2.body["runs"].([]any); len(runs2) != 1 || runs2[0].(map[string]any)["id"] != a.str("id") {
		t.Errorf("page 2 = %v", page2.body)
	}
	for q, want := range map[string]int{"label=nope": 0, "user=admin": 2, "user=nobody": 0, "since=2000-01-01T00:00:00Z&workflow=complex-account": 2, "until=2000-01-01T00:00:00Z": 0} {
		l := s.call(t, s.admin, "GET", "/api/v1/runs?"+q, nil)
		if runs, _ := l.body["runs"].([]any); l.status != 200 || len(runs) != want {
			t.Errorf("runs?%s = %d runs, want %d", q, len(runs), want)
		}
	}
	if l := s.call(t, s.admin, "GET", "/api/v1/runs?since=yesterday", nil); l.status != 422 {
		t.Errorf("bad since = %d", l.status)
	}
	if r := s.call(t, s.admin, "POST", "/api/v1/runs/"+re.str("id")+"/retry", nil); r.status != http.StatusConflict {
		t.Errorf("retry a succeeded run = %d", r.status)
	}
	st := s.call(t, s.admin, "GET", "/api/v1/stats", nil)
	c, _ := st.body["counts"].(map[string]any)
	classes := fmt.Sprint(st.body["failure_classes"])
	if c["succeeded"] != float64(1) || c["failed"] != float64(1) || c["success_rate"] != 0.5 || !strings.Contains(classes, "business_rejected") {
		t.Errorf("stats = %v", st.body)
	}
}

func TestAPIBatch(t *testing.T) {
	s := newAPIServer(t, 0)
	if a := s.call(t, s.admin, "POST", "/api/v1/batches", map[string]any{"workflow": "standard-account", "environment": "uat-sim", "count": 1001}); a.status != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(a.body["errors"]), "count") {
		t.Errorf("batch of 1001 = %d %v, want 422 naming count", a.status, a.body)
	}
	a := s.call(t, s.admin, "POST", "/api/v1/batches", map[string]any{"workflow": "standard-account", "environment": "uat-sim", "count": 3})
	if a.status != http.StatusAccepted || len(a.body["runs"].([]any)) != 3 {
		t.Fatalf("batch = %d %v", a.status, a.body)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		p := s.call(t, s.admin, "GET", "/api/v1/batches/"+a.str("id"), nil)
		if p.body["done"] == true {
			if st, _ := p.body["by_status"].(map[string]any); st["succeeded"] != float64(3) {
				t.Errorf("batch = %v", p.body)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("batch not done: %v", p.body)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

func TestAPIRateLimit(t *testing.T) {
	s := newAPIServer(t, 2)
	limited := 0
	for range 10 {
		a := s.call(t, s.admin, "GET", "/api/v1/me", nil)
		if a.status == http.StatusTooManyRequests {
			limited++
			if a.header.Get("Retry-After") == "" || a.str("hint") == "" {
				t.Errorf("429 without Retry-After or hint: %v", a.body)
			}
		}
	}
	if limited == 0 {
		t.Error("10 requests at once with a limit of 2/s were all let through")
	}
}

func TestAPISpecAndDocsServed(t *testing.T) {
	s := newAPIServer(t, 0)
	res, err := http.Get(s.url + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	_ = json.NewDecoder(res.Body).Decode(&doc)
	res.Body.Close()
	if doc["openapi"] != "3.1.0" {
		t.Errorf("openapi.json = %v", doc["openapi"])
	}
	res, err = http.Get(s.url + "/api/docs")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(page), "redoc.standalone.js") {
		t.Errorf("docs page = %d", res.StatusCode)
	}
	res, err = http.Get(s.url + "/api/docs/redoc.standalone.js")
	if err != nil || res.StatusCode != 200 || res.ContentLength < 100000 {
		t.Errorf("viewer script = %v %v", res, err)
	}
}

func (s *apiServer) putYAML(t *testing.T, token, path, body string) answer {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPut, s.url+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/yaml")
	res, err := s.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(res.Body).Decode(&m)
	return answer{status: res.StatusCode, header: res.Header, body: m}
}

// An admin saves a workflow through the API: checked like zaoshu validate,
// offered at once, every revision kept and readable, and a run names the
// revision it used.
func TestAPISaveWorkflowAndRevisions(t *testing.T) {
	s := newAPIServer(t, 0)
	yaml := "name: login-only\ntitle: {zh: 只登录, en: Log in only}\nsteps:\n  - id: login\n    uses: account/login\n"
	bad := s.putYAML(t, s.admin, "/api/v1/workflows/login-only", strings.Replace(yaml, "account/login", "account/logn", 1))
	errs := fmt.Sprint(bad.body["errors"])
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(errs, "login-only.yaml:5:") {
		t.Fatalf("broken workflow = %d %v", bad.status, bad.body)
	}
	if a := s.putYAML(t, s.admin, "/api/v1/workflows/other-name", yaml); a.status != http.StatusUnprocessableEntity {
		t.Errorf("name mismatch = %d", a.status)
	}
	ok := s.putYAML(t, s.admin, "/api/v1/workflows/login-only", yaml)
	if ok.status != 200 || ok.str("revision") == "" {
		t.Fatalf("save = %d %v", ok.status, ok.body)
	}
	run := s.call(t, s.admin, "POST", "/api/v1/runs?wait=1m", map[string]any{"workflow": "login-only", "environment": "uat-sim"})
	if run.status != http.StatusCreated || run.str("status") != "succeeded" || run.str("revision") != ok.str("revision") {
		t.Fatalf("run of the saved workflow = %d %v", run.status, run.body)
	}
	revs := s.call(t, s.admin, "GET", "/api/v1/workflows/login-only/revisions", nil)
	if list, _ := revs.body["revisions"].([]any); len(list) != 1 {
		t.Errorf("revisions = %v", revs.body)
	}
	rev := s.call(t, s.admin, "GET", "/api/v1/workflows/login-only/revisions/"+ok.str("revision"), nil)
	sources, _ := rev.body["sources"].(map[string]any)
	if rev.status != 200 || sources["login-only.yaml"] != yaml || sources["account/login.yaml"] == nil {
		t.Errorf("revision text = %d %v", rev.status, rev.body)
	}
	created := s.call(t, s.admin, "POST", "/api/v1/tokens", map[string]any{"name": "builder", "scopes": []string{"read", "build"}})
	if a := s.putYAML(t, created.str("secret"), "/api/v1/workflows/login-only", yaml); a.status != http.StatusForbidden {
		t.Errorf("save with a build token = %d, want 403", a.status)
	}
}

func TestAPICallback(t *testing.T) {
	s := newAPIServer(t, 0)
	got := make(chan string, 2)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get("X-Zaoshu-Signature") != jobs.Sign("pipeline-secret", body) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		got <- string(body)
	}))
	defer recv.Close()
	a := s.call(t, s.admin, "POST", "/api/v1/runs", map[string]any{"workflow": "standard-account", "environment": "uat-sim",
		"callback": map[string]any{"url": recv.URL, "secret": "pipeline-secret"}})
	select {
	case body := <-got:
		if !strings.Contains(body, `"event":"run.succeeded"`) || !strings.Contains(body, a.str("id")) {
			t.Errorf("callback body = %s", body)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("no callback")
	}
	time.Sleep(200 * time.Millisecond)
	d := s.call(t, s.admin, "GET", "/api/v1/runs/"+a.str("id")+"/deliveries", nil)
	if list, _ := d.body["deliveries"].([]any); len(list) != 1 || list[0].(map[string]any)["status_code"] != float64(200) {
		t.Errorf("deliveries = %v", d.body)
	}
	// A token's callback is told of the runs made with it.
	tok := s.call(t, s.admin, "POST", "/api/v1/tokens", map[string]any{"name": "pipeline", "callback": map[string]any{"url": recv.URL + "/token", "secret": "pipeline-secret"}})
	if tok.status != 201 || tok.str("callback_url") != recv.URL+"/token" {
		t.Fatalf("token with callback = %d %v", tok.status, tok.body)
	}
	viaToken := s.call(t, tok.str("secret"), "POST", "/api/v1/runs", map[string]any{"workflow": "standard-account", "environment": "uat-sim"})
	select {
	case body := <-got:
		if !strings.Contains(body, viaToken.str("id")) {
			t.Errorf("token callback body = %s", body)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("no callback for the token's run")
	}
	bad := s.call(t, s.admin, "POST", "/api/v1/runs", map[string]any{"workflow": "standard-account", "environment": "uat-sim",
		"callback": map[string]any{"url": "not a url"}})
	if bad.status != http.StatusUnprocessableEntity {
		t.Errorf("bad callback = %d %v", bad.status, bad.body)
	}
}

func TestAPISaveEnvironment(t *testing.T) {
	s := newAPIServer(t, 0)
	body := map[string]any{"title": "一号 UAT", "concurrency": 3, "protected": true, "patience_seconds": 600,
		"services": map[string]any{"account": map[string]any{"base_url": "https://uat1.example.test/account", "health": map[string]any{"path": "/health"}}},
		"secrets":  map[string]any{"operator_password": "never-shown"}}
	a := s.call(t, s.admin, "PUT", "/api/v1/environments/uat1", body)
	if a.status != 200 || strings.Contains(fmt.Sprint(a.body), "never-shown") || fmt.Sprint(a.body["secrets"]) != "[operator_password]" {
		t.Fatalf("save = %d %v", a.status, a.body)
	}
	env, err := s.store.Environment(context.Background(), "uat1")
	if err != nil || !env.Protected || env.Patience != 10*time.Minute {
		t.Fatalf("stored = %+v, %v", env, err)
	}
	if secrets, _ := s.store.Secrets(env); secrets["operator_password"] != "never-shown" {
		t.Errorf("secrets = %v", secrets)
	}
	bad := s.call(t, s.admin, "PUT", "/api/v1/environments/UAT_1", map[string]any{"services": map[string]any{"account": map[string]any{"base_url": "ftp://x"}}})
	if errs, _ := bad.body["errors"].([]any); bad.status != 422 || len(errs) != 2 {
		t.Errorf("bad = %d %v", bad.status, bad.body)
	}
	created := s.call(t, s.admin, "POST", "/api/v1/tokens", map[string]any{"name": "b", "scopes": []string{"build"}})
	if a := s.call(t, created.str("secret"), "PUT", "/api/v1/environments/uat1", body); a.status != 403 {
		t.Errorf("build token saved an environment: %d", a.status)
	}
	// A protected environment refuses builds unless asked explicitly.
	r := s.call(t, s.admin, "POST", "/api/v1/runs", map[string]any{"workflow": "standard-account", "environment": "uat1"})
	if r.status != 403 || !strings.Contains(r.str("hint"), "allow_protected") {
		t.Errorf("build in protected = %d %v", r.status, r.body)
	}
}
