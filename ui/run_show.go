package ui

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zaoshu/zaoshu/store"
	"github.com/zaoshu/zaoshu/workflows"
)

// runPage is a run's detail: its timeline, failure, outputs and actions.
type runPage struct {
	Run           *store.Run
	WorkflowTitle string
	User          string
	Steps         []*stepView
	Failure       *failureView
	Inputs        map[string]any
	Outputs       map[string]any
	Report        string
	Live          bool
	Fingerprint   string
	Duration      time.Duration
}

// failureView is why a run failed, in the page's language.
type failureView struct {
	Class, ClassName, Step, Message, Hint, RequestID string
}

// stepView is one step (one iteration of it) with its attempts.
type stepView struct {
	Step      string
	Title     string
	Iteration string
	Status    string
	Duration  time.Duration
	Attempts  []attemptView
}

type attemptView struct {
	Attempt    int
	Status     string
	HTTPStatus int
	RequestID  string
	StartedAt  time.Time
	Duration   time.Duration
	Polls      int
	Request    string
	Response   string
	Message    string
	Hint       string
	Class      string
}

// runOr404 loads the run named in the path, or answers 404.
func (u *UI) runOr404(c *gin.Context) *store.Run {
	run, err := u.store.Run(c.Request.Context(), c.Param("id"))
	if errors.Is(err, store.ErrNotFound) {
		u.notFound(c)
		return nil
	}
	if err != nil {
		u.fail(c, err)
		return nil
	}
	return run
}

func (u *UI) loadRunPage(c *gin.Context, run *store.Run) (*runPage, error) {
	ctx := c.Request.Context()
	l := lang(c)
	recs, err := u.store.StepRecords(ctx, run.ID)
	if err != nil {
		return nil, err
	}
	p := &runPage{Run: run, WorkflowTitle: run.Workflow, Inputs: run.Inputs, Outputs: run.Outputs, Live: !run.Status.Finished()}
	def, _ := u.library.Revision(ctx, run.Revision)
	if def != nil && !def.Title.IsZero() {
		p.WorkflowTitle = def.Title.In(l)
	}
	if user, err := u.store.UserByID(ctx, run.RequestedBy); err == nil {
		p.User = user.DisplayName + " (" + user.Username + ")"
	}
	if run.StartedAt != nil {
		end := time.Now()
		if run.FinishedAt != nil {
			end = *run.FinishedAt
		}
		p.Duration = end.Sub(*run.StartedAt)
	}
	p.Steps = stepViews(recs, def, l)
	if f := run.Failure; f != nil {
		p.Failure = &failureView{Class: f.Class, ClassName: translate(l, "class."+f.Class), Step: f.Step, RequestID: f.RequestID,
			Message: pick(l, f.MessageZh, f.MessageEn), Hint: pick(l, f.HintZh, f.HintEn)}
	}
	p.Fingerprint = runFingerprint(run, len(recs))
	p.Report = problemReport(l, u.runURL(c, run.ID), run, p)
	return p, nil
}

func pick(l, zh, en string) string {
	if l == "en" && en != "" {
		return en
	}
	if zh != "" {
		return zh
	}
	return en
}

// stepViews groups step records by step and iteration, in the order the
// steps first ran, with every attempt.
func stepViews(recs []store.StepRecord, def *workflows.Definition, l string) []*stepView {
	var out []*stepView
	byKey := map[string]*stepView{}
	for _, r := range recs {
		key := r.Step + "\x00" + r.Iteration
		sv := byKey[key]
		if sv == nil {
			sv = &stepView{Step: r.Step, Iteration: r.Iteration, Title: stepTitle(def, r.Step, l)}
			byKey[key] = sv
			out = append(out, sv)
		}
		a := attemptView{Attempt: r.Attempt, Status: r.Status, HTTPStatus: r.HTTPStatus, RequestID: r.RequestID,
			StartedAt: r.StartedAt, Duration: r.EndedAt.Sub(r.StartedAt), Polls: r.Polls, Request: r.Request, Response: r.Response}
		if r.Failure != "" {
			var f workflows.Failure
			if json.Unmarshal([]byte(r.Failure), &f) == nil {
				a.Message, a.Hint, a.Class = f.Message.In(l), f.Hint.In(l), translate(l, "class."+string(f.Class))
			}
		}
		sv.Attempts = append(sv.Attempts, a)
		sv.Status = r.Status
		sv.Duration += a.Duration
	}
	return out
}

// stepTitle finds a step's title; fragment steps are "parent/child".
func stepTitle(def *workflows.Definition, id, l string) string {
	for def != nil && id != "" {
		head, rest, nested := strings.Cut(id, "/")
		var found *workflows.Step
		for _, s := range append(append([]*workflows.Step{}, def.Steps...), def.Finally...) {
			if s.ID == head {
				found = s
			}
		}
		if found == nil {
			return ""
		}
		if !nested {
			return found.Title.In(l)
		}
		def, id = found.Fragment, rest
	}
	return ""
}

// runFingerprint changes whenever the run or its steps do.
func runFingerprint(run *store.Run, steps int) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s|%s|%d|%d", run.Status, run.UpdatedAt.UTC().Format(time.RFC3339Nano), steps, boolInt(run.CancelRequested))
	return fmt.Sprintf("%x", h.Sum64())
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (u *UI) runURL(c *gin.Context, id string) string {
	scheme := "http"
	if u.secure || c.Request.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host + "/runs/" + id
}

// problemReport is everything a ticket needs about a run, in one paste.
func problemReport(l, link string, run *store.Run, p *runPage) string {
	var b strings.Builder
	t := func(key string, args ...any) string { return translate(l, key, args...) }
	fmt.Fprintf(&b, "%s\n", t("report.heading"))
	fmt.Fprintf(&b, "%s: %s\n%s: %s\n", t("run.id"), run.ID, t("report.link"), link)
	fmt.Fprintf(&b, "%s: %s (%s %s)\n", t("run.workflow"), run.Workflow, t("run.revision"), run.Revision)
	fmt.Fprintf(&b, "%s: %s\n", t("run.environment"), run.Environment)
	fmt.Fprintf(&b, "%s: %s\n", t("run.status"), t("status."+string(run.Status)))
	if run.Ticket != "" {
		fmt.Fprintf(&b, "%s: %s\n", t("build.ticket"), run.Ticket)
	}
	if f := p.Failure; f != nil {
		fmt.Fprintf(&b, "%s: %s (%s)\n", t("run.failure_class"), f.ClassName, f.Class)
		fmt.Fprintf(&b, "%s: %s\n", t("run.failed_step"), f.Step)
		fmt.Fprintf(&b, "%s: %s\n", t("run.message"), f.Message)
		if f.Hint != "" {
			fmt.Fprintf(&b, "%s: %s\n", t("run.hint"), f.Hint)
		}
		if f.RequestID != "" {
			fmt.Fprintf(&b, "%s: %s\n", t("run.request_id"), f.RequestID)
		}
	}
	var ids []string
	for _, s := range p.Steps {
		for _, a := range s.Attempts {
			if a.RequestID != "" {
				ids = append(ids, a.RequestID)
			}
		}
	}
	if len(ids) > 0 {
		fmt.Fprintf(&b, "%s: %s\n", t("report.request_ids"), strings.Join(ids, " "))
	}
	if f := p.Failure; f != nil {
		for _, s := range p.Steps {
			if s.Step != f.Step || len(s.Attempts) == 0 {
				continue
			}
			a := s.Attempts[len(s.Attempts)-1]
			fmt.Fprintf(&b, "\n--- %s (%s #%d, HTTP %d) ---\n%s\n--- %s ---\n%s\n", t("run.request"), s.Step, a.Attempt, a.HTTPStatus, a.Request, t("run.response"), a.Response)
		}
	}
	return b.String()
}

// showRun shows a run; while it is not finished the page follows it over SSE.
func (u *UI) showRun(c *gin.Context) {
	run := u.runOr404(c)
	if run == nil {
		return
	}
	p, err := u.loadRunPage(c, run)
	if err != nil {
		u.fail(c, err)
		return
	}
	v := u.newView(c, "runs", p)
	v.Title = v.T("run.title", run.ID)
	u.render(c, http.StatusOK, "run", v)
}

// runLive is the changing part of the run page, for htmx to swap in.
func (u *UI) runLive(c *gin.Context) {
	run := u.runOr404(c)
	if run == nil {
		return
	}
	p, err := u.loadRunPage(c, run)
	if err != nil {
		u.fail(c, err)
		return
	}
	u.renderPartial(c, http.StatusOK, "run_live", u.newView(c, "runs", p))
}
