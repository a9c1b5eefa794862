package workflows

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/go-resty/resty/v2"

	"github.com/zaoshu/zaoshu/workflows/fake"
)

// run is the state of one Run call.
type run struct {
	e        *Engine
	spec     RunSpec
	faker    *fake.Faker
	fake     map[string]any
	secrets  map[string]string
	mask     *masker
	sem      chan struct{}
	traceID  string
	previous map[string]StepRecord
	attempts map[string]int
	eventMu  sync.Mutex
	clientMu sync.Mutex
	clients  map[string]*resty.Client
	closers  []func()
	runVars  map[string]any
}

func (e *Engine) newRun(spec RunSpec) *run {
	secrets := map[string]string{}
	var masked []string
	for k, v := range spec.Environment.Secrets {
		secrets[k] = v
		masked = append(masked, v)
	}
	for _, in := range spec.Definition.Inputs {
		if s, ok := spec.Inputs[in.Name].(string); ok && in.Sensitive {
			masked = append(masked, s)
		}
	}
	sum := sha256.Sum256([]byte(spec.RunID))
	faker := fake.New(spec.Seed)
	r := &run{
		faker:    faker,
		e:        e,
		spec:     spec,
		fake:     faker.Functions(),
		secrets:  secrets,
		mask:     newMasker(masked, e.maskFields),
		sem:      make(chan struct{}, e.maxParallel),
		traceID:  hex.EncodeToString(sum[:16]),
		previous: map[string]StepRecord{},
		attempts: map[string]int{},
		clients:  map[string]*resty.Client{},
	}
	r.runVars = map[string]any{"id": spec.RunID, "workflow": spec.Definition.Name, "revision": spec.Definition.Revision, "environment": spec.Environment.Name, "seed": spec.Seed}
	for _, rec := range spec.Previous {
		k := rec.key()
		if rec.Attempt > r.attempts[k] {
			r.attempts[k] = rec.Attempt
		}
		if rec.Status == StepSucceeded || rec.Status == StepSkipped {
			r.previous[k] = rec
		}
	}
	return r
}

func (r *run) close() {
	r.clientMu.Lock()
	defer r.clientMu.Unlock()
	for _, c := range r.closers {
		c()
	}
}

func (r *run) emit(ev Event) {
	if r.spec.OnEvent == nil {
		return
	}
	ev.RunID = r.spec.RunID
	ev.Time = r.e.now()
	r.eventMu.Lock()
	defer r.eventMu.Unlock()
	r.spec.OnEvent(ev)
}

func (r *run) secret(name string) (string, error) {
	v, ok := r.secrets[name]
	if !ok {
		return "", fmt.Errorf("environment has no secret %q", name)
	}
	return v, nil
}

// frame is one workflow or fragment invocation: its inputs and its steps' captures.
type frame struct {
	def    *Definition
	prefix string
	iter   string
	inputs map[string]any
	status RunStatus
	// stop is RunSpec.Stop for the steps, nil for finally.
	stop <-chan struct{}
	mu   sync.Mutex
	// captures of finished steps by id; a step's map is never changed once set.
	captures map[string]map[string]any
}

func (f *frame) setCaptures(id string, caps map[string]any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.captures[id] = caps
}

func (r *run) scope(f *frame) *scope {
	f.mu.Lock()
	steps := make(map[string]any, len(f.def.Steps)+len(f.def.Finally))
	for _, group := range [][]*Step{f.def.Steps, f.def.Finally} {
		for _, st := range group {
			if caps, ok := f.captures[st.ID]; ok {
				steps[st.ID] = caps
			} else {
				// a step skipped or not run reads as having captured nothing,
				// so steps.x.y ?? 'default' works
				steps[st.ID] = map[string]any{}
			}
		}
	}
	f.mu.Unlock()
	runVars := r.runVars
	if f.status != "" {
		runVars = make(map[string]any, len(r.runVars)+1)
		for k, v := range r.runVars {
			runVars[k] = v
		}
		runVars["status"] = string(f.status)
	}
	return &scope{Inputs: f.inputs, Steps: steps, Secrets: r.secrets, Secret: r.secret, Fake: r.fake, Run: runVars}
}

// graph runs a group of steps in dependency order, independent steps in
// parallel. After the first failure, or once f.stop is closed, no further
// step starts; steps in flight finish. A stop that kept a step from starting
// is a failure of the group.
func (r *run) graph(ctx context.Context, f *frame, steps []*Step) *Failure {
	done := make(map[string]chan struct{}, len(steps))
	for _, st := range steps {
		done[st.ID] = make(chan struct{})
	}
	stop := make(chan struct{})
	var (
		wg       sync.WaitGroup
		once     sync.Once
		failMu   sync.Mutex
		firstErr *Failure
		halted   atomic.Bool
	)
	for _, st := range steps {
		wg.Add(1)
		go func(st *Step) {
			defer wg.Done()
			defer close(done[st.ID])
			for _, d := range st.Deps {
				select {
				case <-done[d]:
				case <-stop:
					return
				case <-ctx.Done():
					return
				case <-f.stop:
					halted.Store(true)
					return
				}
			}
			if closed(stop) || ctx.Err() != nil {
				return
			}
			if closed(f.stop) {
				halted.Store(true)
				return
			}
			if fail := r.safely(f.prefix+st.ID, func() *Failure { return r.step(ctx, f, st) }); fail != nil {
				failMu.Lock()
				if firstErr == nil {
					firstErr = fail
				}
				failMu.Unlock()
				once.Do(func() { close(stop) })
			}
		}(st)
	}
	wg.Wait()
	if firstErr == nil && halted.Load() {
		return stoppedFailure(f.prefix)
	}
	return firstErr
}

// closed reports whether ch is closed; a nil channel never is.
func closed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// safely runs fn, turning a panic — a bug of ours — into a platform error
// rather than taking the worker and every other run down with it.
func (r *run) safely(step string, fn func() *Failure) (fail *Failure) {
	defer func() {
		if p := recover(); p != nil {
			fail = platformFailure(step, fmt.Errorf("panic: %v", p))
		}
	}()
	return fn()
}

func joinIter(base string, i int) string {
	if base == "" {
		return strconv.Itoa(i)
	}
	return base + "." + strconv.Itoa(i)
}

// step runs one step: its condition, its loop, its body.
func (r *run) step(ctx context.Context, f *frame, st *Step) *Failure {
	path := f.prefix + st.ID
	sc := r.scope(f)
	if st.When != nil {
		ok, err := st.When.test(sc)
		if err != nil {
			return r.recordFailure(ctx, path, f.iter, workflowFailure(err))
		}
		if !ok {
			if _, done := r.previous[recordKey(path, f.iter)]; !done {
				now := r.e.now()
				rec := StepRecord{RunID: r.spec.RunID, Step: path, Iteration: f.iter, Attempt: 1, Status: StepSkipped, StartedAt: now, EndedAt: now}
				if err := r.record(ctx, rec); err != nil {
					return platformFailure(path, err)
				}
			}
			return nil
		}
	}
	if st.ForEach == nil {
		caps, fail := r.body(ctx, f, st, sc, f.iter)
		if fail == nil {
			f.setCaptures(st.ID, caps)
		}
		return fail
	}
	out, err := st.ForEach.eval(sc)
	if err != nil {
		return r.recordFailure(ctx, path, f.iter, workflowFailure(err))
	}
	items, ok := out.([]any)
	if !ok && out != nil {
		return r.recordFailure(ctx, path, f.iter, workflowFailure(&ExprError{Expr: st.ForEach, Err: fmt.Errorf("for_each needs a list, got %s", describe(out))}))
	}
	results := make([]map[string]any, len(items))
	fail := r.iterate(ctx, f.stop, st.Concurrency, len(items), func(i int) *Failure {
		isc := *sc
		isc.Item, isc.Index = items[i], i
		caps, fail := r.body(ctx, f, st, &isc, joinIter(f.iter, i))
		results[i] = caps
		return fail
	})
	if fail != nil {
		return fail
	}
	lists := map[string]any{}
	for _, name := range st.Captures() {
		list := make([]any, len(results))
		for i, caps := range results {
			list[i] = caps[name]
		}
		lists[name] = list
	}
	f.setCaptures(st.ID, lists)
	return nil
}

// iterate runs n iterations, at most concurrency at once, stopping at the
// first failure or when stop is closed.
func (r *run) iterate(ctx context.Context, stop <-chan struct{}, concurrency, n int, fn func(i int) *Failure) *Failure {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first *Failure
	)
	slots := make(chan struct{}, max(1, concurrency))
	for i := 0; i < n; i++ {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
		case <-stop:
		}
		halted := closed(stop)
		mu.Lock()
		failed := first != nil
		if !failed && halted {
			first = stoppedFailure("")
		}
		mu.Unlock()
		if failed || halted || ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			defer func() { <-slots }()
			if fail := r.safely("", func() *Failure { return fn(i) }); fail != nil {
				mu.Lock()
				if first == nil {
					first = fail
				}
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()
	return first
}

// body runs what a step does once: a fragment, a request or a computation.
func (r *run) body(ctx context.Context, f *frame, st *Step, sc *scope, iter string) (map[string]any, *Failure) {
	path := f.prefix + st.ID
	if prev, ok := r.previous[recordKey(path, iter)]; ok {
		r.emit(Event{Kind: EventStepResumed, Step: path, Iteration: iter, Attempt: prev.Attempt, Record: &prev})
		return prev.Captures, nil
	}
	switch {
	case st.Fragment != nil:
		return r.fragment(ctx, f, st, sc, path, iter)
	case st.Request != nil:
		return r.request(ctx, f, st, sc, path, iter)
	}
	start := r.e.now()
	caps, fail := r.captures(st, sc)
	return caps, r.finish(ctx, StepRecord{RunID: r.spec.RunID, Step: path, Iteration: iter, Attempt: r.attempts[recordKey(path, iter)] + 1, StartedAt: start}, caps, fail)
}

// finish records an attempt that sent no request.
func (r *run) finish(ctx context.Context, rec StepRecord, caps map[string]any, fail *Failure) *Failure {
	rec.EndedAt = r.e.now()
	rec.Captures = caps
	if fail != nil {
		fail.Step, fail.Iteration = rec.Step, rec.Iteration
	}
	rec.Status, rec.Failure = r.outcome(ctx, fail)
	if err := r.record(ctx, rec); err != nil {
		return platformFailure(rec.Step, err)
	}
	return fail
}

func (r *run) recordFailure(ctx context.Context, path, iter string, fail *Failure) *Failure {
	now := r.e.now()
	return r.finish(ctx, StepRecord{RunID: r.spec.RunID, Step: path, Iteration: iter, Attempt: r.attempts[recordKey(path, iter)] + 1, StartedAt: now}, nil, fail)
}

// outcome is the status of an attempt: a failure caused by cancellation is
// not the step's fault and is recorded as cancelled.
func (r *run) outcome(ctx context.Context, fail *Failure) (StepStatus, *Failure) {
	switch {
	case fail == nil:
		return StepSucceeded, nil
	case fail.stopped:
		return StepCancelled, nil
	case ctx.Err() != nil && errors.Is(ctx.Err(), context.Canceled):
		return StepCancelled, nil
	}
	return StepFailed, fail
}

// record masks and stores a record, then tells the watcher.
func (r *run) record(ctx context.Context, rec StepRecord) error {
	rec.Request = truncate(r.mask.text(rec.Request), r.e.recordLimit)
	rec.Response = truncate(r.mask.text(rec.Response), r.e.recordLimit)
	if rec.Captures != nil {
		rec.Captures = r.mask.value(rec.Captures).(map[string]any)
	}
	rec.Failure = r.mask.failure(rec.Failure)
	if r.spec.Recorder != nil {
		if err := r.spec.Recorder.RecordStep(context.WithoutCancel(ctx), rec); err != nil {
			return fmt.Errorf("record step %s attempt %d: %w", rec.Step, rec.Attempt, err)
		}
	}
	r.emit(Event{Kind: EventStepFinished, Step: rec.Step, Iteration: rec.Iteration, Attempt: rec.Attempt, Record: &rec})
	return nil
}

// fragment runs a uses step: the fragment's steps in a frame of their own.
func (r *run) fragment(ctx context.Context, f *frame, st *Step, sc *scope, path, iter string) (map[string]any, *Failure) {
	start := r.e.now()
	attempt := r.attempts[recordKey(path, iter)] + 1
	r.emit(Event{Kind: EventStepStarted, Step: path, Iteration: iter, Attempt: attempt})
	inputs := map[string]any{}
	for _, w := range st.With {
		v, err := w.Value.eval(sc)
		if err != nil {
			return nil, r.recordFailure(ctx, path, iter, workflowFailure(err))
		}
		inputs[w.Name] = v
	}
	resolved, problems := ValidateInputs(st.Fragment, inputs, r.faker)
	if len(problems) > 0 {
		fail := &Failure{Class: ClassWorkflowError, Message: textf("传给片段 %s 的输入有误：%s", "inputs passed to fragment %s are wrong: %s", st.Uses, problems.Format("zh"), st.Uses, problems.Format("en")), Hint: defaultHint(ClassWorkflowError), Pos: &st.Pos}
		return nil, r.recordFailure(ctx, path, iter, fail)
	}
	inner := &frame{def: st.Fragment, prefix: path + "/", iter: iter, inputs: resolved, captures: map[string]map[string]any{}, stop: f.stop}
	if fail := r.graph(ctx, inner, st.Fragment.Steps); fail != nil {
		return nil, fail
	}
	if ctx.Err() != nil {
		return nil, cancelledFailure(path)
	}
	caps, fail := r.outputs(st.Fragment.Outputs, r.scope(inner))
	return caps, r.finish(ctx, StepRecord{RunID: r.spec.RunID, Step: path, Iteration: iter, Attempt: attempt, StartedAt: start}, caps, fail)
}

func (r *run) outputs(outputs []*Output, sc *scope) (map[string]any, *Failure) {
	out := make(map[string]any, len(outputs))
	for _, o := range outputs {
		v, err := o.Value.eval(sc)
		if err != nil {
			return nil, workflowFailure(err)
		}
		out[o.Name] = v
	}
	return out, nil
}

// captures evaluates a step's captures; a missing value fails the step.
func (r *run) captures(st *Step, sc *scope) (map[string]any, *Failure) {
	caps := make(map[string]any, len(st.Capture))
	for _, c := range st.Capture {
		if c.Value.expr == nil {
			continue
		}
		v, err := c.Value.eval(sc)
		if err != nil {
			return nil, workflowFailure(err)
		}
		if v == nil {
			return nil, &Failure{Class: ClassAssertionFailed, Message: textf("捕获 %s 没有取到值：%s 为空", "capture %s got nothing: %s is null", c.Name, c.Value.expr.Source, c.Name, c.Value.expr.Source), Hint: defaultHint(ClassAssertionFailed), Pos: &c.Pos}
		}
		caps[c.Name] = v
	}
	return caps, nil
}

func workflowFailure(err error) *Failure {
	f := &Failure{Class: ClassWorkflowError, Message: textf("工作流表达式出错：%v", "workflow expression failed: %v", err, err), Hint: defaultHint(ClassWorkflowError)}
	var xe *ExprError
	if errors.As(err, &xe) {
		pos := xe.Expr.Pos
		f.Pos = &pos
		f.Message = textf("%s：表达式 %s 出错：%v", "%s: expression %s failed: %v", pos, xe.Expr.Source, xe.Err, pos, xe.Expr.Source, xe.Err)
	}
	return f
}

func platformFailure(step string, err error) *Failure {
	return &Failure{Class: ClassPlatformError, Step: step, Message: textf("平台内部错误：%v", "platform error: %v", err, err), Hint: defaultHint(ClassPlatformError)}
}

// cancelledFailure stops a step whose run was cancelled; the run ends as
// cancelled, not failed.
func cancelledFailure(step string) *Failure {
	return &Failure{Class: ClassPlatformError, Step: step, Message: Text{Zh: "运行已取消", En: "the run was cancelled"}, Hint: Text{Zh: "运行被取消，可以重新发起。", En: "The run was cancelled; start it again if needed."}}
}

// stoppedFailure ends work that RunSpec.Stop kept from starting; the run
// ends as cancelled and the attempt, if any, is recorded as cancelled.
func stoppedFailure(step string) *Failure {
	f := cancelledFailure(step)
	f.stopped = true
	return f
}
