package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zaoshu/zaoshu/store"
)

// getStats answers the figures the dashboard shows: counts by status, by
// day, by workflow, environment and user, failure classes, the steps that
// fail most, and duration percentiles.
func (h *Handlers) getStats(c *gin.Context) {
	q := store.StatsQuery{Workflow: c.Query("workflow"), Environment: c.Query("environment"), Since: time.Now().AddDate(0, 0, -30)}
	if !parseSinceUntil(c, &q.Since, &q.Until) {
		return
	}
	if c.Query("mine") == "true" {
		q.RequestedBy = CurrentUser(c.Request.Context()).ID
	}
	st, err := h.Store.Statistics(c.Request.Context(), q)
	if err != nil {
		h.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{
		"since": q.Since, "counts": counts(st.Counts), "daily": st.Daily, "by_workflow": st.ByWorkflow,
		"by_environment": st.ByEnvironment, "by_user": st.ByUser, "failure_classes": st.FailureClasses,
		"failing_steps": st.FailingSteps,
		"durations":     gin.H{"count": st.Durations.Count, "p50_ms": st.Durations.P50.Milliseconds(), "p95_ms": st.Durations.P95.Milliseconds()},
	})
}

func counts(c store.StatusCounts) gin.H {
	return gin.H{"total": c.Total, "queued": c.Queued, "running": c.Running, "waiting_env": c.WaitingEnv,
		"succeeded": c.Succeeded, "failed": c.Failed, "cancelled": c.Cancelled,
		"in_progress": c.InProgress(), "success_rate": c.SuccessRate()}
}

// parseSinceUntil reads ?since= and ?until= (RFC 3339) into since and until
// when given; a bad one is answered with a 422 naming it, and false.
func parseSinceUntil(c *gin.Context, since, until *time.Time) bool {
	for name, dst := range map[string]*time.Time{"since": since, "until": until} {
		s := c.Query(name)
		if s == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			WriteProblem(c, http.StatusUnprocessableEntity, "bad_request", name+": "+s, map[string]any{
				"errors": []fieldError{{Field: name, Message: "want an RFC 3339 time such as 2026-11-01T00:00:00+08:00"}}})
			return false
		}
		*dst = t
	}
	return true
}
