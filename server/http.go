package server

import (
	"context"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zaoshu/zaoshu/api"
	"github.com/zaoshu/zaoshu/jobs"
	"github.com/zaoshu/zaoshu/store"
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
}

func newEngine(d httpDeps) *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.ContextWithFallback = true
	r.Use(requestID(), recovery(d.log), accessLog(d.log))
	r.NoRoute(func(c *gin.Context) { api.WriteProblem(c, http.StatusNotFound, "not_found", "", nil) })
	r.NoMethod(func(c *gin.Context) { api.WriteProblem(c, http.StatusMethodNotAllowed, "method", "", nil) })

	r.GET("/", home)
	r.GET("/healthz", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "alive"}) })
	r.GET("/readyz", readyz(d))

	if err := api.RegisterDocs(r); err != nil {
		panic(err) // the embedded spec is checked by tests; it cannot be broken at run time
	}
	v1 := r.Group("/api/v1", authenticate(d.store, d.log))
	api.New(api.Deps{Store: d.store, Builds: d.builds, Library: d.library, Queue: d.queue, Redis: d.redis, Log: d.log,
		RatePerSecond: d.apiRate, Fragments: library.FS}).Register(v1)
	return r
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

var homePage = template.Must(template.New("home").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem">
<h1>{{.Title}}</h1><p>{{.Lead}}</p>
<ul><li><a href="/readyz">/readyz</a> — {{.Ready}}</li><li><code>/api/v1</code> — {{.API}}</li></ul>
</body></html>`))

// home is a placeholder landing page until the web UI exists.
func home(c *gin.Context) {
	lang := api.Lang(c)
	data := map[string]string{"Lang": "zh-CN", "Title": "造数 zaoshu", "Lead": "测试数据构造平台已启动。", "Ready": "依赖状态", "API": "REST API（需要 API 令牌）"}
	if lang == api.LangEN {
		data = map[string]string{"Lang": "en", "Title": "zaoshu", "Lead": "The test-data construction platform is running.", "Ready": "dependency status", "API": "REST API (needs an API token)"}
	}
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Status(http.StatusOK)
	_ = homePage.Execute(c.Writer, data)
}
