package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// cliResult is one in-process run of the zaoshu CLI.
type cliResult struct {
	code           int
	stdout, stderr string
}

func runCLI(t *testing.T, args ...string) cliResult {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return cliResult{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// jsonRun decodes the run a command printed on stdout.
func (r cliResult) jsonRun(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &m); err != nil {
		t.Fatalf("stdout is not one JSON document: %v\nstdout:\n%s\nstderr:\n%s", err, r.stdout, r.stderr)
	}
	return m
}

// The CLI against a real all-in-one server, as a pipeline uses it: exit
// codes, JSON on stdout, messages naming what is wrong.
func TestBuildCommandAgainstServer(t *testing.T) {
	p := start(t, t.TempDir(), nil)
	tok := p.token()
	t.Setenv("ZAOSHU_SERVER", p.url)
	t.Setenv("ZAOSHU_TOKEN", tok)
	t.Setenv("ZAOSHU_LANG", "zh")

	var built map[string]any
	t.Run("build and wait succeeds", func(t *testing.T) {
		r := runCLI(t, "build", "standard-account", "--env", "uat-sim", "--set", "name=张三",
			"--ticket", "BUG-7", "--label", "ci", "--label", "a,b", "--wait", "--output", "json")
		if r.code != exitOK {
			t.Fatalf("exit %d, want 0\nstderr:\n%s", r.code, r.stderr)
		}
		built = r.jsonRun(t)
		outputs, _ := built["outputs"].(map[string]any)
		if built["status"] != "succeeded" || outputs["name"] != "张三" || outputs["customer_code"] == "" || outputs["customer_code"] == nil {
			t.Errorf("run = status %v outputs %v, want succeeded with name 张三 and a customer code", built["status"], outputs)
		}
		if labels, _ := json.Marshal(built["labels"]); string(labels) != `["ci","a,b"]` || built["ticket"] != "BUG-7" {
			t.Errorf("labels %s ticket %v, want [ci a,b] and BUG-7", labels, built["ticket"])
		}
		if !strings.Contains(r.stderr, "✓ customer") {
			t.Errorf("no step progress on stderr:\n%s", r.stderr)
		}
	})
	if built == nil {
		t.FailNow()
	}
	id, _ := built["id"].(string)
	outputs, _ := built["outputs"].(map[string]any)

	t.Run("failed build exits 1 with the reason", func(t *testing.T) {
		r := runCLI(t, "build", "standard-account", "--env", "uat-sim", "--set", "id_number="+outputs["id_number"].(string), "--wait", "-o", "table", "--lang", "en")
		if r.code != exitFailure {
			t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
		}
		for _, want := range []string{"failed", "business_rejected", "customer/look_up", "hint:"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("result lacks %q:\n%s", want, r.stdout)
			}
		}
	})

	t.Run("bad input exits 2 naming the input", func(t *testing.T) {
		// The comma is kept: the server sees all five characters.
		r := runCLI(t, "build", "standard-account", "--env", "uat-sim", "--set", "id_number=12,34", "--wait")
		if r.code != exitUsage || !strings.Contains(r.stderr, "inputs.id_number: 身份证号应为 18 位（旧版为 15 位），当前为 5 位") || r.stdout != "" {
			t.Errorf("exit %d, want 2 naming inputs.id_number in Chinese\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
		}
		r = runCLI(t, "build", "standard-account", "--env", "uat-sim", "--set", "no-equals-sign")
		if r.code != exitUsage || !strings.Contains(r.stderr, "key=value") {
			t.Errorf("exit %d, want 2 asking for key=value\nstderr:\n%s", r.code, r.stderr)
		}
		r = runCLI(t, "build", "standard-account", "--env", "prod", "--lang", "en")
		if r.code != exitUsage || !strings.Contains(r.stderr, "(404)") || !strings.Contains(r.stderr, "hint:") {
			t.Errorf("unknown environment: exit %d, want 2 with the server's hint\nstderr:\n%s", r.code, r.stderr)
		}
	})

	t.Run("wrong or missing token exits 2", func(t *testing.T) {
		r := runCLI(t, "build", "standard-account", "--env", "uat-sim", "--token", "zs_wrong", "--lang", "en")
		if r.code != exitUsage || !strings.Contains(r.stderr, "(401)") || !strings.Contains(r.stderr, "token") {
			t.Errorf("exit %d, want 2 saying the token is refused\nstderr:\n%s", r.code, r.stderr)
		}
		r = runCLI(t, "runs", "list", "--token", "")
		if r.code != exitUsage || !strings.Contains(r.stderr, "ZAOSHU_TOKEN") {
			t.Errorf("exit %d, want 2 saying where a token comes from\nstderr:\n%s", r.code, r.stderr)
		}
	})

	t.Run("no server exits 3", func(t *testing.T) {
		r := runCLI(t, "build", "standard-account", "--env", "uat-sim", "--wait", "--server", "http://"+freeAddr(t))
		if r.code != exitUnreachable || !strings.Contains(r.stderr, "无法连接") {
			t.Errorf("exit %d, want 3 saying the server cannot be reached\nstderr:\n%s", r.code, r.stderr)
		}
	})

	t.Run("wait runs out exits 3 and names the run", func(t *testing.T) {
		r := runCLI(t, "build", "standard-account", "--env", "uat-sim", "--wait", "--timeout", "1s")
		if r.code != exitUnreachable || !strings.Contains(r.stderr, "zaoshu runs get r") {
			t.Errorf("exit %d, want 3 and how to follow the run\nstderr:\n%s", r.code, r.stderr)
		}
	})

	t.Run("runs list and get", func(t *testing.T) {
		r := runCLI(t, "runs", "list", "--workflow", "standard-account", "--status", "succeeded", "--limit", "5")
		var page struct {
			Runs []map[string]any `json:"runs"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &page); r.code != exitOK || err != nil {
			t.Fatalf("runs list = exit %d %v, want JSON\nstderr:\n%s", r.code, r.stdout, r.stderr)
		}
		found := false
		for _, run := range page.Runs {
			found = found || run["id"] == id
			if run["status"] != "succeeded" || run["workflow"] != "standard-account" {
				t.Errorf("runs list --status succeeded --workflow standard-account shows %v %v", run["status"], run["workflow"])
			}
		}
		if !found {
			t.Errorf("runs list lacks run %s:\n%s", id, r.stdout)
		}
		r = runCLI(t, "runs", "list", "-o", "table", "--lang", "en")
		if r.code != exitOK || !strings.HasPrefix(r.stdout, "ID ") || !strings.Contains(r.stdout, id+"  succeeded") {
			t.Errorf("runs list table = exit %d\n%s", r.code, r.stdout)
		}
		r = runCLI(t, "runs", "get", id)
		got := r.jsonRun(t)
		if steps, _ := got["steps"].([]any); r.code != exitOK || got["status"] != "succeeded" || len(steps) < 10 {
			t.Errorf("runs get = exit %d status %v with %d steps, want succeeded with its steps", r.code, got["status"], len(steps))
		}
		r = runCLI(t, "runs", "get", "r-nope")
		if r.code != exitUsage || !strings.Contains(r.stderr, "(404)") {
			t.Errorf("runs get of an unknown id = exit %d\n%s", r.code, r.stderr)
		}
	})

	t.Run("runs cancel and retry", func(t *testing.T) {
		r := runCLI(t, "build", "standard-account", "--env", "uat-sim")
		queued, _ := r.jsonRun(t)["id"].(string)
		if r.code != exitOK || queued == "" {
			t.Fatalf("build without --wait = exit %d %s", r.code, r.stdout)
		}
		r = runCLI(t, "runs", "cancel", queued)
		if r.code != exitOK {
			t.Fatalf("runs cancel = exit %d\n%s", r.code, r.stderr)
		}
		status, body := p.get(t, "GET", "/api/v1/runs/"+queued+"?wait=60s", tok)
		if status != 200 || body["status"] != "cancelled" {
			t.Fatalf("after cancel the run is %d %v, want cancelled", status, body["status"])
		}
		r = runCLI(t, "runs", "retry", queued)
		if got := r.jsonRun(t); r.code != exitOK || got["id"] != queued || got["status"] == "cancelled" {
			t.Errorf("runs retry = exit %d %v, want the run queued again", r.code, got["status"])
		}
		r = runCLI(t, "runs", "cancel", id, "--lang", "en")
		if r.code != exitUsage || !strings.Contains(r.stderr, "(409)") {
			t.Errorf("cancelling a finished run = exit %d, want 2 with the server's 409\n%s", r.code, r.stderr)
		}
	})

	t.Run("idempotency key returns the same run", func(t *testing.T) {
		a := runCLI(t, "build", "standard-account", "--env", "uat-sim", "--idempotency-key", "job-42")
		b := runCLI(t, "build", "standard-account", "--env", "uat-sim", "--idempotency-key", "job-42")
		if a.code != exitOK || b.code != exitOK || a.jsonRun(t)["id"] != b.jsonRun(t)["id"] {
			t.Errorf("same key twice = exit %d/%d, runs %v and %v, want one run", a.code, b.code, a.jsonRun(t)["id"], b.jsonRun(t)["id"])
		}
	})
}

// A server in trouble (5xx, 429) or too slow is exit 3, like no server:
// trying again later can help, unlike a refused request.
func TestServerTroubleExits3(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		want   string
	}{
		{"unavailable", http.StatusServiceUnavailable, `{"title":"任务队列不可用","status":503,"request_id":"rq-1"}`, "任务队列不可用 (503)"},
		{"rate limited", http.StatusTooManyRequests, `{"title":"请求太频繁","status":429}`, "请求太频繁 (429)"},
		{"not a problem", http.StatusBadGateway, `<html>bad gateway</html>`, "Bad Gateway <html>bad gateway</html> (502)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Authorization") != "Bearer zs_t" || r.Header.Get("Accept-Language") != "zh" {
					t.Errorf("request headers %v lack the token or the language", r.Header)
				}
				w.WriteHeader(tc.status)
				fmt.Fprint(w, tc.body)
			}))
			defer srv.Close()
			r := runCLI(t, "build", "standard-account", "--env", "uat-sim", "--server", srv.URL, "--token", "zs_t", "--lang", "zh")
			if r.code != exitUnreachable || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, want 3 with %q\nstderr:\n%s", r.code, tc.want, r.stderr)
			}
		})
	}
}

func TestPrintTableAlignsChineseByCells(t *testing.T) {
	var out bytes.Buffer
	printTable(&out, [][]string{{"编号", "状态", "流程"}, {"r1", "成功", "standard-account"}, {"r0123456", "等待环境恢复", "x"}})
	want := "编号      状态          流程\n" +
		"r1        成功          standard-account\n" +
		"r0123456  等待环境恢复  x\n"
	if out.String() != want {
		t.Errorf("table =\n%s\nwant\n%s", out.String(), want)
	}
}
