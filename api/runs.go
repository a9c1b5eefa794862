package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/gin-gonic/gin/binding"

	"github.com/zaoshu/zaoshu/jobs"
	"github.com/zaoshu/zaoshu/store"
)

// maxWait bounds how long a request may wait for a run to end.
const maxWait = 10 * time.Minute

type runRequest struct {
	Workflow       string         `json:"workflow" binding:"required"`
	Environment    string         `json:"environment" binding:"required"`
	Inputs         map[string]any `json:"inputs"`
	Seed           int64          `json:"seed"`
	Ticket         string         `json:"ticket" binding:"max=128"`
	Labels         []string       `json:"labels" binding:"max=20,dive,max=64"`
	AllowProtected bool           `json:"allow_protected"`
	Callback       *struct {
		URL    string `json:"url"`
		Secret string `json:"secret"`
	} `json:"callback"`
}

// runView is a run as the API shows it, in the caller's language.
func (h *Handlers) runView(c *gin.Context, r *store.Run, withSteps bool) gin.H {
	lang := Lang(c)
	v := gin.H{
		"id": r.ID, "workflow": r.Workflow, "revision": r.Revision, "environment": r.Environment,
		"status": r.Status, "source": r.Source, "ticket": r.Ticket, "labels": nonNil(r.Labels),
		"inputs": nonNilMap(r.Inputs), "seed": r.Seed, "created_at": r.CreatedAt,
	}
	if name := h.username(c, r.RequestedBy); name != "" {
		v["requested_by"] = name
	}
	if r.Outputs != nil {
		v["outputs"] = r.Outputs
	}
	if r.BatchID != "" {
		v["batch_id"] = r.BatchID
	}
	if r.StartedAt != nil {
		v["started_at"] = r.StartedAt
	}
	if r.FinishedAt != nil {
		v["finished_at"] = r.FinishedAt
	}
	if r.Status == store.RunWaitingEnv && r.WaitingSince != nil {
		v["waiting"] = gin.H{"service": r.WaitingService, "since": r.WaitingSince}
	}
	if f := r.Failure; f != nil {
		msg, hint := f.MessageZh, f.HintZh
		if lang == LangEN {
			msg, hint = f.MessageEn, f.HintEn
		}
		fv := gin.H{"class": f.Class, "message": msg}
		for k, s := range map[string]string{"step": f.Step, "hint": hint, "request_id": f.RequestID} {
			if s != "" {
				fv[k] = s
			}
		}
		v["failure"] = fv
	}
	if withSteps {
		recs, err := h.Store.StepRecords(c.Request.Context(), r.ID)
		if err == nil {
			steps := make([]gin.H, 0, len(recs))
			for _, s := range recs {
				sv := gin.H{"step": s.Step, "attempt": s.Attempt, "status": s.Status, "started_at": s.StartedAt,
					"duration_ms": float64(s.EndedAt.Sub(s.StartedAt).Microseconds()) / 1000}
				if s.Iteration != "" {
					sv["iteration"] = s.Iteration
				}
				if s.RequestID != "" {
					sv["request_id"] = s.RequestID
				}
				if s.HTTPStatus != 0 {
					sv["http_status"] = s.HTTPStatus
				}
				steps = append(steps, sv)
			}
			v["steps"] = steps
		}
	}
	return v
}

// username names a user, looking each up once per request.
func (h *Handlers) username(c *gin.Context, id uint64) string {
	if u := CurrentUser(c.Request.Context()); u != nil && u.ID == id {
		return u.Username
	}
	key := "username:" + strconv.FormatUint(id, 10)
	if v, ok := c.Get(key); ok {
		return v.(string)
	}
	name := ""
	if u, err := h.Store.UserByID(c.Request.Context(), id); err == nil {
		name = u.Username
	}
	c.Set(key, name)
	return name
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilMap(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// parseWait reads ?wait=; it answers the problem itself when the value is bad.
func parseWait(c *gin.Context) (time.Duration, bool) {
	s := c.Query("wait")
	if s == "" {
		return 0, true
	}
	if n, err := strconv.Atoi(s); err == nil {
		s = strconv.Itoa(n) + "s"
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		WriteProblem(c, http.StatusUnprocessableEntity, "bad_request", "wait: "+s, map[string]any{
			"errors": []fieldError{{Field: "wait", Message: "want a duration such as 90s or 5m"}}})
		return 0, false
	}
	return min(d, maxWait), true
}

// waitFinished waits until the run ends or wait passes, and returns it as it is then.
func (h *Handlers) waitFinished(ctx context.Context, id string, wait time.Duration) (*store.Run, error) {
	deadline := time.Now().Add(wait)
	for {
		r, err := h.Store.Run(ctx, id)
		if err != nil || r.Status.Finished() || !time.Now().Before(deadline) {
			return r, err
		}
		select {
		case <-ctx.Done():
			return r, nil
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// answerRun answers 201 with a finished run, else 202 with where to poll.
func (h *Handlers) answerRun(c *gin.Context, r *store.Run) {
	if r.Status.Finished() {
		c.JSON(http.StatusCreated, h.runView(c, r, true))
		return
	}
	c.Header("Location", "/api/v1/runs/"+r.ID)
	c.JSON(http.StatusAccepted, h.runView(c, r, false))
}

func (h *Handlers) createRun(c *gin.Context) {
	wait, ok := parseWait(c)
	if !ok {
		return
	}
	raw, err := c.GetRawData()
	if err != nil {
		WriteProblem(c, http.StatusRequestEntityTooLarge, "bad_request", err.Error(), nil)
		return
	}
	var req runRequest
	if err := json.Unmarshal(raw, &req); err != nil {
		WriteProblem(c, http.StatusBadRequest, "bad_request", err.Error(), nil)
		return
	}
	// The body is read raw for the idempotency hash; its rules are the
	// struct's binding tags, as for every other request.
	if err := binding.Validator.ValidateStruct(&req); err != nil {
		WriteProblem(c, http.StatusUnprocessableEntity, "bad_request", err.Error(), nil)
		return
	}
	ctx := c.Request.Context()
	tok := CurrentToken(ctx)
	key := c.GetHeader("Idempotency-Key")
	if key != "" {
		sum := sha256.Sum256(raw)
		prior, err := h.Store.ReserveIdempotencyKey(ctx, tok.ID, key, hex.EncodeToString(sum[:]))
		if err != nil {
			h.writeError(c, err)
			return
		}
		if prior != nil {
			// The same request again: answer with the run it made.
			runID := prior.RunID
			for i := 0; runID == "" && i < 50; i++ { // the first request is still creating it
				time.Sleep(100 * time.Millisecond)
				if k, err := h.Store.IdempotencyKey(ctx, tok.ID, key); err == nil {
					runID = k.RunID
				}
			}
			r, err := h.waitFinished(ctx, runID, wait)
			if err != nil {
				h.writeError(c, err)
				return
			}
			c.Header("Idempotent-Replayed", "true")
			h.answerRun(c, r)
			return
		}
	}
	jr := jobs.Request{
		Workflow: req.Workflow, Environment: req.Environment, Inputs: req.Inputs, Seed: req.Seed,
		Source: jobs.SourceAPI, RequestedBy: CurrentUser(ctx).ID, Ticket: req.Ticket, Labels: req.Labels,
		AllowProtected: req.AllowProtected,
	}
	if req.Callback != nil {
		jr.Callback = &jobs.Callback{URL: req.Callback.URL, Secret: req.Callback.Secret}
	} else if url, secret, err := h.Store.TokenCallback(tok); err != nil {
		h.writeError(c, err)
		return
	} else if url != "" {
		jr.Callback = &jobs.Callback{URL: url, Secret: secret}
	}
	run, err := h.Builds.Submit(ctx, jr)
	if key != "" {
		if run != nil {
			_ = h.Store.SetIdempotencyRun(context.WithoutCancel(ctx), tok.ID, key, run.ID)
		} else {
			_ = h.Store.ReleaseIdempotencyKey(context.WithoutCancel(ctx), tok.ID, key)
		}
	}
	if err != nil {
		if run != nil {
			// Recorded but not queued: the record says so; so do we.
			WriteProblem(c, http.StatusServiceUnavailable, "queued_not_run", err.Error(), map[string]any{"hint": hintf(c, "hint_queue"), "run_id": run.ID})
			return
		}
		h.writeError(c, err)
		return
	}
	if wait > 0 {
		if run, err = h.waitFinished(ctx, run.ID, wait); err != nil {
			h.writeError(c, err)
			return
		}
	}
	h.answerRun(c, run)
}

func (h *Handlers) getRun(c *gin.Context) {
	wait, ok := parseWait(c)
	if !ok {
		return
	}
	r, err := h.waitFinished(c.Request.Context(), c.Param("id"), wait)
	if err != nil {
		h.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, h.runView(c, r, true))
}

func (h *Handlers) listRuns(c *gin.Context) {
	f := store.RunFilter{Workflow: c.Query("workflow"), Environment: c.Query("environment"), Label: c.Query("label"),
		Status: store.RunStatus(c.Query("status")), BatchID: c.Query("batch"), Before: c.Query("before"), Limit: 50}
	if !parseSinceUntil(c, &f.Since, &f.Until) {
		return
	}
	if name := c.Query("user"); name != "" {
		u, err := h.Store.UserByUsername(c.Request.Context(), name)
		if err != nil {
			c.JSON(http.StatusOK, gin.H{"runs": []gin.H{}})
			return
		}
		f.RequestedBy = u.ID
	}
	if s := c.Query("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 200 {
			WriteProblem(c, http.StatusUnprocessableEntity, "bad_request", "limit: want 1 to 200", map[string]any{
				"errors": []fieldError{{Field: "limit", Message: "want 1 to 200"}}})
			return
		}
		f.Limit = n
	}
	if c.Query("mine") == "true" {
		f.RequestedBy = CurrentUser(c.Request.Context()).ID
	}
	runs, err := h.Store.Runs(c.Request.Context(), f)
	if err != nil {
		h.writeError(c, err)
		return
	}
	out := make([]gin.H, 0, len(runs))
	for i := range runs {
		out = append(out, h.runView(c, &runs[i], false))
	}
	body := gin.H{"runs": out}
	if len(runs) == f.Limit {
		body["next"] = runs[len(runs)-1].ID
	}
	c.JSON(http.StatusOK, body)
}

func (h *Handlers) cancelRun(c *gin.Context) {
	r, err := h.Builds.Cancel(c.Request.Context(), c.Param("id"))
	if err != nil {
		h.writeError(c, err)
		return
	}
	c.JSON(http.StatusAccepted, h.runView(c, r, false))
}

func (h *Handlers) retryRun(c *gin.Context) {
	r, err := h.Builds.Retry(c.Request.Context(), c.Param("id"))
	if err != nil {
		h.writeError(c, err)
		return
	}
	c.JSON(http.StatusAccepted, h.runView(c, r, false))
}

func (h *Handlers) rerunRun(c *gin.Context) {
	var body struct {
		Inputs map[string]any `json:"inputs"`
	}
	if c.Request.ContentLength != 0 && !bind(c, &body) {
		return
	}
	ctx := c.Request.Context()
	r, err := h.Builds.Rerun(ctx, c.Param("id"), body.Inputs, jobs.SourceAPI, CurrentUser(ctx).ID)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			WriteProblem(c, http.StatusNotFound, "run_missing", err.Error(), map[string]any{"hint": hintf(c, "hint_run")})
			return
		}
		h.writeError(c, err)
		return
	}
	c.Header("Location", "/api/v1/runs/"+r.ID)
	c.JSON(http.StatusAccepted, h.runView(c, r, false))
}

// listDeliveries shows every attempt to call a run's callback.
func (h *Handlers) listDeliveries(c *gin.Context) {
	ctx := c.Request.Context()
	if _, err := h.Store.Run(ctx, c.Param("id")); err != nil {
		h.writeError(c, err)
		return
	}
	ds, err := h.Store.WebhookDeliveries(ctx, c.Param("id"))
	if err != nil {
		h.writeError(c, err)
		return
	}
	out := make([]gin.H, len(ds))
	for i, d := range ds {
		out[i] = gin.H{"url": d.URL, "attempt": d.Attempt, "status_code": d.StatusCode, "error": d.Error,
			"duration_ms": d.DurationMS, "at": d.CreatedAt}
	}
	c.JSON(http.StatusOK, gin.H{"deliveries": out})
}
