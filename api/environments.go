package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// listEnvironments shows environments without their secrets' values.
func (h *Handlers) listEnvironments(c *gin.Context) {
	envs, err := h.Store.Environments(c.Request.Context())
	if err != nil {
		h.writeError(c, err)
		return
	}
	out := make([]gin.H, 0, len(envs))
	for _, e := range envs {
		services := gin.H{}
		for name, s := range e.Services {
			services[name] = gin.H{"base_url": s.BaseURL}
		}
		out = append(out, gin.H{"name": e.Name, "title": e.Title, "services": services, "protected": e.Protected,
			"concurrency": e.Concurrency, "patience_seconds": int(e.Patience.Seconds()), "secrets": nonNil(e.SecretNames)})
	}
	c.JSON(http.StatusOK, gin.H{"environments": out})
}
