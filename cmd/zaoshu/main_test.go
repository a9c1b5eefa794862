package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/zaoshu/zaoshu/jobs"
	"github.com/zaoshu/zaoshu/store/storetest"
)

// The tests run this test binary as the zaoshu program: with the variable
// set, TestMain is main.
const runAsMain = "ZAOSHU_TEST_RUN_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runAsMain) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// syncBuffer collects a child's output while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type process struct {
	cmd    *exec.Cmd
	url    string
	stdout *syncBuffer
	stderr *syncBuffer
	done   chan error
}

func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// start runs zaoshu with args and env in dir, and waits until it prints
// that it is running.
func start(t testing.TB, dir string, env []string, args ...string) *process {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(os.Args[0], append([]string{"--addr", addr, "--sim-addr", freeAddr(t)}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), runAsMain+"=1"), env...)
	p := &process{cmd: cmd, url: "http://" + addr, stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("stdout:\n%s\nstderr:\n%s", p.stdout, p.stderr)
		}
	})
	deadline := time.Now().Add(time.Minute)
	for !strings.Contains(p.stdout.String(), "zaoshu is running") {
		select {
		case err := <-p.done:
			t.Fatalf("zaoshu exited before it was ready: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("zaoshu did not say it was running within a minute")
		}
		time.Sleep(50 * time.Millisecond)
	}
	return p
}

// banner returns the value printed beside a name in the start-up banner.
func (p *process) banner(name string) string {
	sc := bufio.NewScanner(strings.NewReader(p.stdout.String()))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) >= 2 && f[0] == name {
			return f[1]
		}
	}
	return ""
}

// token is the first admin's API token, printed on first start only.
func (p *process) token() string { return p.banner("token") }

func (p *process) get(t *testing.T, method, path, token string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, p.url+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("%s %s: not JSON: %s", method, path, body)
	}
	return res.StatusCode, m
}

// stop sends SIGTERM and expects a clean exit.
func (p *process) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v", err)
		}
	case <-time.After(45 * time.Second):
		t.Fatal("no exit within 45s of SIGTERM")
	}
	if !strings.Contains(p.stderr.String(), `msg="shutdown complete"`) {
		t.Errorf("no clean shutdown in the log")
	}
}

func checkReady(t *testing.T, p *process, wantDB, wantRedis string) {
	t.Helper()
	status, body := p.get(t, http.MethodGet, "/readyz", "")
	if status != http.StatusOK {
		t.Fatalf("/readyz = %d %v", status, body)
	}
	checks, _ := body["checks"].(map[string]any)
	db, _ := checks["database"].(map[string]any)
	rd, _ := checks["redis"].(map[string]any)
	if db["kind"] != wantDB || db["status"] != "up" || rd["kind"] != wantRedis || rd["status"] != "up" {
		t.Errorf("/readyz checks = %v, want %s and %s up", checks, wantDB, wantRedis)
	}
}

// A fresh start on the embedded defaults: ready, a task goes through the
// queue to a worker and back, SIGTERM stops it cleanly, and the admin token
// is printed only on the first start.
func TestAllInOneOnEmbeddedDefaults(t *testing.T) {
	dir := t.TempDir()
	p := start(t, dir, nil)
	if !strings.Contains(p.stdout.String(), "open       "+p.url+"/") {
		t.Errorf("the URL to open is not printed:\n%s", p.stdout)
	}
	checkReady(t, p, "sqlite", "embedded-redis")
	simURL := p.banner("uat-sim")
	if res, err := http.Get(simURL + "/account/health"); err != nil || res.StatusCode != http.StatusOK {
		t.Errorf("built-in simulator at %q not answering: %v", simURL, err)
	}
	if _, err := os.Stat(dir + "/data/zaoshu.db"); err != nil {
		t.Errorf("SQLite file not under ./data: %v", err)
	}
	tok := p.token()
	if !strings.HasPrefix(tok, "zs_") {
		t.Fatalf("no admin token printed on first start:\n%s", p.stdout)
	}
	if status, body := p.get(t, http.MethodPost, "/api/v1/system/worker-ping", ""); status != http.StatusUnauthorized || body["request_id"] == "" {
		t.Errorf("ping without token = %d %v, want 401 problem with request id", status, body)
	}
	status, body := p.get(t, http.MethodPost, "/api/v1/system/worker-ping", tok)
	if status != http.StatusOK || !strings.Contains(fmt.Sprint(body["worker"]), fmt.Sprint(p.cmd.Process.Pid)) {
		t.Errorf("worker ping = %d %v, want an answer from the worker in process %d", status, body, p.cmd.Process.Pid)
	}
	p.stop(t)

	again := start(t, dir, nil)
	if again.token() != "" {
		t.Errorf("second start printed a token again:\n%s", again.stdout)
	}
	if status, _ := again.get(t, http.MethodGet, "/api/v1/me", tok); status != http.StatusOK {
		t.Errorf("first start's token refused after restart: %d", status)
	}
	again.stop(t)
}

// cleanQueues removes a test namespace's queues from the shared Redis.
func cleanQueues(t testing.TB, redisURL, ns string) {
	t.Cleanup(func() {
		r, err := jobs.ConnectRedis(context.Background(), redisURL)
		if err != nil {
			t.Errorf("clean up queues: %v", err)
			return
		}
		defer r.Close()
		c := jobs.NewClient(r, jobs.Namespace(ns))
		defer c.Close()
		if err := c.DeleteQueues(context.Background()); err != nil {
			t.Errorf("clean up queues: %v", err)
		}
	})
}

// The same binary on real PostgreSQL or MySQL and real Redis, when the test
// environment names them.
func TestAllInOneOnRealServices(t *testing.T) {
	redisURL := os.Getenv("ZAOSHU_TEST_REDIS_URL")
	if redisURL == "" {
		t.Skip("ZAOSHU_TEST_REDIS_URL not set: real services are tested in CI (.ci/run)")
	}
	for _, db := range storetest.Databases(t)[1:] {
		t.Run(db.Name, func(t *testing.T) {
			ns := "zstest-main-" + db.Name + fmt.Sprint(time.Now().UnixNano())
			cleanQueues(t, redisURL, ns)
			p := start(t, t.TempDir(), []string{"ZAOSHU_DATABASE_URL=" + db.URL, "ZAOSHU_REDIS_URL=" + redisURL, "ZAOSHU_QUEUE_NAMESPACE=" + ns})
			checkReady(t, p, db.Name, "redis")
			status, body := p.get(t, http.MethodPost, "/api/v1/system/worker-ping", p.token())
			if status != http.StatusOK || body["queue"] != ns+":critical" {
				t.Errorf("worker ping = %d %v", status, body)
			}
			p.stop(t)
		})
	}
}

// Separate serve and worker processes share one Redis and database: the
// ping sent through serve is answered by the worker process.
func TestServeAndWorkerProcesses(t *testing.T) {
	redisURL := os.Getenv("ZAOSHU_TEST_REDIS_URL")
	if redisURL == "" {
		t.Skip("ZAOSHU_TEST_REDIS_URL not set: serve and worker need a shared Redis; tested in CI (.ci/run)")
	}
	dir := t.TempDir()
	ns := "zstest-split" + fmt.Sprint(time.Now().UnixNano())
	cleanQueues(t, redisURL, ns)
	env := []string{"ZAOSHU_REDIS_URL=" + redisURL, "ZAOSHU_QUEUE_NAMESPACE=" + ns}
	srv := start(t, dir, env, "serve")
	status, body := srv.get(t, http.MethodPost, "/api/v1/system/worker-ping", srv.token())
	if status != http.StatusServiceUnavailable || !strings.Contains(fmt.Sprint(body["title"]), "worker") {
		t.Errorf("ping with no worker running = %d %v, want 503 saying no worker answered", status, body)
	}
	w := start(t, dir, env, "worker")
	status, body = srv.get(t, http.MethodPost, "/api/v1/system/worker-ping", srv.token())
	if status != http.StatusOK || !strings.HasSuffix(fmt.Sprint(body["worker"]), fmt.Sprintf(":%d", w.cmd.Process.Pid)) {
		t.Errorf("worker ping = %d %v, want the answer from worker pid %d", status, body, w.cmd.Process.Pid)
	}
	w.stop(t)
	srv.stop(t)
}

// An unreachable service at start: one clear line, exit code 3.
func TestUnreachableRedisAtStart(t *testing.T) {
	addr := freeAddr(t) // nothing listens here
	cmd := exec.Command(os.Args[0], "--addr", freeAddr(t), "--redis-url", "redis://:hunter2@"+addr+"/0")
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), runAsMain+"=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	go func() { <-ctx.Done(); _ = cmd.Process.Kill() }()
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitUnreachable {
		t.Fatalf("exit = %v, want code %d", err, exitUnreachable)
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	last := lines[len(lines)-1]
	for _, want := range []string{"redis unreachable at redis://:xxxxx@" + addr, "connection refused", "ZAOSHU_REDIS_URL"} {
		if !strings.Contains(last, want) {
			t.Errorf("message %q lacks %q", last, want)
		}
	}
	if strings.Contains(stderr.String(), "hunter2") {
		t.Error("the password was printed")
	}
}

func TestHelpListsEverySetting(t *testing.T) {
	var out bytes.Buffer
	if code := run([]string{"--help"}, &out, &out); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	for _, env := range []string{"ZAOSHU_ADDR", "ZAOSHU_DATA_DIR", "ZAOSHU_DATABASE_URL", "ZAOSHU_REDIS_URL", "ZAOSHU_SECRET_KEY", "ZAOSHU_SECURE_COOKIES", "ZAOSHU_WORKFLOWS_DIR", "ZAOSHU_RUN_TIMEOUT", "ZAOSHU_RETENTION", "ZAOSHU_API_RATE", "ZAOSHU_DEBUG_ADDR", "ZAOSHU_ENVIRONMENTS_FILE", "ZAOSHU_SIM_ADDR", "ZAOSHU_QUEUE_NAMESPACE", "ZAOSHU_WORKER_CONCURRENCY", "ZAOSHU_SHUTDOWN_TIMEOUT", "ZAOSHU_LOG_FORMAT", "ZAOSHU_LOG_LEVEL", "serve", "worker"} {
		if !strings.Contains(out.String(), env) {
			t.Errorf("--help does not mention %s", env)
		}
	}
}
