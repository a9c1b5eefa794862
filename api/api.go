package api

import (
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zaoshu/zaoshu/jobs"
	"github.com/zaoshu/zaoshu/store"
)

// Deps are what the API serves from.
type Deps struct {
	Store   *store.Store
	Builds  *jobs.Builds
	Library *jobs.Library
	Queue   *jobs.Client
	Redis   *jobs.Redis
	Log     *slog.Logger
	// Fragments are where saved workflows find the fragments they use.
	Fragments fs.FS
	// RatePerSecond is the requests per second one token may make (bursts of twice that).
	RatePerSecond int
}

// Handlers serve /api/v1.
type Handlers struct {
	Deps
	limiter rateLimiter
}

// New makes the API handlers.
func New(d Deps) *Handlers {
	if d.RatePerSecond <= 0 {
		d.RatePerSecond = 50
	}
	return &Handlers{Deps: d, limiter: newRateLimiter(d.Redis, d.RatePerSecond)}
}

// maxBody bounds a request body; a workflow file is the largest thing sent.
const maxBody = 1 << 20

// Register mounts the API on a router group already guarded by
// authentication: every route says which scope it needs.
func (h *Handlers) Register(g *gin.RouterGroup) {
	g.Use(h.limit, limitBody)
	read, build, admin := requireScope(store.ScopeRead), requireScope(store.ScopeBuild), requireScope(store.ScopeAdmin)
	g.GET("/me", h.me)
	g.POST("/system/worker-ping", admin, h.workerPing)

	g.GET("/workflows", read, h.listWorkflows)
	g.GET("/workflows/:name", read, h.getWorkflow)
	g.POST("/workflows/:name/validate", read, h.validateInputs)
	g.PUT("/workflows/:name", admin, h.saveWorkflow)
	g.GET("/workflows/:name/revisions", read, h.listRevisions)
	g.GET("/workflows/:name/revisions/:rev", read, h.getRevision)

	g.GET("/runs", read, h.listRuns)
	g.POST("/runs", build, h.createRun)
	g.GET("/runs/:id", read, h.getRun)
	g.POST("/runs/:id/cancel", build, h.cancelRun)
	g.POST("/runs/:id/retry", build, h.retryRun)
	g.POST("/runs/:id/rerun", build, h.rerunRun)
	g.GET("/runs/:id/deliveries", read, h.listDeliveries)

	g.POST("/batches", build, h.createBatch)
	g.GET("/batches/:id", read, h.getBatch)

	g.GET("/environments", read, h.listEnvironments)
	g.PUT("/environments/:name", admin, h.saveEnvironment)
	g.GET("/stats", read, h.getStats)

	g.GET("/tokens", h.listTokens)
	g.POST("/tokens", h.createToken)
	g.DELETE("/tokens/:id", h.revokeToken)
}

func limitBody(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBody)
	c.Next()
}

// requireScope lets a request through only if its token has scope.
func requireScope(scope string) gin.HandlerFunc {
	return func(c *gin.Context) {
		if t := CurrentToken(c.Request.Context()); t == nil || !t.HasScope(scope) {
			WriteProblem(c, http.StatusForbidden, "forbidden", "", map[string]any{"hint": hintf(c, "hint_scope", scope)})
			return
		}
		c.Next()
	}
}

func (h *Handlers) me(c *gin.Context) {
	u := CurrentUser(c.Request.Context())
	t := CurrentToken(c.Request.Context())
	c.JSON(http.StatusOK, gin.H{"username": u.Username, "display_name": u.DisplayName, "role": u.Role, "scopes": t.ScopeList()})
}

// workerPing proves the job path end to end: API → Redis → a worker → back.
func (h *Handlers) workerPing(c *gin.Context) {
	res, err := h.Queue.PingWorker(c.Request.Context(), 10*time.Second)
	switch {
	case errors.Is(err, jobs.ErrNoWorker):
		WriteProblem(c, http.StatusServiceUnavailable, "no_worker", err.Error(), nil)
	case err != nil:
		WriteProblem(c, http.StatusServiceUnavailable, "queue_down", err.Error(), nil)
	default:
		c.JSON(http.StatusOK, gin.H{"worker": res.Worker, "queue": res.Queue, "task_id": res.TaskID,
			"round_trip_ms": float64(res.RoundTrip.Microseconds()) / 1000})
	}
}
