package jobs_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zaoshu/zaoshu/jobs"
	"github.com/zaoshu/zaoshu/store"
	"github.com/zaoshu/zaoshu/store/storetest"
	"github.com/zaoshu/zaoshu/uatsim"
	"github.com/zaoshu/zaoshu/workflows"
)

// checkWorkflow logs in to the simulated back office, reads the risk
// questionnaire with the token, and asks a gate the test opens and closes.
const checkWorkflow = `
name: check-account
title: {zh: 检查账户系统, en: Check the account system}
services:
  account:
    success: body.code == '0'
    message: body.message
  gate:
    success: body.code == '0'
    message: body.message
inputs:
  note:
    type: string
    default: "hello"
    max_length: 10
steps:
  - id: login
    request:
      service: account
      method: POST
      path: /operator/login
      json: {operator: "${{ secrets.operator }}", password: "${{ secrets.operator_password }}"}
    capture:
      token: body.data.token
  - id: questionnaire
    request:
      service: account
      path: /risk-questionnaire
      headers: {Authorization: "Bearer ${{ steps.login.token }}"}
    capture:
      questions: len(body.data.questions)
  - id: gate
    needs: [questionnaire]
    request:
      service: gate
      path: /check
  - id: confirm
    needs: [gate]
    request:
      service: gate
      path: /confirm
finally:
  - id: cleanup
    request:
      service: gate
      path: /cleanup
outputs:
  questions: "${{ steps.questionnaire.questions }}"
`

type catalog struct{ def *workflows.Definition }

func (c catalog) Workflow(name string) (*workflows.Definition, error) {
	if name != c.def.Name {
		return nil, errors.New("no such workflow")
	}
	return c.def, nil
}

func (c catalog) Revision(_ context.Context, rev string) (*workflows.Definition, error) {
	if rev != c.def.Revision {
		return nil, errors.New("no such revision")
	}
	return c.def, nil
}

type fixture struct {
	store     *store.Store
	builds    *jobs.Builds
	sim       *uatsim.Sim
	simURL    string
	gateOpen  atomic.Bool
	gateHits  atomic.Int32
	gateDelay atomic.Int64
	gateDown  atomic.Bool
	cleanups  atomic.Int32
	confirms  atomic.Int32
	backend   backend
	catalog   catalog
}

func newFixture(t *testing.T, b backend, patience time.Duration, startWorker bool) *fixture {
	t.Helper()
	f := &fixture{backend: b, store: storetest.Open(t, storetest.Database{Name: "sqlite", URL: storetest.SQLiteURL(t)})}
	f.gateOpen.Store(true)
	f.sim = uatsim.New(uatsim.Options{DepositoryDelay: 20 * time.Millisecond})
	simSrv := httptest.NewServer(f.sim.Handler())
	t.Cleanup(simSrv.Close)
	f.simURL = simSrv.URL
	gate := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path != "/check" {
			if r.URL.Path == "/cleanup" {
				f.cleanups.Add(1)
			} else {
				f.confirms.Add(1)
			}
			_, _ = io.WriteString(w, `{"code":"0","message":"成功","data":{}}`)
			return
		}
		f.gateHits.Add(1)
		if f.gateDown.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		time.Sleep(time.Duration(f.gateDelay.Load()))
		if !f.gateOpen.Load() {
			_, _ = io.WriteString(w, `{"code":"4001","message":"证件已过期，请先更新证件有效期"}`)
			return
		}
		_, _ = io.WriteString(w, `{"code":"0","message":"成功","data":{}}`)
	}))
	t.Cleanup(gate.Close)
	env := &store.Environment{Name: "uat-test", Patience: patience, Services: map[string]store.ServiceConfig{
		"account": {BaseURL: simSrv.URL + "/account", Health: &store.HealthProbe{Path: "/health"}},
		"gate":    {BaseURL: gate.URL},
	}}
	if err := f.store.SaveEnvironment(context.Background(), env, map[string]string{"operator": uatsim.UATOperator, "operator_password": uatsim.UATPassword}); err != nil {
		t.Fatal(err)
	}
	def, diags := workflows.Load("check-account.yaml", []byte(checkWorkflow))
	if len(diags) > 0 {
		t.Fatalf("test workflow: %v", diags)
	}
	f.catalog = catalog{def}
	f.newBuilds(t)
	if startWorker {
		f.startWorker(t)
	}
	return f
}

// newBuilds makes the builds service, as a (re)started process would.
func (f *fixture) newBuilds(t *testing.T) {
	f.builds = jobs.NewBuilds(f.store, f.backend.redis, f.backend.ns, f.catalog, slogDiscard(), jobs.BuildOptions{ProbeEvery: 200 * time.Millisecond})
	builds := f.builds
	t.Cleanup(func() { _ = builds.Close() })
}

func (f *fixture) startWorker(t *testing.T) *jobs.Worker {
	t.Helper()
	w := jobs.NewWorker(f.backend.redis, jobs.WorkerOptions{Namespace: f.backend.ns, Concurrency: 4, ShutdownTimeout: time.Second, Logger: slogDiscard()})
	f.builds.Register(w)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Shutdown)
	return w
}

func (f *fixture) submit(t *testing.T, inputs map[string]any) *store.Run {
	t.Helper()
	run, err := f.builds.Submit(context.Background(), jobs.Request{Workflow: "check-account", Environment: "uat-test", Inputs: inputs, Source: jobs.SourceAPI, RequestedBy: 1})
	if err != nil {
		t.Fatal(err)
	}
	return run
}

// wait polls the run until its status is one of want.
func (f *fixture) wait(t *testing.T, id string, timeout time.Duration, want ...store.RunStatus) *store.Run {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var last *store.Run
	for time.Now().Before(deadline) {
		r, err := f.store.Run(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		last = r
		for _, w := range want {
			if r.Status == w {
				return r
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("run %s is %s after %s, want %v (failure %+v)", id, last.Status, timeout, want, last.Failure)
	return nil
}

func (f *fixture) calls(t *testing.T, path string) int {
	t.Helper()
	res, err := http.Get(f.simURL + "/uat/logs?path=" + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return strings.Count(string(body), `"path":"`+path+`"`)
}

func TestBuildRunsAndRecordsEveryStep(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			f := newFixture(t, b, time.Minute, true)
			run := f.submit(t, nil)
			if run.Status != store.RunQueued || run.Inputs["note"] != "hello" || run.Queue != jobs.QueueDefault {
				t.Errorf("accepted run = %+v", run)
			}
			done := f.wait(t, run.ID, 30*time.Second, store.RunSucceeded, store.RunFailed)
			if done.Status != store.RunSucceeded || fmt.Sprint(done.Outputs["questions"]) == "0" || done.StartedAt == nil || done.FinishedAt == nil {
				t.Fatalf("run = %s outputs %v failure %+v", done.Status, done.Outputs, done.Failure)
			}
			recs, _ := f.store.StepRecords(context.Background(), run.ID)
			var steps []string
			for _, r := range recs {
				steps = append(steps, r.Step)
			}
			if strings.Join(steps, ",") != "login,questionnaire,gate,confirm,cleanup" {
				t.Errorf("recorded steps = %v", steps)
			}
			if recs[0].RequestID != run.ID+"-login-1" || strings.Contains(recs[0].Request, uatsim.UATPassword) {
				t.Errorf("login record: request id %q, request %q (password must be masked)", recs[0].RequestID, recs[0].Request)
			}
		})
	}
}

func TestBadInputRefusedBeforeAnything(t *testing.T) {
	b := backends(t)[0]
	f := newFixture(t, b, time.Minute, false)
	_, err := f.builds.Submit(context.Background(), jobs.Request{Workflow: "check-account", Environment: "uat-test",
		Inputs: map[string]any{"note": "much too long for ten", "nope": 1}, Source: jobs.SourceAPI})
	var problems workflows.InputErrors
	if !errors.As(err, &problems) || len(problems) != 2 {
		t.Fatalf("err = %v, want two input problems", err)
	}
	if runs, _ := f.store.Runs(context.Background(), store.RunFilter{}); len(runs) != 0 {
		t.Errorf("%d runs recorded for a refused request", len(runs))
	}
	if _, err := f.builds.Submit(context.Background(), jobs.Request{Workflow: "check-account", Environment: "uat-nope"}); !errors.Is(err, jobs.ErrEnvironmentNotFound) {
		t.Errorf("unknown environment: err = %v", err)
	}
	if _, err := f.builds.Submit(context.Background(), jobs.Request{Workflow: "chek-account", Environment: "uat-test"}); !errors.Is(err, jobs.ErrWorkflowNotFound) {
		t.Errorf("unknown workflow: err = %v", err)
	}
	if n := f.calls(t, "/account/operator/login"); n != 0 {
		t.Errorf("%d business calls made for refused requests", n)
	}
}

func TestProtectedEnvironmentNeedsConsent(t *testing.T) {
	f := newFixture(t, backends(t)[0], time.Minute, false)
	env, _ := f.store.Environment(context.Background(), "uat-test")
	env.Protected = true
	if err := f.store.SaveEnvironment(context.Background(), env, nil); err != nil {
		t.Fatal(err)
	}
	req := jobs.Request{Workflow: "check-account", Environment: "uat-test", Source: jobs.SourceAPI}
	if _, err := f.builds.Submit(context.Background(), req); !errors.Is(err, jobs.ErrEnvironmentGuarded) {
		t.Fatalf("err = %v, want ErrEnvironmentGuarded", err)
	}
	req.AllowProtected = true
	if _, err := f.builds.Submit(context.Background(), req); err != nil {
		t.Fatalf("with consent: %v", err)
	}
}

// A redeploy mid-build parks the run; it resumes by itself when the
// environment is back, without sending its finished steps again.
func TestOutageParksAndResumes(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			f := newFixture(t, b, time.Minute, true)
			f.gateOpen.Store(true)
			if err := f.sim.Redeploy(uatsim.ServiceAccount, 3*time.Second, uatsim.Redeploy503); err != nil {
				t.Fatal(err)
			}
			run := f.submit(t, nil)
			waiting := f.wait(t, run.ID, 10*time.Second, store.RunWaitingEnv)
			if waiting.WaitingService != "account" || waiting.WaitingSince == nil {
				t.Errorf("waiting run = service %q since %v", waiting.WaitingService, waiting.WaitingSince)
			}
			done := f.wait(t, run.ID, 30*time.Second, store.RunSucceeded, store.RunFailed)
			if done.Status != store.RunSucceeded {
				t.Fatalf("after the outage: %s %+v", done.Status, done.Failure)
			}
			recs, _ := f.store.StepRecords(context.Background(), run.ID)
			succeeded := map[string]int{}
			for _, r := range recs {
				if r.Status == "succeeded" {
					succeeded[r.Step]++
				}
			}
			for _, step := range []string{"login", "questionnaire", "gate", "confirm", "cleanup"} {
				if succeeded[step] != 1 {
					t.Errorf("step %s succeeded %d times, want once: resuming must not re-send finished steps", step, succeeded[step])
				}
			}
		})
	}
}

// While one run waits for an environment, a new run for it parks at once
// without calling the business API (the circuit is open).
func TestOpenCircuitParksNewRunsWithoutCalling(t *testing.T) {
	f := newFixture(t, backends(t)[0], time.Minute, true)
	if err := f.sim.Redeploy(uatsim.ServiceAccount, 4*time.Second, uatsim.Redeploy503); err != nil {
		t.Fatal(err)
	}
	first := f.submit(t, nil)
	f.wait(t, first.ID, 10*time.Second, store.RunWaitingEnv)
	logins := f.calls(t, "/account/operator/login")
	second := f.submit(t, nil)
	f.wait(t, second.ID, 10*time.Second, store.RunWaitingEnv)
	if n := f.calls(t, "/account/operator/login"); n != logins {
		t.Errorf("the second run called login %d times while the environment was known down", n-logins)
	}
	for _, id := range []string{first.ID, second.ID} {
		if done := f.wait(t, id, 30*time.Second, store.RunSucceeded, store.RunFailed); done.Status != store.RunSucceeded {
			t.Errorf("run %s = %s %+v", id, done.Status, done.Failure)
		}
	}
}

// An outage after some steps succeeded parks the run; when it resumes, the
// steps that succeeded are not sent again.
func TestResumeAfterOutageSkipsFinishedSteps(t *testing.T) {
	f := newFixture(t, backends(t)[0], time.Minute, true)
	f.gateDown.Store(true)
	run := f.submit(t, nil)
	waiting := f.wait(t, run.ID, 15*time.Second, store.RunWaitingEnv)
	if waiting.WaitingService != "gate" {
		t.Errorf("waiting for %q, want gate", waiting.WaitingService)
	}
	logins, questionnaires := f.calls(t, "/account/operator/login"), f.calls(t, "/account/risk-questionnaire")
	f.gateDown.Store(false)
	if done := f.wait(t, run.ID, 30*time.Second, store.RunSucceeded, store.RunFailed); done.Status != store.RunSucceeded {
		t.Fatalf("after the outage: %s %+v", done.Status, done.Failure)
	}
	if l, q := f.calls(t, "/account/operator/login"), f.calls(t, "/account/risk-questionnaire"); l != logins || q != questionnaires || logins != 1 {
		t.Errorf("login sent %d then %d times, questionnaire %d then %d: finished steps were sent again", logins, l, questionnaires, q)
	}
}

// Past the environment's patience the run fails, naming the service.
func TestOutagePastPatienceFails(t *testing.T) {
	f := newFixture(t, backends(t)[0], time.Second, true)
	if err := f.sim.Redeploy(uatsim.ServiceAccount, 20*time.Second, uatsim.Redeploy503); err != nil {
		t.Fatal(err)
	}
	run := f.submit(t, nil)
	done := f.wait(t, run.ID, 20*time.Second, store.RunFailed, store.RunSucceeded)
	if done.Status != store.RunFailed || done.FailureClass != "env_unavailable" || !strings.Contains(done.Failure.MessageZh, "服务 account") || !strings.Contains(done.Failure.MessageEn, "has been down since") {
		t.Fatalf("run = %s %+v", done.Status, done.Failure)
	}
}

// A refused step fails the run with the product's message; after the cause
// is fixed, a retry starts at that step and does not log in again.
func TestRetryFromFailedStep(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			f := newFixture(t, b, time.Minute, true)
			f.gateOpen.Store(false)
			run := f.submit(t, nil)
			failed := f.wait(t, run.ID, 30*time.Second, store.RunFailed, store.RunSucceeded)
			if failed.Status != store.RunFailed || failed.FailureClass != "business_rejected" || failed.Failure.Step != "gate" || !strings.Contains(failed.Failure.MessageZh, "证件已过期") {
				t.Fatalf("run = %s %+v", failed.Status, failed.Failure)
			}
			logins := f.calls(t, "/account/operator/login")
			f.gateOpen.Store(true)
			if _, err := f.builds.Retry(context.Background(), run.ID); err != nil {
				t.Fatal(err)
			}
			done := f.wait(t, run.ID, 30*time.Second, store.RunSucceeded, store.RunFailed)
			if done.Status != store.RunSucceeded {
				t.Fatalf("retry: %s %+v", done.Status, done.Failure)
			}
			if n := f.calls(t, "/account/operator/login"); n != logins {
				t.Errorf("login sent %d times after the retry, want %d: finished steps must not be re-sent", n, logins)
			}
			if f.gateHits.Load() != 2 {
				t.Errorf("gate called %d times, want 2", f.gateHits.Load())
			}
		})
	}
}

// Cancelling a running build lets the call in flight finish, starts
// nothing new, and runs the finally steps.
func TestCancelRunningRunRunsFinally(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			f := newFixture(t, b, time.Minute, true)
			f.gateDelay.Store(int64(1500 * time.Millisecond))
			run := f.submit(t, nil)
			for f.gateHits.Load() == 0 {
				time.Sleep(10 * time.Millisecond)
			}
			if _, err := f.builds.Cancel(context.Background(), run.ID); err != nil {
				t.Fatal(err)
			}
			done := f.wait(t, run.ID, 30*time.Second, store.RunCancelled, store.RunSucceeded, store.RunFailed)
			if done.Status != store.RunCancelled {
				t.Fatalf("run = %s %+v", done.Status, done.Failure)
			}
			if f.cleanups.Load() != 1 || f.confirms.Load() != 0 {
				t.Errorf("finally ran %d times (want 1); the step after the cancel ran %d times (want 0)", f.cleanups.Load(), f.confirms.Load())
			}
			recs, _ := f.store.StepRecords(context.Background(), run.ID)
			for _, r := range recs {
				if r.Step == "gate" && r.Status != "succeeded" {
					t.Errorf("the call in flight was cut: gate %s", r.Status)
				}
			}
		})
	}
}

func TestCancelQueuedRun(t *testing.T) {
	f := newFixture(t, backends(t)[0], time.Minute, false)
	run := f.submit(t, nil)
	got, err := f.builds.Cancel(context.Background(), run.ID)
	if err != nil || got.Status != store.RunCancelled {
		t.Fatalf("cancel = %+v, %v", got, err)
	}
	f.startWorker(t)
	time.Sleep(1500 * time.Millisecond)
	if n := f.calls(t, "/account/operator/login"); n != 0 {
		t.Errorf("a cancelled run made %d calls", n)
	}
}

// Runs whose tasks were lost (an embedded Redis restarted) are re-queued.
func TestReapRequeuesLostRuns(t *testing.T) {
	b := backends(t)[0]
	f := newFixture(t, b, time.Minute, false)
	run := f.submit(t, nil)
	// Lose the task, as a restarted embedded Redis would.
	c := jobs.NewClient(b.redis, b.ns)
	defer c.Close()
	if err := c.DeleteQueues(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.newBuilds(t)
	if n, err := f.builds.Reap(context.Background(), 0); err != nil || n != 1 {
		t.Fatalf("reap = %d, %v; want 1 run re-queued", n, err)
	}
	if n, _ := f.builds.Reap(context.Background(), 0); n != 0 {
		t.Errorf("second reap re-queued %d runs that are queued", n)
	}
	f.startWorker(t)
	if done := f.wait(t, run.ID, 30*time.Second, store.RunSucceeded, store.RunFailed); done.Status != store.RunSucceeded {
		t.Errorf("reaped run = %s %+v", done.Status, done.Failure)
	}
}

func TestBatchOfHundred(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			f := newFixture(t, b, time.Minute, true)
			req := jobs.BatchRequest{Request: jobs.Request{Workflow: "check-account", Environment: "uat-test", Source: jobs.SourceAPI, RequestedBy: 1}, Count: 100}
			batch, runs, err := f.builds.SubmitBatch(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if len(runs) != 100 || runs[0].Queue != jobs.QueueLow {
				t.Fatalf("batch made %d runs on %s", len(runs), runs[0].Queue)
			}
			deadline := time.Now().Add(2 * time.Minute)
			var p *store.BatchProgress
			for time.Now().Before(deadline) {
				if p, err = f.store.BatchProgress(context.Background(), batch.ID); err != nil {
					t.Fatal(err)
				}
				if p.Done() {
					break
				}
				time.Sleep(200 * time.Millisecond)
			}
			if !p.Done() || p.ByStatus[store.RunSucceeded] != 100 {
				t.Fatalf("batch progress = %v", p.ByStatus)
			}
			if n := f.gateHits.Load(); n != 100 {
				t.Errorf("gate called %d times, want 100: each run exactly once", n)
			}
		})
	}
}

// One bad input set refuses the whole batch, with its position, before
// anything is recorded.
func TestBatchWithBadInputRecordsNothing(t *testing.T) {
	f := newFixture(t, backends(t)[0], time.Minute, false)
	req := jobs.BatchRequest{Request: jobs.Request{Workflow: "check-account", Environment: "uat-test", Source: jobs.SourceAPI},
		Inputs: []map[string]any{{"note": "ok"}, {"note": "far too long a note"}, {}}}
	_, _, err := f.builds.SubmitBatch(context.Background(), req)
	var problems jobs.BatchInputErrors
	if !errors.As(err, &problems) || len(problems) != 1 || len(problems[1]) != 1 {
		t.Fatalf("err = %v, want a problem with input set 1", err)
	}
	if runs, _ := f.store.Runs(context.Background(), store.RunFilter{}); len(runs) != 0 {
		t.Errorf("%d runs recorded", len(runs))
	}
}

// A rerun is a new run of the same workflow with the old inputs and the
// changes asked for.
func TestRerunWithChangedInputs(t *testing.T) {
	f := newFixture(t, backends(t)[0], time.Minute, true)
	first := f.submit(t, map[string]any{"note": "first"})
	f.wait(t, first.ID, 30*time.Second, store.RunSucceeded)
	again, err := f.builds.Rerun(context.Background(), first.ID, map[string]any{"note": "second"}, jobs.SourceUI, 2)
	if err != nil {
		t.Fatal(err)
	}
	if again.ID == first.ID || again.Inputs["note"] != "second" || again.Queue != jobs.QueueCritical || again.RequestedBy != 2 {
		t.Errorf("rerun = %+v", again)
	}
	if done := f.wait(t, again.ID, 30*time.Second, store.RunSucceeded, store.RunFailed); done.Status != store.RunSucceeded {
		t.Errorf("rerun = %s %+v", done.Status, done.Failure)
	}
	if _, err := f.builds.Rerun(context.Background(), first.ID, map[string]any{"note": "much too long to pass"}, jobs.SourceUI, 2); err == nil {
		t.Error("a rerun with a bad input was accepted")
	}
}

// A run's callback is told when it ends, signed with the caller's secret,
// and tried again when the receiver fails; every attempt is logged.
func TestWebhookSignedAndRetried(t *testing.T) {
	f := newFixture(t, backends(t)[0], time.Minute, true)
	var calls atomic.Int32
	got := make(chan jobs.WebhookEvent, 1)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get("X-Zaoshu-Signature") != jobs.Sign("s3cret", body) {
			t.Errorf("bad signature %q", r.Header.Get("X-Zaoshu-Signature"))
		}
		if calls.Add(1) == 1 {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		var ev jobs.WebhookEvent
		_ = json.Unmarshal(body, &ev)
		got <- ev
	}))
	defer recv.Close()
	run, err := f.builds.Submit(context.Background(), jobs.Request{Workflow: "check-account", Environment: "uat-test", Source: jobs.SourceAPI,
		Callback: &jobs.Callback{URL: recv.URL + "/hook", Secret: "s3cret"}})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-got:
		if ev.Event != "run.succeeded" || ev.Run["id"] != run.ID || ev.Run["outputs"] == nil {
			t.Errorf("event = %+v", ev)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no callback within 30 s")
	}
	time.Sleep(200 * time.Millisecond)
	ds, _ := f.store.WebhookDeliveries(context.Background(), run.ID)
	if len(ds) != 2 || ds[0].StatusCode != 500 || ds[1].StatusCode != 200 || ds[1].Attempt != 2 {
		t.Errorf("deliveries = %+v", ds)
	}
	if _, err := f.builds.Submit(context.Background(), jobs.Request{Workflow: "check-account", Environment: "uat-test",
		Callback: &jobs.Callback{URL: "ftp://x"}}); !errors.Is(err, jobs.ErrBadCallback) {
		t.Errorf("bad callback URL: %v", err)
	}
}

// A batch run remembers which inputs its set gave, so a rerun asks for the
// same and generates the rest afresh, as for a single run.
func TestBatchRunsRememberGivenInputs(t *testing.T) {
	f := newFixture(t, backends(t)[0], time.Minute, false)
	_, runs, err := f.builds.SubmitBatch(context.Background(), jobs.BatchRequest{
		Request: jobs.Request{Workflow: "check-account", Environment: "uat-test", Source: jobs.SourceAPI},
		Inputs:  []map[string]any{{"note": "given"}, {}}})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(runs[0].Given) != "[note]" || len(runs[1].Given) != 0 || runs[1].Inputs["note"] != "hello" {
		t.Errorf("given = %v and %v, inputs %v", runs[0].Given, runs[1].Given, runs[1].Inputs)
	}
}
