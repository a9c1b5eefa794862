package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hibiken/asynq"

	"github.com/zaoshu/zaoshu/store"
	"github.com/zaoshu/zaoshu/workflows"
)

// Register installs the run handler on a worker and makes asynq treat a
// parked run as waiting, not failing.
func (b *Builds) Register(w *Worker) {
	w.Handle(TypeRun, asynq.HandlerFunc(b.execute))
	w.Handle(TypeWebhook, asynq.HandlerFunc(b.deliver))
}

// parked is returned to asynq when a run waits for its environment: the task
// comes back after delay, and it is not counted as a failure.
type parked struct{ delay time.Duration }

func (p *parked) Error() string {
	return fmt.Sprintf("waiting for the environment; next check in %s", p.delay)
}

// retryDelay is asynq's RetryDelayFunc for workers running builds.
func retryDelay(n int, err error, t *asynq.Task) time.Duration {
	var p *parked
	switch {
	case errors.As(err, &p):
		return p.delay
	case errors.Is(err, asynq.ErrLeaseExpired):
		// The worker holding the run died: take it over at once.
		return time.Second
	}
	// Our own trouble (the database was down, say): back off, but not for long.
	return min(time.Duration(n+1)*2*time.Second, 30*time.Second)
}

func isFailure(err error) bool {
	var p *parked
	return !errors.As(err, &p)
}

// execute runs one build, or resumes it from its last finished step.
func (b *Builds) execute(ctx context.Context, t *asynq.Task) error {
	var p runPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil {
		return fmt.Errorf("run task payload: %w: %w", err, asynq.SkipRetry)
	}
	log := b.log.With("run", p.RunID)
	run, err := b.store.Run(ctx, p.RunID)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	}
	if err != nil {
		return err
	}
	if run.Status.Finished() {
		return nil
	}
	if run.CancelRequested {
		return b.finish(ctx, run.ID, store.RunCancelled, nil, nil)
	}
	def, err := b.catalog.Revision(ctx, run.Revision)
	if err != nil {
		return b.fail(ctx, run.ID, workflows.ClassPlatformError, "",
			fmt.Sprintf("找不到工作流 %s 的版本 %s：%v", run.Workflow, short(run.Revision), err),
			fmt.Sprintf("revision %s of workflow %s is not available: %v", short(run.Revision), run.Workflow, err),
			"请用当前版本重新发起构建。", "Rerun the build on the current revision.")
	}
	envRec, err := b.store.Environment(ctx, run.Environment)
	if errors.Is(err, store.ErrNotFound) {
		return b.fail(ctx, run.ID, workflows.ClassPlatformError, "",
			"环境 "+run.Environment+" 已不存在", "environment "+run.Environment+" no longer exists",
			"请选择一个现有环境重新发起构建。", "Rerun the build in an existing environment.")
	}
	if err != nil {
		return err
	}
	secrets, err := b.store.Secrets(envRec)
	if err != nil {
		return b.fail(ctx, run.ID, workflows.ClassPlatformError, "", "无法读取环境密钥："+err.Error(), "cannot read the environment's secrets: "+err.Error(),
			"请检查所有进程的 ZAOSHU_SECRET_KEY 是否一致。", "Check that every process has the same ZAOSHU_SECRET_KEY.")
	}
	// A run that waits, or that would walk into an environment another run
	// found down (its circuit is open), first checks the health probes.
	if run.Status == store.RunWaitingEnv || b.circuitOpen(ctx, envRec.Name) {
		if down := b.probe(ctx, envRec); down != "" {
			return b.park(ctx, run, envRec, down)
		}
		b.closeCircuit(ctx, envRec.Name)
		log.Info("environment is up; going on", "environment", envRec.Name)
	}
	inputs, err := b.store.RunInputs(run)
	if err != nil {
		return b.fail(ctx, run.ID, workflows.ClassPlatformError, "", "无法读取构建输入："+err.Error(), "cannot read the build's inputs: "+err.Error(), "", "")
	}
	records, err := b.store.StepRecords(ctx, run.ID)
	if err != nil {
		return err
	}
	if _, err := b.store.UpdateRun(ctx, run.ID, func(r *store.Run) error {
		now := time.Now().UTC()
		r.Status, r.WaitingService, r.WaitingSince = store.RunRunning, "", nil
		if r.StartedAt == nil {
			r.StartedAt = &now
		}
		return nil
	}); err != nil {
		if errors.Is(err, store.ErrRunFinished) {
			return nil
		}
		return err
	}

	stop := b.watchCancel(ctx, run.ID)
	engine := workflows.NewEngine(
		workflows.WithHTTPClient(&http.Client{Transport: b.transport(envRec)}),
		workflows.WithMaxParallel(b.opts.MaxParallel),
	)
	res := engine.Run(ctx, workflows.RunSpec{
		RunID: run.ID, Definition: def, Inputs: inputs, Environment: EngineEnvironment(envRec, secrets), Seed: run.Seed,
		Recorder: workflows.RecorderFunc(func(ctx context.Context, rec workflows.StepRecord) error {
			return b.store.AddStepRecord(ctx, toStoreRecord(rec))
		}),
		Previous: fromStoreRecords(records),
		Stop:     stop,
	})
	switch res.Status {
	case workflows.RunSucceeded:
		log.Info("build succeeded")
		return b.finish(ctx, run.ID, store.RunSucceeded, res.Outputs, nil)
	case workflows.RunCancelled:
		cur, err := b.store.Run(context.WithoutCancel(ctx), run.ID)
		if err == nil && cur.CancelRequested {
			return b.finish(context.WithoutCancel(ctx), run.ID, store.RunCancelled, nil, nil)
		}
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return b.fail(context.WithoutCancel(ctx), run.ID, workflows.ClassPlatformError, "",
				fmt.Sprintf("构建超过了时限 %s", b.opts.RunTimeout), fmt.Sprintf("the build exceeded its time limit of %s", b.opts.RunTimeout),
				"可以从失败的步骤重试。", "You can retry from the failed step.")
		}
		// The worker is shutting down: hand the run back; another worker resumes it.
		return ctx.Err()
	}
	f := res.Failure
	if f != nil && f.Class == workflows.ClassEnvUnavailable {
		return b.park(ctx, run, envRec, serviceOf(def, f))
	}
	log.Info("build failed", "class", f.Class, "step", f.Step)
	return b.finish(ctx, run.ID, store.RunFailed, nil, toRunFailure(f))
}

// watchCancel closes the returned channel when someone asks to cancel the
// run, so the engine stops at the next step boundary and runs finally steps.
func (b *Builds) watchCancel(ctx context.Context, id string) <-chan struct{} {
	stop := make(chan struct{})
	go func() {
		t := time.NewTicker(b.opts.CancelCheck)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			r, err := b.store.Run(ctx, id)
			if err == nil && (r.CancelRequested || r.Status.Finished()) {
				close(stop)
				return
			}
		}
	}()
	return stop
}

// park holds a run whose environment is down: it frees the worker slot and
// comes back after ProbeEvery, until the environment's patience runs out.
func (b *Builds) park(ctx context.Context, run *store.Run, envRec *store.Environment, service string) error {
	now := time.Now().UTC()
	since := now
	if run.WaitingSince != nil {
		since = *run.WaitingSince
	}
	if now.Sub(since) > envRec.Patience {
		return b.fail(ctx, run.ID, workflows.ClassEnvUnavailable, "",
			fmt.Sprintf("环境 %s 的服务 %s 自 %s 起不可用，已等待 %s，构建放弃", envRec.Name, service, since.Local().Format("2006-01-02 15:04:05"), envRec.Patience),
			fmt.Sprintf("service %s of environment %s has been down since %s; gave up after waiting %s", service, envRec.Name, since.Local().Format("2006-01-02 15:04:05"), envRec.Patience),
			"请联系环境负责人确认环境状态，恢复后从失败的步骤重试。", "Ask the environment owner about it; once it is back, retry from the failed step.")
	}
	if _, err := b.store.UpdateRun(ctx, run.ID, func(r *store.Run) error {
		r.Status, r.WaitingService, r.WaitingSince = store.RunWaitingEnv, service, &since
		return nil
	}); err != nil {
		if errors.Is(err, store.ErrRunFinished) {
			return nil
		}
		return err
	}
	b.openCircuit(ctx, envRec.Name)
	b.log.Info("waiting for environment", "run", run.ID, "environment", envRec.Name, "service", service, "since", since)
	return &parked{delay: b.opts.ProbeEvery}
}

func (b *Builds) circuitKey(env string) string {
	return "zaoshu:" + b.client.ns.Queue("circuit") + ":" + env
}

// openCircuit marks an environment as down for every worker, until a probe
// finds it up or the mark expires.
func (b *Builds) openCircuit(ctx context.Context, env string) {
	b.client.redis.client.Set(ctx, b.circuitKey(env), time.Now().UTC().Format(time.RFC3339), 10*b.opts.ProbeEvery)
}

func (b *Builds) closeCircuit(ctx context.Context, env string) {
	b.client.redis.client.Del(ctx, b.circuitKey(env))
}

func (b *Builds) circuitOpen(ctx context.Context, env string) bool {
	n, err := b.client.redis.client.Exists(ctx, b.circuitKey(env)).Result()
	return err == nil && n > 0
}

// probe checks every service's health probe and returns the first one down,
// or "" when all answer.
func (b *Builds) probe(ctx context.Context, envRec *store.Environment) string {
	client := &http.Client{Transport: b.opts.HTTP, Timeout: 5 * time.Second}
	for name, svc := range envRec.Services {
		if svc.Health == nil {
			continue
		}
		method := svc.Health.Method
		if method == "" {
			method = http.MethodGet
		}
		req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(svc.BaseURL, "/")+svc.Health.Path, nil)
		if err != nil {
			return name
		}
		res, err := client.Do(req)
		if err != nil {
			return name
		}
		_ = res.Body.Close()
		ok := res.StatusCode >= 200 && res.StatusCode < 300
		if svc.Health.ExpectStatus != 0 {
			ok = res.StatusCode == svc.Health.ExpectStatus
		}
		if !ok {
			return name
		}
	}
	return ""
}

// transport is how a run reaches its environment: only to the environment's
// own hosts, and within its concurrency cap across all workers.
func (b *Builds) transport(envRec *store.Environment) http.RoundTripper {
	hosts := map[string]bool{}
	for _, svc := range envRec.Services {
		if u, err := url.Parse(svc.BaseURL); err == nil {
			hosts[u.Host] = true
		}
	}
	guarded := hostGuard{hosts: hosts, env: envRec.Name, base: b.opts.HTTP}
	return b.limiter.Transport(guarded, envRec.Name, envRec.Concurrency)
}

// ErrForeignHost is a request to a host the environment does not list.
var ErrForeignHost = errors.New("host is not part of the environment")

type hostGuard struct {
	hosts map[string]bool
	env   string
	base  http.RoundTripper
}

func (g hostGuard) RoundTrip(req *http.Request) (*http.Response, error) {
	if !g.hosts[req.URL.Host] {
		return nil, fmt.Errorf("%s: %w %s", req.URL.Host, ErrForeignHost, g.env)
	}
	return g.base.RoundTrip(req)
}

// EngineEnvironment turns a stored environment into the engine's view of it.
func EngineEnvironment(e *store.Environment, secrets map[string]string) *workflows.Environment {
	env := &workflows.Environment{Name: e.Name, Services: map[string]workflows.Service{}, Secrets: secrets}
	for name, s := range e.Services {
		svc := workflows.Service{BaseURL: s.BaseURL, Headers: s.Headers}
		if d, err := time.ParseDuration(s.Timeout); err == nil {
			svc.Timeout = d
		}
		if s.TLS != nil {
			svc.TLS = &workflows.TLSOptions{CACertPEM: s.TLS.CACertPEM, ServerName: s.TLS.ServerName, InsecureSkipVerify: s.TLS.InsecureSkipVerify}
		}
		env.Services[name] = svc
	}
	return env
}

// serviceOf names the service the failed step calls, for "waiting for X".
func serviceOf(def *workflows.Definition, f *workflows.Failure) string {
	if st := findStep(def, strings.Split(f.Step, "/")); st != nil && st.Request != nil {
		return st.Request.Service
	}
	return "?"
}

func findStep(def *workflows.Definition, path []string) *workflows.Step {
	if def == nil || len(path) == 0 {
		return nil
	}
	for _, steps := range [][]*workflows.Step{def.Steps, def.Finally} {
		for _, st := range steps {
			if st.ID != path[0] {
				continue
			}
			if len(path) == 1 {
				return st
			}
			return findStep(st.Fragment, path[1:])
		}
	}
	return nil
}

func (b *Builds) finish(ctx context.Context, id string, status store.RunStatus, outputs map[string]any, f *store.RunFailure) error {
	r, err := b.store.UpdateRun(ctx, id, func(r *store.Run) error {
		r.Status, r.Outputs, r.Failure = status, outputs, f
		r.WaitingService, r.WaitingSince = "", nil
		if f != nil {
			r.FailureClass = f.Class
		}
		return nil
	})
	if errors.Is(err, store.ErrRunFinished) {
		return nil
	}
	if err == nil {
		b.notify(ctx, r)
	}
	return err
}

func (b *Builds) fail(ctx context.Context, id string, class workflows.Class, step, zh, en, hintZh, hintEn string) error {
	return b.finish(ctx, id, store.RunFailed, nil, &store.RunFailure{Class: string(class), Step: step,
		MessageZh: zh, MessageEn: en, HintZh: hintZh, HintEn: hintEn})
}

func toRunFailure(f *workflows.Failure) *store.RunFailure {
	return &store.RunFailure{Class: string(f.Class), Step: f.Step, MessageZh: f.Message.Zh, MessageEn: f.Message.En,
		HintZh: f.Hint.Zh, HintEn: f.Hint.En, RequestID: f.RequestID}
}

func toStoreRecord(r workflows.StepRecord) *store.StepRecord {
	out := &store.StepRecord{RunID: r.RunID, Step: r.Step, Iteration: r.Iteration, Attempt: r.Attempt, Status: string(r.Status),
		StartedAt: r.StartedAt, EndedAt: r.EndedAt, RequestID: r.RequestID, HTTPStatus: r.HTTPStatus, Polls: r.Polls,
		Request: r.Request, Response: r.Response, Captures: r.Captures}
	if r.Failure != nil {
		b, _ := json.Marshal(r.Failure)
		out.Failure = string(b)
	}
	return out
}

func fromStoreRecords(recs []store.StepRecord) []workflows.StepRecord {
	out := make([]workflows.StepRecord, 0, len(recs))
	for _, r := range recs {
		w := workflows.StepRecord{RunID: r.RunID, Step: r.Step, Iteration: r.Iteration, Attempt: r.Attempt, Status: workflows.StepStatus(r.Status),
			StartedAt: r.StartedAt, EndedAt: r.EndedAt, RequestID: r.RequestID, HTTPStatus: r.HTTPStatus, Polls: r.Polls,
			Request: r.Request, Response: r.Response, Captures: r.Captures}
		if r.Failure != "" {
			w.Failure = &workflows.Failure{}
			_ = json.Unmarshal([]byte(r.Failure), w.Failure)
		}
		out = append(out, w)
	}
	return out
}

func short(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return rev
}
