package ui

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/zaoshu/zaoshu/store"
)

type tokensPage struct {
	Tokens []store.APIToken
	// Secret is a token just created: shown this once.
	Secret string
	Error  string
}

func (u *UI) renderTokens(c *gin.Context, status int, p *tokensPage) {
	ts, err := u.store.UserTokens(c.Request.Context(), currentUser(c).ID)
	if err != nil {
		u.fail(c, err)
		return
	}
	p.Tokens = ts
	v := u.newView(c, "tokens", p)
	v.Title = v.T("tokens.title")
	u.render(c, status, "tokens", v)
}

// listTokens shows the user's API tokens.
func (u *UI) listTokens(c *gin.Context) { u.renderTokens(c, http.StatusOK, &tokensPage{}) }

// createToken issues a token and shows its secret once.
func (u *UI) createToken(c *gin.Context) {
	name := strings.TrimSpace(c.PostForm("name"))
	if name == "" {
		u.renderTokens(c, http.StatusUnprocessableEntity, &tokensPage{Error: translate(lang(c), "tokens.name_required")})
		return
	}
	secret, _, err := u.store.CreateToken(c.Request.Context(), currentUser(c).ID, name)
	if err != nil {
		u.fail(c, err)
		return
	}
	u.renderTokens(c, http.StatusOK, &tokensPage{Secret: secret})
}

// revokeToken revokes one of the user's tokens.
func (u *UI) revokeToken(c *gin.Context) {
	id, _ := strconv.ParseUint(c.Param("id"), 10, 64)
	err := u.store.RevokeUserToken(c.Request.Context(), currentUser(c).ID, id)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		u.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/tokens")
}
