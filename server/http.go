package server

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zaoshu/zaoshu/api"
	"github.com/zaoshu/zaoshu/jobs"
	"github.com/zaoshu/zaoshu/store"
	"github.com/zaoshu/zaoshu/ui"
	"github.com/zaoshu/zaoshu/workflows/library"
)

// httpDeps are what the HTTP side needs.
type httpDeps struct {
	log     *slog.Logger
	store   *store.Store
	redis   *jobs.Redis
	queue   *jobs.Client
	builds  *jobs.Builds
	library *jobs.Library
	apiRate int
	// secureCookies marks browser session cookies Secure (the site is served over HTTPS).
	secureCookies bool
}

func newEngine(d httpDeps) (*gin.Engine, error) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.ContextWithFallback = true
	r.Use(requestID(), recovery(d.log), accessLog(d.log))
	r.NoRoute(func(c *gin.Context) { api.WriteProblem(c, http.StatusNotFound, "not_found", "", nil) })
	r.NoMethod(func(c *gin.Context) { api.WriteProblem(c, http.StatusMethodNotAllowed, "method", "", nil) })

	r.GET("/healthz", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "alive"}) })
	r.GET("/readyz", readyz(d))

	if err := api.RegisterDocs(r); err != nil {
		return nil, err
	}
	v1 := r.Group("/api/v1", authenticate(d.store, d.log))
	api.New(api.Deps{Store: d.store, Builds: d.builds, Library: d.library, Queue: d.queue, Redis: d.redis, Log: d.log,
		RatePerSecond: d.apiRate, Fragments: library.FS}).Register(v1)
	web, err := ui.New(ui.Deps{Store: d.store, Builds: d.builds, Library: d.library, Log: d.log, SecureCookies: d.secureCookies})
	if err != nil {
		return nil, err
	}
	web.Register(r)
	return r, nil
}

// check is one dependency's state in /readyz.
type check struct {
	Status string `json:"status"`
	Target string `json:"target"`
	Kind   string `json:"kind"`
	Error  string `json:"error,omitempty"`
	Schema string `json:"schema_version,omitempty"`
}

// readyz checks the database and Redis (each within 2 s, in parallel) and
// answers 503 naming whatever is down.
func readyz(d httpDeps) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
		defer cancel()
		db := check{Target: d.store.Target(), Kind: string(d.store.Driver())}
		rd := check{Target: d.redis.Target(), Kind: "redis"}
		if d.redis.Embedded() {
			rd.Kind = "embedded-redis"
		}
		var wg sync.WaitGroup
		wg.Add(2)
		go func() {
			defer wg.Done()
			err := d.store.Ping(ctx)
			if err == nil {
				db.Schema, err = d.store.SchemaVersion(ctx)
			}
			db.set(err)
		}()
		go func() {
			defer wg.Done()
			rd.set(d.redis.Ping(ctx))
		}()
		wg.Wait()
		checks := gin.H{"database": db, "redis": rd}
		var down []string
		for _, ch := range []struct {
			name string
			check
		}{{"database", db}, {"redis", rd}} {
			if ch.Status != "up" {
				down = append(down, ch.name+" is down: "+ch.Error)
			}
		}
		if len(down) > 0 {
			api.WriteProblem(c, http.StatusServiceUnavailable, "not_ready", strings.Join(down, "; "), gin.H{"checks": checks})
			return
		}
		c.JSON(http.StatusOK, gin.H{"status": "ready", "checks": checks})
	}
}

func (ch *check) set(err error) {
	if err != nil {
		ch.Status, ch.Error = "down", err.Error()
		return
	}
	ch.Status = "up"
}
