package api

import (
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/zaoshu/zaoshu/jobs"
	"github.com/zaoshu/zaoshu/store"
)

func tokenView(t *store.APIToken) gin.H {
	v := gin.H{"id": t.ID, "name": t.Name, "prefix": t.Prefix, "scopes": t.ScopeList(), "created_at": t.CreatedAt}
	if t.CallbackURL != "" {
		v["callback_url"] = t.CallbackURL
	}
	if t.LastUsedAt != nil {
		v["last_used_at"] = t.LastUsedAt
	}
	return v
}

func (h *Handlers) listTokens(c *gin.Context) {
	toks, err := h.Store.UserTokens(c.Request.Context(), CurrentUser(c.Request.Context()).ID)
	if err != nil {
		h.writeError(c, err)
		return
	}
	out := make([]gin.H, 0, len(toks))
	for i := range toks {
		if toks[i].RevokedAt == nil {
			out = append(out, tokenView(&toks[i]))
		}
	}
	c.JSON(http.StatusOK, gin.H{"tokens": out})
}

// createToken issues a token for the caller, never with more scopes than
// the caller's own token has.
func (h *Handlers) createToken(c *gin.Context) {
	var body struct {
		Name     string   `json:"name" binding:"required,max=128"`
		Scopes   []string `json:"scopes"`
		Callback *struct {
			URL    string `json:"url"`
			Secret string `json:"secret"`
		} `json:"callback"`
	}
	if !bind(c, &body) {
		return
	}
	ctx := c.Request.Context()
	caller := CurrentToken(ctx)
	for _, s := range body.Scopes {
		if !slices.Contains(store.AllScopes, s) {
			WriteProblem(c, http.StatusUnprocessableEntity, "bad_request", "unknown scope "+strconv.Quote(s), map[string]any{
				"errors": []fieldError{{Field: "scopes", Message: "want read, build or admin"}}})
			return
		}
		if !caller.HasScope(s) {
			WriteProblem(c, http.StatusForbidden, "forbidden", "the calling token lacks scope "+s, map[string]any{"hint": hintf(c, "hint_scope", s)})
			return
		}
	}
	if body.Callback != nil {
		if err := jobs.CheckCallback(&jobs.Callback{URL: body.Callback.URL}); err != nil {
			h.writeError(c, err)
			return
		}
	}
	secret, tok, err := h.Store.CreateToken(ctx, CurrentUser(ctx).ID, body.Name, body.Scopes...)
	if err != nil {
		h.writeError(c, err)
		return
	}
	if body.Callback != nil {
		if err := h.Store.SetTokenCallback(ctx, tok.ID, body.Callback.URL, body.Callback.Secret); err != nil {
			h.writeError(c, err)
			return
		}
		tok.CallbackURL = body.Callback.URL
	}
	v := tokenView(tok)
	v["secret"] = secret
	c.JSON(http.StatusCreated, v)
}

func (h *Handlers) revokeToken(c *gin.Context) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err == nil {
		err = h.Store.RevokeUserToken(c.Request.Context(), CurrentUser(c.Request.Context()).ID, id)
	}
	if err != nil {
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, strconv.ErrSyntax) || errors.Is(err, strconv.ErrRange) {
			WriteProblem(c, http.StatusNotFound, "token_missing", "", map[string]any{"hint": hintf(c, "hint_token")})
			return
		}
		h.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
