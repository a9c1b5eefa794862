package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"
)

// clientFlags are the settings every command that talks to a zaoshu server shares.
type clientFlags struct {
	Server string `help:"URL of the zaoshu server." env:"ZAOSHU_SERVER" default:"http://127.0.0.1:8080"`
	Token  string `help:"API token (zs_…); create one on the web UI's token page." env:"ZAOSHU_TOKEN"`
	Lang   string `help:"Language of the messages: zh or en." env:"ZAOSHU_LANG" enum:"zh,en" default:"zh"`
	Output string `short:"o" help:"Output: json, table, or auto (a table on a terminal, JSON otherwise)." enum:"auto,json,table" default:"auto"`
}

// say picks the message in the user's language.
func (f clientFlags) say(zh, en string) string {
	if f.Lang == "en" {
		return en
	}
	return zh
}

// jsonOutput tells whether results go out as JSON: asked for, or stdout is
// not a terminal (a pipeline reads it).
func (f clientFlags) jsonOutput(stdout io.Writer) bool {
	switch f.Output {
	case "json":
		return true
	case "table":
		return false
	}
	return !isTerminal(stdout)
}

func isTerminal(w io.Writer) bool {
	file, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := file.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// requestTimeout bounds one HTTP call; waiting for a build is done by polling.
const requestTimeout = 30 * time.Second

// apiClient is a thin client of a zaoshu server's /api/v1.
type apiClient struct {
	flags clientFlags
	http  *resty.Client
}

func newAPIClient(f clientFlags) *apiClient {
	c := resty.New().
		SetBaseURL(strings.TrimRight(f.Server, "/")+"/api/v1").
		SetTimeout(requestTimeout).
		SetHeader("Accept", "application/json").
		SetHeader("Accept-Language", f.Lang).
		SetHeader("User-Agent", "zaoshu-cli")
	if f.Token != "" {
		c.SetAuthToken(f.Token)
	}
	return &apiClient{flags: f, http: c}
}

// problem is an RFC 9457 problem the server answered with.
type problem struct {
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail"`
	Hint      string `json:"hint"`
	RequestID string `json:"request_id"`
	Errors    []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

// apiError is a call that did not succeed: the server's problem, or why
// there was no answer (Status 0).
type apiError struct {
	Op      string
	Status  int
	Problem problem
	Err     error
}

func (e *apiError) Error() string {
	if e.Status == 0 {
		return fmt.Sprintf("%s: %v", e.Op, e.Err)
	}
	return fmt.Sprintf("%s: %d %s", e.Op, e.Status, e.Problem.Title)
}

func (e *apiError) Unwrap() error { return e.Err }

// exitCode maps a failed call to the CLI's exit codes: the request is wrong
// (bad input, token, permission, missing thing, wrong state) → 2; no answer,
// an overloaded or failing server → 3, where trying again later can help.
func (e *apiError) exitCode() int {
	switch {
	case e.Status == 0, e.Status >= 500, e.Status == http.StatusTooManyRequests:
		return exitUnreachable
	default:
		return exitUsage
	}
}

// call sends one request and decodes a 2xx JSON answer into out; it returns
// the raw body too, for printing as the server sent it.
func (c *apiClient) call(ctx context.Context, op string, req func(*resty.Request) (*resty.Response, error), out any) ([]byte, error) {
	res, err := req(c.http.R().SetContext(ctx))
	if err != nil {
		return nil, &apiError{Op: op, Err: err}
	}
	body := res.Body()
	if res.IsError() {
		e := &apiError{Op: op, Status: res.StatusCode()}
		if json.Unmarshal(body, &e.Problem) != nil || e.Problem.Title == "" {
			e.Problem.Title = strings.TrimSpace(http.StatusText(res.StatusCode()) + " " + truncate(string(body), 200))
		}
		return nil, e
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			return nil, &apiError{Op: op, Err: fmt.Errorf("read the answer (%d): %w", res.StatusCode(), err)}
		}
	}
	return body, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// report prints why a command failed, in the user's language, and returns
// the exit code it means.
func (f clientFlags) report(stderr io.Writer, err error) int {
	var e *apiError
	if !errors.As(err, &e) {
		fmt.Fprintf(stderr, "zaoshu: %v\n", err)
		return exitFailure
	}
	if errors.Is(e.Err, context.Canceled) {
		fmt.Fprintf(stderr, "zaoshu: %s (%s)\n", f.say("已中断", "interrupted"), e.Op)
		return exitUnreachable
	}
	if e.Status == 0 {
		what := f.say("无法连接 zaoshu 服务 ", "cannot reach the zaoshu server at ") + f.Server
		if errors.Is(e.Err, context.DeadlineExceeded) || isTimeout(e.Err) {
			what = f.say("zaoshu 服务没有及时应答 ", "the zaoshu server did not answer in time at ") + f.Server
		}
		fmt.Fprintf(stderr, "zaoshu: %s (%s): %v\n", what, e.Op, e.Err)
		fmt.Fprintln(stderr, "  "+f.say("提示：检查 --server 或 ZAOSHU_SERVER，以及服务是否在运行", "hint: check --server or ZAOSHU_SERVER, and that the server is running"))
		return e.exitCode()
	}
	p := e.Problem
	line := fmt.Sprintf("zaoshu: %s (%d)", p.Title, e.Status)
	if p.Detail != "" {
		line += ": " + p.Detail
	}
	fmt.Fprintln(stderr, line)
	for _, fe := range p.Errors {
		fmt.Fprintf(stderr, "  %s: %s\n", fe.Field, fe.Message)
	}
	if p.Hint != "" {
		fmt.Fprintln(stderr, "  "+f.say("提示：", "hint: ")+p.Hint)
	}
	if p.RequestID != "" {
		fmt.Fprintln(stderr, "  "+f.say("请求编号：", "request id: ")+p.RequestID)
	}
	return e.exitCode()
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// needToken refuses to call the server without a token, saying where one comes from.
func (f clientFlags) needToken(stderr io.Writer) bool {
	if f.Token != "" {
		return true
	}
	fmt.Fprintln(stderr, "zaoshu: "+f.say("需要 API 令牌：用 --token 或环境变量 ZAOSHU_TOKEN 提供（在网页的令牌页创建）",
		"an API token is required: pass --token or set ZAOSHU_TOKEN (create one on the web UI's token page)"))
	return false
}

// runView is a run as the API shows it (the fields the CLI reads).
type runView struct {
	ID          string         `json:"id"`
	Workflow    string         `json:"workflow"`
	Environment string         `json:"environment"`
	Status      string         `json:"status"`
	RequestedBy string         `json:"requested_by"`
	Ticket      string         `json:"ticket"`
	Labels      []string       `json:"labels"`
	Outputs     map[string]any `json:"outputs"`
	Failure     *struct {
		Class     string `json:"class"`
		Step      string `json:"step"`
		Message   string `json:"message"`
		Hint      string `json:"hint"`
		RequestID string `json:"request_id"`
	} `json:"failure"`
	Waiting *struct {
		Service string `json:"service"`
	} `json:"waiting"`
	CreatedAt time.Time  `json:"created_at"`
	Steps     []stepView `json:"steps"`
}

type stepView struct {
	Step       string  `json:"step"`
	Iteration  string  `json:"iteration"`
	Attempt    int     `json:"attempt"`
	Status     string  `json:"status"`
	DurationMS float64 `json:"duration_ms"`
	HTTPStatus int     `json:"http_status"`
}

// finished tells whether a run has ended.
func (r runView) finished() bool {
	switch r.Status {
	case "succeeded", "failed", "cancelled":
		return true
	}
	return false
}

// runExit is the exit code a finished run means to a pipeline.
func runExit(r runView) int {
	if r.Status == "succeeded" {
		return exitOK
	}
	return exitFailure
}

func (c *apiClient) getRun(ctx context.Context, id string) (runView, []byte, error) {
	var r runView
	raw, err := c.call(ctx, "GET /runs/"+id, func(req *resty.Request) (*resty.Response, error) {
		return req.SetPathParam("id", id).Get("/runs/{id}")
	}, &r)
	return r, raw, err
}

// printJSON writes an answer as indented JSON, one document a command.
func printJSON(w io.Writer, raw []byte) error {
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return fmt.Errorf("format the answer as JSON: %w", err)
	}
	buf.WriteByte('\n')
	_, err := w.Write(buf.Bytes())
	return err
}

// printRun writes a run for a person to read: status, failure, outputs.
func (f clientFlags) printRun(w io.Writer, r runView) {
	fmt.Fprintf(w, "%s  %s  %s @ %s\n", r.ID, f.statusText(r.Status), r.Workflow, r.Environment)
	if r.Failure != nil {
		where := ""
		if r.Failure.Step != "" {
			where = " [" + r.Failure.Step + "]"
		}
		fmt.Fprintf(w, "  %s%s %s: %s\n", f.say("失败", "failure"), where, r.Failure.Class, r.Failure.Message)
		if r.Failure.Hint != "" {
			fmt.Fprintln(w, "  "+f.say("提示：", "hint: ")+r.Failure.Hint)
		}
		if r.Failure.RequestID != "" {
			fmt.Fprintln(w, "  "+f.say("请求编号：", "request id: ")+r.Failure.RequestID)
		}
	}
	if len(r.Outputs) > 0 {
		fmt.Fprintln(w, f.say("输出：", "outputs:"))
		keys := make([]string, 0, len(r.Outputs))
		for k := range r.Outputs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(w, "  %-24s %s\n", k, valueText(r.Outputs[k]))
		}
	}
}

func valueText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func (f clientFlags) statusText(s string) string {
	if f.Lang == "en" {
		return s
	}
	zh := map[string]string{"queued": "排队中", "running": "进行中", "waiting_env": "等待环境恢复",
		"succeeded": "成功", "failed": "失败", "cancelled": "已取消", "skipped": "跳过"}[s]
	if zh == "" {
		return s
	}
	return zh
}
