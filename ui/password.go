package ui

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/zaoshu/zaoshu/store"
)

type passwordPage struct {
	FirstStart bool
	Error      string
	Done       bool
}

// showPassword asks for a new password; on first start it is the only page
// the session may see.
func (u *UI) showPassword(c *gin.Context) {
	v := u.newView(c, "", &passwordPage{FirstStart: currentSession(c).sess.MustSetPass})
	v.Title = v.T("password.title")
	u.render(c, http.StatusOK, "password", v)
}

// setPassword saves the new password after checking both copies agree.
func (u *UI) setPassword(c *gin.Context) {
	s := currentSession(c)
	p := &passwordPage{FirstStart: s.sess.MustSetPass}
	pw := c.PostForm("password")
	v := u.newView(c, "", p)
	v.Title = v.T("password.title")
	if pw != c.PostForm("confirm") {
		p.Error = v.T("password.mismatch")
		u.render(c, http.StatusUnprocessableEntity, "password", v)
		return
	}
	err := u.store.SetPassword(c.Request.Context(), s.user.ID, pw)
	if errors.Is(err, store.ErrPasswordWeak) {
		p.Error = v.T("password.weak", store.MinPasswordLength)
		u.render(c, http.StatusUnprocessableEntity, "password", v)
		return
	}
	if err != nil {
		u.fail(c, err)
		return
	}
	if s.sess.MustSetPass {
		if err := u.store.ClearMustSetPassword(c.Request.Context(), s.secret); err != nil {
			u.fail(c, err)
			return
		}
		c.Redirect(http.StatusSeeOther, "/")
		return
	}
	p.Done = true
	u.render(c, http.StatusOK, "password", v)
}
