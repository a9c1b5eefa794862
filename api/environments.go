package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zaoshu/zaoshu/store"
)

// listEnvironments shows environments without their secrets' values.
func (h *Handlers) listEnvironments(c *gin.Context) {
	envs, err := h.Store.Environments(c.Request.Context())
	if err != nil {
		h.writeError(c, err)
		return
	}
	out := make([]gin.H, 0, len(envs))
	for i := range envs {
		out = append(out, environmentView(&envs[i]))
	}
	c.JSON(http.StatusOK, gin.H{"environments": out})
}

type environmentRequest struct {
	Title           string                         `json:"title"`
	Services        map[string]store.ServiceConfig `json:"services"`
	Secrets         map[string]string              `json:"secrets"`
	Concurrency     int                            `json:"concurrency"`
	Protected       bool                           `json:"protected"`
	PatienceSeconds int                            `json:"patience_seconds"`
}

// saveEnvironment creates or replaces an environment (admin). Secrets sent
// replace the stored ones; absent, the stored ones are kept. Values are
// never answered.
func (h *Handlers) saveEnvironment(c *gin.Context) {
	var req environmentRequest
	if !bind(c, &req) {
		return
	}
	env := &store.Environment{Name: c.Param("name"), Title: req.Title, Services: req.Services, Concurrency: req.Concurrency,
		Protected: req.Protected, Patience: time.Duration(req.PatienceSeconds) * time.Second}
	if problems := env.Check(); len(problems) > 0 {
		errs := make([]fieldError, len(problems))
		for i, p := range problems {
			errs[i] = fieldError{Field: p.Field, Message: p.Message}
		}
		WriteProblem(c, http.StatusUnprocessableEntity, "invalid_input", "", map[string]any{"errors": errs})
		return
	}
	if err := h.Store.SaveEnvironment(c.Request.Context(), env, req.Secrets); err != nil {
		h.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, environmentView(env))
}

func environmentView(e *store.Environment) gin.H {
	services := gin.H{}
	for name, s := range e.Services {
		services[name] = gin.H{"base_url": s.BaseURL}
	}
	return gin.H{"name": e.Name, "title": e.Title, "services": services, "protected": e.Protected,
		"concurrency": e.Concurrency, "patience_seconds": int(e.Patience.Seconds()), "secrets": nonNil(e.SecretNames)}
}
