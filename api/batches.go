package api

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/zaoshu/zaoshu/jobs"
	"github.com/zaoshu/zaoshu/store"
)

func (h *Handlers) createBatch(c *gin.Context) {
	var req struct {
		runRequest
		Count     int              `json:"count"`
		InputSets []map[string]any `json:"inputs"`
	}
	if !bind(c, &req) {
		return
	}
	ctx := c.Request.Context()
	batch, runs, err := h.Builds.SubmitBatch(ctx, jobs.BatchRequest{
		Request: jobs.Request{Workflow: req.Workflow, Environment: req.Environment, Source: jobs.SourceAPI,
			RequestedBy: CurrentUser(ctx).ID, Ticket: req.Ticket, Labels: req.Labels, AllowProtected: req.AllowProtected},
		Inputs: req.InputSets, Count: req.Count,
	})
	if err != nil && batch == nil {
		h.writeError(c, err)
		return
	}
	// err with a batch: it is recorded but some runs were not queued; the
	// reaper queues them, so the answer is the batch.
	ids := make([]string, len(runs))
	for i, r := range runs {
		ids[i] = r.ID
	}
	c.Header("Location", "/api/v1/batches/"+batch.ID)
	c.JSON(http.StatusAccepted, gin.H{"id": batch.ID, "workflow": batch.Workflow, "environment": batch.Environment,
		"size": batch.Size, "by_status": gin.H{string(store.RunQueued): batch.Size}, "done": false, "runs": ids})
}

func (h *Handlers) getBatch(c *gin.Context) {
	p, err := h.Store.BatchProgress(c.Request.Context(), c.Param("id"))
	if errors.Is(err, store.ErrNotFound) {
		WriteProblem(c, http.StatusNotFound, "batch_missing", err.Error(), map[string]any{"hint": hintf(c, "hint_batch")})
		return
	}
	if err != nil {
		h.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"id": p.Batch.ID, "workflow": p.Batch.Workflow, "environment": p.Batch.Environment,
		"size": p.Batch.Size, "by_status": p.ByStatus, "done": p.Done()})
}
