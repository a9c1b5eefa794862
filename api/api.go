package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// WorkerPing is a worker's answer to a ping sent through the job queue.
type WorkerPing struct {
	Worker    string        `json:"worker"`
	Queue     string        `json:"queue"`
	TaskID    string        `json:"task_id"`
	RoundTrip time.Duration `json:"-"`
}

// ErrNoWorker is returned by a WorkerPinger when no worker answered in time.
var ErrNoWorker = errors.New("no worker answered")

// WorkerPinger sends a ping through the queue and waits for a worker's answer.
type WorkerPinger func(ctx context.Context, wait time.Duration) (WorkerPing, error)

// Handlers serve /api/v1.
type Handlers struct {
	pingWorker WorkerPinger
}

// New makes the API handlers.
func New(pingWorker WorkerPinger) *Handlers {
	return &Handlers{pingWorker: pingWorker}
}

// Register mounts the API on a router group already guarded by authentication.
func (h *Handlers) Register(g *gin.RouterGroup) {
	g.GET("/me", h.me)
	g.POST("/system/worker-ping", h.workerPing)
}

func (h *Handlers) me(c *gin.Context) {
	u := CurrentUser(c.Request.Context())
	c.JSON(http.StatusOK, gin.H{"username": u.Username, "display_name": u.DisplayName, "role": u.Role})
}

// workerPing proves the job path end to end: API → Redis → a worker → back.
func (h *Handlers) workerPing(c *gin.Context) {
	res, err := h.pingWorker(c.Request.Context(), 10*time.Second)
	switch {
	case errors.Is(err, ErrNoWorker):
		WriteProblem(c, http.StatusServiceUnavailable, "no_worker", err.Error(), nil)
	case err != nil:
		WriteProblem(c, http.StatusServiceUnavailable, "queue_down", err.Error(), nil)
	default:
		c.JSON(http.StatusOK, gin.H{"worker": res.Worker, "queue": res.Queue, "task_id": res.TaskID,
			"round_trip_ms": float64(res.RoundTrip.Microseconds()) / 1000})
	}
}
