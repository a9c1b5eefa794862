package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zaoshu/zaoshu/store"
)

// view is what every template gets: the page's own data in D, and the
// language, user and CSRF token the layout needs.
type view struct {
	Lang   string
	User   *store.User
	CSRF   string
	Active string
	Title  string
	// Path is the page's own address, to come back to after switching language.
	Path string
	D    any
}

// groupTable is one "by X" table of the dashboard.
type groupTable struct {
	Title  string
	Groups []store.GroupCounts
}

// chipArgs are what the status chip partial needs.
type chipArgs struct {
	V *view
	S string
}

// T translates a message key into the page's language.
func (v *view) T(key string, args ...any) string { return translate(v.Lang, key, args...) }

// With is the same view around other data, for a partial.
func (v *view) With(d any) *view {
	w := *v
	w.D = d
	return &w
}

// IsAdmin tells whether the viewer may edit workflows and environments.
func (v *view) IsAdmin() bool { return v.User != nil && v.User.Role == store.RoleAdmin }

var templateFuncs = template.FuncMap{
	"json": func(v any) (template.JS, error) {
		b, err := json.Marshal(v)
		return template.JS(b), err
	},
	"since": func(t time.Time) string { return t.Local().Format("2006-01-02 15:04:05") },
	"timeptr": func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.Local().Format("2006-01-02 15:04:05")
	},
	"dur":        formatDuration,
	"percent":    func(f float64) string { return strconv.FormatFloat(f*100, 'f', 1, 64) + "%" },
	"value":      formatValue,
	"sortedKeys": sortedKeys,
	"join":       strings.Join,
	"list":       func(xs ...int) []int { return xs },
	"runsData":   func(rows []runRow) *runsPage { return &runsPage{Rows: rows} },
	"groupData": func(title string, groups []store.GroupCounts) groupTable {
		return groupTable{Title: title, Groups: groups}
	},
	"add":  func(a, b int) int { return a + b },
	"chip": func(v *view, status any) chipArgs { return chipArgs{V: v, S: fmt.Sprint(status)} },
}

// parsePages parses each page with the layout and the shared partials.
func parsePages(fsys fs.FS) (map[string]*template.Template, error) {
	base, err := template.New("").Funcs(templateFuncs).ParseFS(fsys, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("ui: parse layout: %w", err)
	}
	files, err := fs.Glob(fsys, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, f := range files {
		t, err := template.Must(base.Clone()).ParseFS(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("ui: parse %s: %w", f, err)
		}
		name := strings.TrimSuffix(f[strings.LastIndex(f, "/")+1:], ".html")
		pages[name] = t
	}
	pages[""] = base
	return pages, nil
}

// newView starts a view for the request.
func (u *UI) newView(c *gin.Context, active string, d any) *view {
	v := &view{Lang: lang(c), Active: active, D: d, Path: "/"}
	if c.Request.Method == http.MethodGet && !isHTMX(c) {
		v.Path = c.Request.URL.RequestURI()
	}
	if s := currentSession(c); s != nil {
		v.User, v.CSRF = s.user, s.sess.CSRF
	}
	return v
}

// render writes a whole page: the layout around the page's "content".
func (u *UI) render(c *gin.Context, status int, page string, v *view) {
	u.execute(c, status, page, "layout", v)
}

// renderPartial writes one named template, for htmx to swap in.
func (u *UI) renderPartial(c *gin.Context, status int, name string, v *view) {
	u.execute(c, status, "", name, v)
}

func (u *UI) execute(c *gin.Context, status int, page, name string, v *view) {
	t, ok := u.pages[page]
	if !ok {
		u.fail(c, fmt.Errorf("no page %q", page))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, v); err != nil {
		u.fail(c, fmt.Errorf("render %s/%s: %w", page, name, err))
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// fail answers a request that hit a fault of ours, in the user's language,
// with the request id to quote.
func (u *UI) fail(c *gin.Context, err error) {
	rid := c.Writer.Header().Get("X-Request-Id")
	u.log.ErrorContext(c.Request.Context(), "ui request failed", "path", c.Request.URL.Path, "error", err, "request_id", rid)
	msg := translate(lang(c), "error.internal", rid)
	c.Data(http.StatusInternalServerError, "text/html; charset=utf-8", []byte("<!doctype html><meta charset=utf-8><p>"+template.HTMLEscapeString(msg)+"</p>"))
	c.Abort()
}

// notFound answers with a localized 404 page.
func (u *UI) notFound(c *gin.Context) {
	v := u.newView(c, "", nil)
	v.Title = v.T("error.not_found")
	u.render(c, http.StatusNotFound, "not_found", v)
}

func formatDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d < time.Second:
		return strconv.FormatInt(d.Milliseconds(), 10) + "ms"
	case d < time.Minute:
		return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + "s"
	default:
		return d.Round(time.Second).String()
	}
}

// formatValue renders an input or output value as a person types it.
func formatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = formatValue(e)
		}
		return strings.Join(parts, ",")
	case map[string]any:
		b, _ := json.Marshal(x)
		return string(b)
	default:
		return fmt.Sprint(x)
	}
}
