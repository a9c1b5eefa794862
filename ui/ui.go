// Package ui is the web UI of zaoshu: server-rendered pages (html/template
// and htmx) for testers and incident staff, in Simplified Chinese by default
// and English on request. Every template and asset is embedded in the
// binary; nothing runs npm at build or run time (ui/static/vendor/update.sh
// refreshes the vendored files).
//
// First start: store.Bootstrap makes user "admin" with an API token and no
// password. On the login page the admin enters "admin" and that token as the
// password once; the UI then asks for a password to set, and from then on
// only the password works.
package ui

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/zaoshu/zaoshu/jobs"
	"github.com/zaoshu/zaoshu/store"
)

//go:embed templates static
var assets embed.FS

// Deps are what the UI needs from the rest of zaoshu.
type Deps struct {
	Store   *store.Store
	Builds  *jobs.Builds
	Library *jobs.Library
	Log     *slog.Logger
	// SecureCookies is true when the site is served over HTTPS.
	SecureCookies bool
}

// UI serves the web pages.
type UI struct {
	store   *store.Store
	builds  *jobs.Builds
	library *jobs.Library
	log     *slog.Logger
	secure  bool
	pages   map[string]*template.Template
	static  fs.FS
	health  *healthProber
	logins  *loginThrottle
}

// New parses the templates and prepares the UI.
func New(d Deps) (*UI, error) {
	if d.Store == nil || d.Builds == nil || d.Library == nil {
		return nil, fmt.Errorf("ui: Store, Builds and Library are required")
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	pages, err := parsePages(assets)
	if err != nil {
		return nil, err
	}
	static, err := fs.Sub(assets, "static")
	if err != nil {
		return nil, fmt.Errorf("ui: static assets: %w", err)
	}
	return &UI{store: d.Store, builds: d.Builds, library: d.Library, log: d.Log.With("component", "ui"),
		secure: d.SecureCookies, pages: pages, static: static, health: newHealthProber(), logins: newLoginThrottle()}, nil
}

// Register mounts every page and asset (/, /login, /logout, /workflows…,
// /runs…, /stats, /environments, /tokens, /presets…, /static/…) on the engine.
func (u *UI) Register(r *gin.Engine) {
	r.GET("/static/*file", u.serveStatic)
	r.GET("/lang/:lang", u.switchLanguage)

	r.GET("/login", u.securityHeaders, u.showLogin)
	r.POST("/login", u.securityHeaders, u.login)

	g := r.Group("", u.securityHeaders, u.requireSession, u.checkCSRF)
	g.POST("/logout", u.logout)
	g.GET("/password", u.showPassword)
	g.POST("/password", u.setPassword)

	a := g.Group("", u.requirePassword)
	a.GET("/", u.showHome)
	a.GET("/workflows", u.listWorkflows)
	a.GET("/workflows/:name", u.showWorkflow)
	a.GET("/workflows/:name/edit", u.requireAdmin, u.editWorkflow)
	a.POST("/workflows/:name/edit", u.requireAdmin, u.saveWorkflow)
	a.POST("/workflows/:name/check", u.requireAdmin, u.checkWorkflowEdit)
	a.GET("/workflows/:name/build", u.showBuildForm)
	a.POST("/workflows/:name/build", u.submitBuild)
	a.POST("/workflows/:name/regenerate/:input", u.regenerateInput)
	a.POST("/workflows/:name/validate/:input", u.validateInput)
	a.GET("/runs", u.listRuns)
	a.GET("/runs/table", u.runsTable)
	a.GET("/runs/stream", u.streamRuns)
	a.GET("/runs/:id", u.showRun)
	a.GET("/runs/:id/live", u.runLive)
	a.GET("/runs/:id/stream", u.streamRun)
	a.POST("/runs/:id/cancel", u.cancelRun)
	a.POST("/runs/:id/retry", u.retryRun)
	a.GET("/runs/:id/rerun", u.showRerunForm)
	a.POST("/runs/:id/rerun", u.submitRerun)
	a.POST("/presets/:id/build", u.buildPreset)
	a.POST("/presets/:id/delete", u.deletePreset)
	a.GET("/stats", u.showStats)
	a.GET("/environments", u.listEnvironments)
	a.GET("/environments/new", u.requireAdmin, u.newEnvironment)
	a.GET("/environments/:name/edit", u.requireAdmin, u.editEnvironment)
	a.POST("/environments/:name/edit", u.requireAdmin, u.saveEnvironment)
	a.GET("/tokens", u.listTokens)
	a.POST("/tokens", u.createToken)
	a.POST("/tokens/:id/revoke", u.revokeToken)
}

func (u *UI) serveStatic(c *gin.Context) {
	name := strings.TrimPrefix(path.Clean(c.Param("file")), "/")
	if strings.HasPrefix(name, "vendor/") {
		// Vendored files change only with their version: cache them long.
		c.Header("Cache-Control", "public, max-age=86400")
	} else {
		c.Header("Cache-Control", "no-cache")
	}
	c.Header("X-Content-Type-Options", "nosniff")
	c.FileFromFS(name, http.FS(u.static))
}

// securityHeaders keep the pages out of frames and scripts to our own files.
func (u *UI) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'")
	c.Next()
}
