package server

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/zaoshu/zaoshu/jobs"
	"github.com/zaoshu/zaoshu/store/storetest"
)

type testServer struct {
	engine *gin.Engine
	redis  *jobs.Redis
	logs   *strings.Builder
}

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	st := storetest.Open(t, storetest.Databases(t)[0])
	rd, err := jobs.StartEmbeddedRedis()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rd.Close() })
	q := jobs.NewClient(rd, "")
	t.Cleanup(func() { _ = q.Close() })
	logs := &strings.Builder{}
	log := NewLogger(logs, "text", "debug")
	lib := jobs.NewLibrary(st)
	builds := jobs.NewBuilds(st, rd, "", lib, log, jobs.BuildOptions{})
	t.Cleanup(func() { _ = builds.Close() })
	engine, err := newEngine(httpDeps{log: log, store: st, redis: rd, queue: q, builds: builds, library: lib})
	if err != nil {
		t.Fatal(err)
	}
	return &testServer{engine: engine, redis: rd, logs: logs}
}

func (s *testServer) do(t *testing.T, method, path string, header map[string]string) (*http.Response, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	s.engine.ServeHTTP(rec, req)
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	var m map[string]any
	_ = json.Unmarshal(body, &m)
	return res, m
}

func TestRequestIDKeptOrMade(t *testing.T) {
	s := newTestServer(t)
	res, _ := s.do(t, "GET", "/healthz", map[string]string{"X-Request-Id": "ci-build-42"})
	if got := res.Header.Get("X-Request-Id"); got != "ci-build-42" {
		t.Errorf("incoming id not kept: %q", got)
	}
	res, _ = s.do(t, "GET", "/healthz", nil)
	if got := res.Header.Get("X-Request-Id"); len(got) != 24 {
		t.Errorf("no id made: %q", got)
	}
	res, _ = s.do(t, "GET", "/healthz", map[string]string{"X-Request-Id": "bad id\nwith newline"})
	if got := res.Header.Get("X-Request-Id"); strings.Contains(got, " ") || got == "" {
		t.Errorf("unsafe incoming id echoed: %q", got)
	}
}

func TestLogLinesCarryRequestID(t *testing.T) {
	s := newTestServer(t)
	s.do(t, "GET", "/nowhere", map[string]string{"X-Request-Id": "trace-me-7"})
	if !strings.Contains(s.logs.String(), "request_id=trace-me-7") {
		t.Errorf("access log lacks the request id:\n%s", s.logs)
	}
}

func TestPanicAnswersProblemJSON(t *testing.T) {
	s := newTestServer(t)
	s.engine.GET("/boom", func(*gin.Context) { panic("kaboom") })
	res, body := s.do(t, "GET", "/boom", map[string]string{"X-Request-Id": "panic-1"})
	if res.StatusCode != 500 || res.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("got %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if body["status"] != float64(500) || body["request_id"] != "panic-1" || !strings.Contains(body["title"].(string), "请求编号") {
		t.Errorf("problem = %v", body)
	}
	if !strings.Contains(s.logs.String(), "kaboom") || !strings.Contains(s.logs.String(), "request_id=panic-1") {
		t.Errorf("panic not logged with its request id:\n%s", s.logs)
	}
	_, body = s.do(t, "GET", "/boom", map[string]string{"Accept-Language": "en-US,en;q=0.9"})
	if !strings.HasPrefix(body["title"].(string), "Internal error") {
		t.Errorf("English title = %v", body["title"])
	}
}

func TestReadyzNamesWhatIsDown(t *testing.T) {
	s := newTestServer(t)
	res, body := s.do(t, "GET", "/readyz", nil)
	if res.StatusCode != 200 || body["status"] != "ready" {
		t.Fatalf("readyz = %d %v", res.StatusCode, body)
	}
	_ = s.redis.Close()
	res, body = s.do(t, "GET", "/readyz", nil)
	if res.StatusCode != 503 || res.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("readyz with Redis down = %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	detail, _ := body["detail"].(string)
	if !strings.HasPrefix(detail, "redis is down") || strings.Contains(detail, "database") {
		t.Errorf("detail = %q, want it to name redis only", detail)
	}
	db := body["checks"].(map[string]any)["database"].(map[string]any)
	if db["status"] != "up" {
		t.Errorf("database check = %v", db)
	}
}

func TestAPIRequiresToken(t *testing.T) {
	s := newTestServer(t)
	for _, h := range []map[string]string{nil, {"Authorization": "Bearer zs_nope"}, {"Authorization": "Basic abc"}} {
		res, body := s.do(t, "GET", "/api/v1/me", h)
		if res.StatusCode != 401 || res.Header.Get("WWW-Authenticate") == "" || body["type"] == nil {
			t.Errorf("%v: got %d %v", h, res.StatusCode, body)
		}
	}
}

func TestUnknownPathIsProblem(t *testing.T) {
	s := newTestServer(t)
	res, body := s.do(t, "DELETE", "/healthz", nil)
	if res.StatusCode != 405 || body["title"] != "这个地址不支持该方法" {
		t.Errorf("got %d %v", res.StatusCode, body)
	}
}
