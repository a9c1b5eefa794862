package ui

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/zaoshu/zaoshu/store"
)

type loginPage struct {
	Username string
	Next     string
	Error    string
	CSRF     string
}

// showLogin shows the login form. Before a session exists, CSRF is a
// double-submit cookie.
func (u *UI) showLogin(c *gin.Context) {
	u.renderLogin(c, http.StatusOK, &loginPage{Next: localPath(c.Query("next"))})
}

func (u *UI) renderLogin(c *gin.Context, status int, p *loginPage) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	p.CSRF = hex.EncodeToString(b)
	u.setCookie(c, loginCSRF, p.CSRF, 3600)
	v := u.newView(c, "login", p)
	v.Title = v.T("login.title")
	u.render(c, status, "login", v)
}

// login checks a password — or, for a user without one, their API token
// once — and opens a session.
func (u *UI) login(c *gin.Context) {
	p := &loginPage{Username: c.PostForm("username"), Next: localPath(c.PostForm("next"))}
	cookie, _ := c.Cookie(loginCSRF)
	if !sameSecret(c.PostForm("csrf"), cookie) {
		p.Error = translate(lang(c), "login.expired")
		u.renderLogin(c, http.StatusForbidden, p)
		return
	}
	if wait := u.logins.blocked(p.Username); wait > 0 {
		p.Error = fmt.Sprintf(translate(lang(c), "login.locked"), int(wait.Minutes())+1)
		u.renderLogin(c, http.StatusTooManyRequests, p)
		return
	}
	ctx := c.Request.Context()
	password := c.PostForm("password")
	user, err := u.store.CheckPassword(ctx, p.Username, password)
	mustSet := false
	if errors.Is(err, store.ErrNoPassword) {
		user, err = u.store.FirstPasswordLogin(ctx, p.Username, password)
		mustSet = err == nil
	}
	if errors.Is(err, store.ErrBadCredentials) {
		u.logins.failed(p.Username)
		p.Error = translate(lang(c), "login.bad")
		u.renderLogin(c, http.StatusUnauthorized, p)
		return
	}
	if err != nil {
		u.fail(c, err)
		return
	}
	u.logins.succeeded(p.Username)
	secret, _, err := u.store.CreateSession(ctx, user.ID, sessionTTL, mustSet)
	if err != nil {
		u.fail(c, err)
		return
	}
	u.setCookie(c, loginCSRF, "", -1)
	u.setCookie(c, sessionCookie, secret, int(sessionTTL.Seconds()))
	u.log.InfoContext(ctx, "login", "user", user.Username, "first_start", mustSet)
	if mustSet {
		c.Redirect(http.StatusSeeOther, "/password")
		return
	}
	c.Redirect(http.StatusSeeOther, p.Next)
}

// logout ends the session.
func (u *UI) logout(c *gin.Context) {
	if err := u.store.DeleteSession(c.Request.Context(), currentSession(c).secret); err != nil {
		u.fail(c, err)
		return
	}
	u.setCookie(c, sessionCookie, "", -1)
	c.Redirect(http.StatusSeeOther, "/login")
}
