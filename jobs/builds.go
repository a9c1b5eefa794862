package jobs

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"time"

	"github.com/hibiken/asynq"

	"github.com/zaoshu/zaoshu/store"
	"github.com/zaoshu/zaoshu/workflows"
	"github.com/zaoshu/zaoshu/workflows/fake"
)

// TypeRun executes one build; its task id is the run id.
const TypeRun = "run:execute"

type runPayload struct {
	RunID string `json:"run_id"`
}

// Catalog is where builds find workflow definitions.
type Catalog interface {
	// Workflow returns the current definition of a runnable workflow.
	Workflow(name string) (*workflows.Definition, error)
	// Revision returns exactly the definition a run pinned when it started.
	Revision(ctx context.Context, revision string) (*workflows.Definition, error)
}

// Errors Submit returns before anything is recorded; callers branch on them.
var (
	ErrWorkflowNotFound    = errors.New("workflow not found")
	ErrEnvironmentNotFound = errors.New("environment not found")
	ErrEnvironmentGuarded  = errors.New("environment is protected")
	ErrEnvironmentBroken   = errors.New("environment does not configure the workflow's services")
)

// Sources of a build request.
const (
	SourceUI       = "ui"
	SourceAPI      = "api"
	SourceCLI      = "cli"
	SourceSchedule = "schedule"
)

// BuildOptions tune how builds run.
type BuildOptions struct {
	// ProbeEvery is how often a run waiting for its environment checks it again.
	ProbeEvery time.Duration
	// RunTimeout bounds one execution of a run (the task's timeout).
	RunTimeout time.Duration
	// MaxParallel caps the steps of one run in flight at once.
	MaxParallel int
	// HTTP is the base transport for calls to business APIs.
	HTTP http.RoundTripper
	// CancelCheck is how often a running build looks for a cancel request.
	CancelCheck time.Duration
}

// Builds accepts build requests and runs them on the workers.
type Builds struct {
	store   *store.Store
	client  *Client
	catalog Catalog
	limiter *Limiter
	log     *slog.Logger
	opts    BuildOptions
}

// NewBuilds wires builds to the store, the queue and the workflows.
func NewBuilds(st *store.Store, r *Redis, ns Namespace, catalog Catalog, log *slog.Logger, opts BuildOptions) *Builds {
	if opts.ProbeEvery <= 0 {
		opts.ProbeEvery = 5 * time.Second
	}
	if opts.RunTimeout <= 0 {
		opts.RunTimeout = 30 * time.Minute
	}
	if opts.CancelCheck <= 0 {
		opts.CancelCheck = 500 * time.Millisecond
	}
	if opts.HTTP == nil {
		opts.HTTP = http.DefaultTransport
	}
	return &Builds{store: st, client: NewClient(r, ns), catalog: catalog, limiter: NewLimiter(r, ns, 2*time.Minute),
		log: log.With("component", "builds"), opts: opts}
}

// Close releases the queue client.
func (b *Builds) Close() error { return b.client.Close() }

// Request asks for one build.
type Request struct {
	Workflow    string
	Environment string
	Inputs      map[string]any
	// Seed makes generated inputs repeatable; 0 picks one.
	Seed        int64
	Source      string
	RequestedBy uint64
	Ticket      string
	Labels      []string
	// Queue overrides the queue chosen from the source.
	Queue string
	// AllowProtected must be set to build in a protected environment.
	AllowProtected bool
	// Callback, if set, is told when the run ends.
	Callback *Callback
}

func queueFor(source string) string {
	switch source {
	case SourceUI:
		return QueueCritical
	case SourceSchedule:
		return QueueLow
	default:
		return QueueDefault
	}
}

func newSeed() int64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	if s := int64(binary.BigEndian.Uint64(b[:]) >> 1); s != 0 {
		return s
	}
	return 1
}

// Submit checks a request, records the run and queues it. Bad input is
// refused before anything is recorded or called, with every problem at once
// (workflows.InputErrors); once recorded, the run exists whatever happens.
func (b *Builds) Submit(ctx context.Context, req Request) (*store.Run, error) {
	def, envRec, err := b.check(ctx, req)
	if err != nil {
		return nil, err
	}
	if err := CheckCallback(req.Callback); err != nil {
		return nil, err
	}
	queue := req.Queue
	if queue == "" {
		queue = queueFor(req.Source)
	}
	run, problems, err := b.prepare(def, envRec, req, queue, req.Inputs, req.Seed)
	if len(problems) > 0 {
		return nil, problems
	}
	if err != nil {
		return nil, err
	}
	if req.Callback != nil {
		run.CallbackURL = req.Callback.URL
		if err := b.store.SealCallbackSecret(run, req.Callback.Secret); err != nil {
			return nil, err
		}
	}
	if err := b.store.CreateRun(ctx, run); err != nil {
		return nil, err
	}
	if err := b.enqueue(ctx, run, 0); err != nil {
		// The run is recorded: say why it never started rather than lose it.
		_, _ = b.store.UpdateRun(context.WithoutCancel(ctx), run.ID, func(r *store.Run) error {
			r.Status, r.FailureClass = store.RunFailed, string(workflows.ClassPlatformError)
			r.Failure = &store.RunFailure{Class: r.FailureClass,
				MessageZh: "无法把构建放入任务队列：" + err.Error(), MessageEn: "could not queue the build: " + err.Error(),
				HintZh: "请检查 Redis 是否可用，然后重试。", HintEn: "Check that Redis is available, then retry."}
			return nil
		})
		return run, err
	}
	return run, nil
}

// check finds the workflow and the environment of a request and makes sure
// one can run in the other.
func (b *Builds) check(ctx context.Context, req Request) (*workflows.Definition, *store.Environment, error) {
	def, err := b.catalog.Workflow(req.Workflow)
	if err != nil {
		if !errors.Is(err, ErrWorkflowNotFound) {
			err = fmt.Errorf("%w: %w", ErrWorkflowNotFound, err)
		}
		return nil, nil, err
	}
	envRec, err := b.store.Environment(ctx, req.Environment)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, fmt.Errorf("%w: %s", ErrEnvironmentNotFound, req.Environment)
	}
	if err != nil {
		return nil, nil, err
	}
	if envRec.Protected && !req.AllowProtected {
		return nil, nil, fmt.Errorf("%w: %s", ErrEnvironmentGuarded, envRec.Name)
	}
	if err := EngineEnvironment(envRec, nil).Check(def); err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrEnvironmentBroken, err)
	}
	return def, envRec, nil
}

// prepare checks one input set (generated values come from seed, or a new
// one) and makes the run that builds it, with its inputs sealed; nothing is
// recorded yet.
func (b *Builds) prepare(def *workflows.Definition, envRec *store.Environment, req Request, queue string, submitted map[string]any, seed int64) (*store.Run, workflows.InputErrors, error) {
	if seed == 0 {
		seed = newSeed()
	}
	inputs, problems := workflows.ValidateInputs(def, submitted, fake.New(seed))
	if len(problems) > 0 {
		return nil, problems, nil
	}
	run := &store.Run{
		ID: store.NewRunID(), Workflow: def.Name, Revision: def.Revision, Environment: envRec.Name,
		Source: req.Source, Queue: queue, RequestedBy: req.RequestedBy, Ticket: req.Ticket, Labels: req.Labels,
		Inputs: maskInputs(def, inputs), Seed: seed, Given: given(submitted),
	}
	if err := b.store.SealInputs(run, inputs); err != nil {
		return nil, nil, err
	}
	return run, nil, nil
}

// given lists the inputs a request set.
func given(inputs map[string]any) []string {
	names := make([]string, 0, len(inputs))
	for k := range inputs {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// maskInputs hides the values of sensitive inputs for display.
func maskInputs(def *workflows.Definition, inputs map[string]any) map[string]any {
	out := make(map[string]any, len(inputs))
	for k, v := range inputs {
		if in := def.Input(k); in != nil && in.Sensitive {
			v = "***"
		}
		out[k] = v
	}
	return out
}

func (b *Builds) enqueue(ctx context.Context, run *store.Run, delay time.Duration) error {
	payload, err := json.Marshal(runPayload{RunID: run.ID})
	if err != nil {
		return err
	}
	opts := []asynq.Option{asynq.TaskID(run.ID), asynq.MaxRetry(maxRunAttempts), asynq.Timeout(b.opts.RunTimeout)}
	if delay > 0 {
		opts = append(opts, asynq.ProcessIn(delay))
	}
	_, err = b.client.Enqueue(ctx, asynq.NewTask(TypeRun, payload), run.Queue, opts...)
	if errors.Is(err, asynq.ErrTaskIDConflict) {
		return nil // already queued
	}
	return err
}

// maxRunAttempts bounds how often asynq hands a run back: parking while the
// environment is down, a worker's crash or shutdown. Patience, not this
// number, decides when a waiting run gives up.
const maxRunAttempts = 100000
