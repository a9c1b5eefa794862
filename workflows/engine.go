package workflows

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"time"
)

// Engine runs workflow definitions over HTTP. One engine serves many runs at once.
type Engine struct {
	http           *http.Client
	maxParallel    int
	recordLimit    int
	requestTimeout time.Duration
	now            func() time.Time
	envPatterns    []string
	maskFields     *regexp.Regexp
}

// Option configures an Engine.
type Option func(*Engine)

// WithHTTPClient sets the HTTP client requests go through.
func WithHTTPClient(c *http.Client) Option { return func(e *Engine) { e.http = c } }

// WithMaxParallel caps the requests one run has in flight (default 5: some
// back offices refuse more).
func WithMaxParallel(n int) Option {
	return func(e *Engine) {
		if n > 0 {
			e.maxParallel = n
		}
	}
}

// WithRecordLimit caps the bytes of request and response kept in a record (default 16 KiB).
func WithRecordLimit(bytes int) Option { return func(e *Engine) { e.recordLimit = bytes } }

// WithRequestTimeout sets the timeout of a request whose step and service set none (default 30s).
func WithRequestTimeout(d time.Duration) Option { return func(e *Engine) { e.requestTimeout = d } }

// WithClock sets the clock that stamps records.
func WithClock(now func() time.Time) Option { return func(e *Engine) { e.now = now } }

// WithEnvUnavailablePatterns replaces the phrases that mark a product's
// refusal as the environment being unavailable (clearing, maintenance).
func WithEnvUnavailablePatterns(p ...string) Option { return func(e *Engine) { e.envPatterns = p } }

// NewEngine returns an engine with the given options.
func NewEngine(opts ...Option) *Engine {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	e := &Engine{
		http:           &http.Client{Transport: t},
		maxParallel:    5,
		recordLimit:    16 << 10,
		requestTimeout: 30 * time.Second,
		now:            time.Now,
		envPatterns:    []string{"清算", "非交易时段", "系统维护", "系统繁忙"},
		maskFields:     regexp.MustCompile(`(?i)("[a-z_]*(?:password|passwd|pwd|secret)[a-z_]*"\s*:\s*)"[^"]*"`),
	}
	for _, o := range opts {
		o(e)
	}
	return e
}

// RunSpec is everything one run needs.
type RunSpec struct {
	RunID      string
	Definition *Definition
	// Inputs are the resolved inputs (see ValidateInputs).
	Inputs      map[string]any
	Environment *Environment
	// Seed makes fake data in expressions repeatable, so a resumed run
	// computes the same values.
	Seed     int64
	Recorder Recorder
	// Previous are the records of an earlier attempt of this run: steps that
	// succeeded there are not sent again, their captures are reused.
	Previous []StepRecord
	// OnEvent, if set, is told of every step as it starts and ends; calls are
	// serialized.
	OnEvent func(Event)
	// Stop, when closed, stops the run gracefully: no new step, loop item,
	// retry or poll starts, requests in flight finish (they are real calls to
	// a business system), then finally runs with run.status 'cancelled' and
	// the run ends as cancelled. A stop that comes once every step has ended
	// changes nothing, and finally itself always runs whole. Cancelling the
	// context instead stops at once: requests are abandoned, finally does not run.
	Stop <-chan struct{}
}

// RunStatus is how a run ended.
type RunStatus string

// Run statuses.
const (
	RunSucceeded RunStatus = "succeeded"
	RunFailed    RunStatus = "failed"
	RunCancelled RunStatus = "cancelled"
)

// Result is the end of a run.
type Result struct {
	RunID     string         `json:"run_id"`
	Revision  string         `json:"revision"`
	Status    RunStatus      `json:"status"`
	Outputs   map[string]any `json:"outputs,omitempty"`
	Failure   *Failure       `json:"failure,omitempty"`
	StartedAt time.Time      `json:"started_at"`
	EndedAt   time.Time      `json:"ended_at"`
}

// Err is nil for a succeeded run, ErrCancelled for a cancelled one, and the
// *Failure otherwise.
func (r Result) Err() error {
	switch r.Status {
	case RunSucceeded:
		return nil
	case RunCancelled:
		return ErrCancelled
	}
	return r.Failure
}

// Run executes spec. It returns when the run ends, once finally has run after
// spec.Stop is closed, or promptly after ctx is cancelled.
func (e *Engine) Run(ctx context.Context, spec RunSpec) (res Result) {
	defer func() { res.EndedAt = e.now() }()
	res = Result{RunID: spec.RunID, StartedAt: e.now(), Status: RunFailed}
	if spec.Definition == nil {
		res.Failure = platformFailure("", errors.New("run without a definition"))
		return res
	}
	if spec.Environment == nil {
		spec.Environment = &Environment{}
	}
	res.Revision = spec.Definition.Revision
	r := e.newRun(spec)
	defer r.close()
	if err := spec.Environment.Check(spec.Definition); err != nil {
		res.Status, res.Failure = RunFailed, &Failure{Class: ClassPlatformError, Message: textf("环境配置不完整：%v", "the environment is incomplete: %v", err, err), Hint: Text{Zh: "请在环境设置中补上缺少的服务地址。", En: "Add the missing service addresses to the environment."}}
		return res
	}
	runCtx := ctx
	if spec.Definition.Timeout > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithTimeout(ctx, spec.Definition.Timeout)
		defer cancel()
	}
	top := &frame{def: spec.Definition, inputs: spec.Inputs, captures: map[string]map[string]any{}, stop: spec.Stop}
	failure := r.graph(runCtx, top, spec.Definition.Steps)
	// the graph fails when a stop kept a step from starting; a step that was
	// in flight may also have failed as it finished, which the run does not
	// report: its record does
	stoppedEarly := failure != nil && closed(spec.Stop)
	if failure == nil && runCtx.Err() == nil {
		outputs, f := r.outputs(spec.Definition.Outputs, r.scope(top))
		res.Outputs, failure = outputs, f
	}
	if ctx.Err() != nil {
		res.Status = RunCancelled
		return res
	}
	if runCtx.Err() != nil && !stoppedEarly {
		// steps cut short by the run's own deadline report the deadline
		failure = &Failure{Class: ClassEnvUnavailable, Retryable: true, Message: textf("运行超过了时限 %s", "the run exceeded its timeout of %s", spec.Definition.Timeout, spec.Definition.Timeout), Hint: defaultHint(ClassEnvUnavailable)}
	}
	if len(spec.Definition.Finally) > 0 {
		status := RunSucceeded
		switch {
		case stoppedEarly:
			status = RunCancelled
		case failure != nil:
			status = RunFailed
		}
		top.status = status
		// finally is the clean-up a stop asks for: it runs whole
		top.stop = nil
		if f := r.graph(ctx, top, spec.Definition.Finally); f != nil && failure == nil {
			failure = f
		}
		if ctx.Err() != nil {
			res.Status = RunCancelled
			return res
		}
	}
	if stoppedEarly {
		res.Status = RunCancelled
		return res
	}
	if failure != nil {
		res.Status, res.Failure, res.Outputs = RunFailed, r.mask.failure(failure), nil
		return res
	}
	res.Status = RunSucceeded
	return res
}
