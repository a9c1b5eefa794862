package ui

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zaoshu/zaoshu/store"
)

const (
	sessionCookie = "zaoshu_session"
	loginCSRF     = "zaoshu_login_csrf"
	langCookie    = "zaoshu_lang"
	sessionTTL    = 12 * time.Hour
	sessionKey    = "ui.session"
)

// session is the logged-in user of a request.
type session struct {
	secret string
	sess   *store.UISession
	user   *store.User
}

func currentSession(c *gin.Context) *session {
	if s, ok := c.Get(sessionKey); ok {
		return s.(*session)
	}
	return nil
}

func currentUser(c *gin.Context) *store.User { return currentSession(c).user }

// isHTMX tells a request htmx made (a fragment, not a page).
func isHTMX(c *gin.Context) bool { return c.GetHeader("HX-Request") == "true" }

// requireSession lets in only requests with a live session; others go to
// the login page (htmx requests are told to go there themselves).
func (u *UI) requireSession(c *gin.Context) {
	secret, err := c.Cookie(sessionCookie)
	if err == nil && secret != "" {
		sess, user, err := u.store.Session(c.Request.Context(), secret)
		if err == nil {
			c.Set(sessionKey, &session{secret: secret, sess: sess, user: user})
			c.Next()
			return
		}
		if !errors.Is(err, store.ErrSessionInvalid) {
			u.fail(c, err)
			return
		}
	}
	target := "/login?next=" + url.QueryEscape(c.Request.URL.RequestURI())
	if isHTMX(c) {
		c.Header("HX-Redirect", target)
		c.AbortWithStatus(http.StatusUnauthorized)
		return
	}
	if c.Request.Method != http.MethodGet {
		target = "/login"
	}
	c.Redirect(http.StatusSeeOther, target)
	c.Abort()
}

// requirePassword sends a session opened with the first admin's API token
// to set a password before anything else.
func (u *UI) requirePassword(c *gin.Context) {
	if currentSession(c).sess.MustSetPass {
		c.Redirect(http.StatusSeeOther, "/password")
		c.Abort()
		return
	}
	c.Next()
}

// requireAdmin refuses members.
func (u *UI) requireAdmin(c *gin.Context) {
	if currentUser(c).Role != store.RoleAdmin {
		v := u.newView(c, "", nil)
		v.Title = v.T("error.forbidden")
		u.render(c, http.StatusForbidden, "not_found", v)
		c.Abort()
		return
	}
	c.Next()
}

// checkCSRF refuses a state-changing request that does not carry the
// session's CSRF token, as a form field or (htmx) a header.
func (u *UI) checkCSRF(c *gin.Context) {
	if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
		c.Next()
		return
	}
	got := c.GetHeader("X-CSRF-Token")
	if got == "" {
		got = c.PostForm("csrf")
	}
	if !sameSecret(got, currentSession(c).sess.CSRF) {
		c.Data(http.StatusForbidden, "text/plain; charset=utf-8", []byte(translate(lang(c), "error.csrf")))
		c.Abort()
		return
	}
	c.Next()
}

func sameSecret(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// setCookie writes an HttpOnly, SameSite=Lax cookie for the whole site.
func (u *UI) setCookie(c *gin.Context, name, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: u.secure, SameSite: http.SameSiteLaxMode})
}

// lang is the page language: the cookie's choice, Simplified Chinese by default.
func lang(c *gin.Context) string {
	if l, err := c.Cookie(langCookie); err == nil && l == "en" {
		return "en"
	}
	return "zh"
}

// switchLanguage remembers the chosen language and goes back.
func (u *UI) switchLanguage(c *gin.Context) {
	l := "zh"
	if c.Param("lang") == "en" {
		l = "en"
	}
	u.setCookie(c, langCookie, l, 365*24*3600)
	c.Redirect(http.StatusSeeOther, localPath(c.Query("next")))
}

// localPath keeps redirects on this site.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return "/"
	}
	return p
}
