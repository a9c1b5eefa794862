package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/zaoshu/zaoshu/workflows"
)

type buildCmd struct {
	clientFlags `embed:""`

	Workflow       string        `arg:"" help:"The workflow to build, e.g. standard-account."`
	Env            string        `required:"" help:"Environment to build in, e.g. uat-sim." env:"ZAOSHU_ENV"`
	Set            []string      `short:"s" sep:"none" help:"An input, as key=value (repeatable); commas are kept." placeholder:"KEY=VALUE"`
	Seed           int64         `help:"Seed for generated inputs; 0 lets the server pick one."`
	Ticket         string        `help:"Ticket or incident the build is for."`
	Label          []string      `sep:"none" help:"A label for the run (repeatable)."`
	AllowProtected bool          `help:"Allow building in a protected environment."`
	Wait           bool          `help:"Wait for the build to end: exit 0 built, 1 failed or cancelled."`
	Timeout        time.Duration `help:"With --wait, how long to wait before giving up (exit 3; the build goes on)." default:"10m"`
	IdempotencyKey string        `help:"Same key from the same token within 24h returns the same run instead of building again (use the pipeline's job id)." env:"ZAOSHU_IDEMPOTENCY_KEY"`
}

// pollEvery is how often --wait reads the run for new steps.
const pollEvery = 500 * time.Millisecond

// run asks the server for a build and, with --wait, follows it to its end:
// progress on stderr, the run on stdout (JSON for pipelines, readable on a terminal).
func (b buildCmd) run(ctx context.Context, stdout, stderr io.Writer) int {
	set, err := workflows.ParseAssignments(b.Set)
	if err != nil {
		fmt.Fprintf(stderr, "zaoshu build: %v\n", err)
		return exitUsage
	}
	if !b.needToken(stderr) {
		return exitUsage
	}
	c := newAPIClient(b.clientFlags)
	body := map[string]any{"workflow": b.Workflow, "environment": b.Env, "inputs": set,
		"labels": b.Label, "allow_protected": b.AllowProtected}
	if b.Ticket != "" {
		body["ticket"] = b.Ticket
	}
	if b.Seed != 0 {
		body["seed"] = b.Seed
	}
	var r runView
	raw, err := c.call(ctx, "POST /runs", func(req *resty.Request) (*resty.Response, error) {
		if b.IdempotencyKey != "" {
			req.SetHeader("Idempotency-Key", b.IdempotencyKey)
		}
		return req.SetBody(body).Post("/runs")
	}, &r)
	if err != nil {
		return b.report(stderr, err)
	}
	asJSON := b.jsonOutput(stdout)
	if !b.Wait {
		if asJSON {
			return b.printed(stderr, printJSON(stdout, raw), exitOK)
		}
		fmt.Fprintf(stdout, "%s  %s  %s @ %s\n", r.ID, b.statusText(r.Status), r.Workflow, r.Environment)
		fmt.Fprintln(stdout, b.say("跟踪进度：zaoshu runs get ", "follow it: zaoshu runs get ")+r.ID)
		return exitOK
	}
	fmt.Fprintf(stderr, "%s %s (%s @ %s)\n", b.say("构建", "build"), r.ID, r.Workflow, r.Environment)
	r, raw, err = b.follow(ctx, c, r, stderr)
	if err != nil {
		code := b.report(stderr, err)
		fmt.Fprintln(stderr, "  "+b.say("构建仍在服务端继续；查看：zaoshu runs get ", "the build goes on at the server; see: zaoshu runs get ")+r.ID)
		return code
	}
	if asJSON {
		return b.printed(stderr, printJSON(stdout, raw), runExit(r))
	}
	b.printRun(stdout, r)
	return runExit(r)
}

// printed turns a failure to write the result into exit 1.
func (b buildCmd) printed(stderr io.Writer, err error, code int) int {
	if err != nil {
		fmt.Fprintf(stderr, "zaoshu: %v\n", err)
		return exitFailure
	}
	return code
}

// follow polls the run until it ends or --timeout passes, printing each new
// step and each change of status as it appears. A call that fails is tried
// again until the timeout: a pipeline should not lose a build to one blip.
func (b buildCmd) follow(ctx context.Context, c *apiClient, r runView, stderr io.Writer) (runView, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, b.Timeout)
	defer cancel()
	shown, status := 0, ""
	var lastErr error
	for {
		cur, raw, err := c.getRun(ctx, r.ID)
		switch {
		case err == nil:
			lastErr = nil
			if cur.Status != status {
				status = cur.Status
				if !cur.finished() {
					msg := b.statusText(status)
					if cur.Waiting != nil && cur.Waiting.Service != "" {
						msg += " (" + cur.Waiting.Service + ")"
					}
					fmt.Fprintf(stderr, "  … %s\n", msg)
				}
			}
			for ; shown < len(cur.Steps); shown++ {
				b.printStep(stderr, cur.Steps[shown])
			}
			if cur.finished() {
				return cur, raw, nil
			}
		case ctx.Err() == nil && isRetryable(err):
			lastErr = err
		default:
			return r, nil, err
		}
		select {
		case <-ctx.Done():
			if lastErr == nil {
				lastErr = fmt.Errorf("%s %s: %w", b.say("等待构建结束超过", "waited longer than"), b.Timeout, ctx.Err())
			}
			return r, nil, &apiError{Op: "wait for run " + r.ID, Err: lastErr}
		case <-time.After(pollEvery):
		}
	}
}

// isRetryable: no answer, or a server-side trouble that may pass.
func isRetryable(err error) bool {
	var e *apiError
	return errors.As(err, &e) && e.exitCode() == exitUnreachable
}

func (f clientFlags) printStep(w io.Writer, s stepView) {
	mark := map[string]string{"succeeded": "✓", "failed": "✗", "skipped": "-", "cancelled": "✗"}[s.Status]
	if mark == "" {
		mark = "·"
	}
	name := s.Step
	if s.Iteration != "" {
		name += "[" + s.Iteration + "]"
	}
	extra := ""
	if s.Attempt > 1 {
		extra = fmt.Sprintf(" #%d", s.Attempt)
	}
	if s.HTTPStatus != 0 {
		extra += fmt.Sprintf(" HTTP %d", s.HTTPStatus)
	}
	fmt.Fprintf(w, "  %s %-32s %s%s %.0f ms\n", mark, name, f.statusText(s.Status), extra, s.DurationMS)
}
