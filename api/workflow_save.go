package api

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
	"go.yaml.in/yaml/v3"

	"github.com/zaoshu/zaoshu/store"
)

// saveWorkflow creates or updates a workflow from its YAML: checked exactly
// as zaoshu validate checks it, every problem answered with file:line:col,
// and, if there is none, offered at once as its new revision.
func (h *Handlers) saveWorkflow(c *gin.Context) {
	name := c.Param("name")
	data, err := io.ReadAll(c.Request.Body)
	if err != nil {
		WriteProblem(c, http.StatusRequestEntityTooLarge, "bad_request", err.Error(), nil)
		return
	}
	var head struct {
		Name string `yaml:"name"`
	}
	if err := yaml.Unmarshal(data, &head); err == nil && head.Name != "" && head.Name != name {
		WriteProblem(c, http.StatusUnprocessableEntity, "name_mismatch", "name: "+head.Name, map[string]any{
			"errors": []fieldError{{Field: "name", Message: hintf(c, "hint_name", name, head.Name)}}})
		return
	}
	def, diags, err := h.Library.Save(c.Request.Context(), name+".yaml", data, h.Fragments)
	if err != nil {
		h.writeError(c, err)
		return
	}
	if len(diags) > 0 {
		lang := Lang(c)
		errs := make([]fieldError, len(diags))
		for i, d := range diags {
			errs[i] = fieldError{Field: fmt.Sprintf("%s:%d:%d", d.File, d.Line, d.Col), Message: d.Format(lang)}
		}
		WriteProblem(c, http.StatusUnprocessableEntity, "workflow_invalid", "", map[string]any{"errors": errs, "hint": hintf(c, "hint_validate")})
		return
	}
	c.JSON(http.StatusOK, workflowSummary(def))
}

func (h *Handlers) listRevisions(c *gin.Context) {
	revs, err := h.Store.WorkflowRevisions(c.Request.Context(), c.Param("name"))
	if err != nil {
		h.writeError(c, err)
		return
	}
	if len(revs) == 0 {
		WriteProblem(c, http.StatusNotFound, "workflow_missing", c.Param("name"), map[string]any{"hint": hintf(c, "hint_workflow")})
		return
	}
	out := make([]gin.H, len(revs))
	for i, r := range revs {
		out[i] = gin.H{"revision": r.Revision, "origin": r.Origin, "created_at": r.CreatedAt}
	}
	c.JSON(http.StatusOK, gin.H{"revisions": out})
}

// getRevision answers the exact text of a revision: the file and every
// fragment it uses.
func (h *Handlers) getRevision(c *gin.Context) {
	r, err := h.Store.WorkflowRevision(c.Request.Context(), c.Param("rev"))
	if errors.Is(err, store.ErrNotFound) || (err == nil && r.Workflow != c.Param("name")) {
		WriteProblem(c, http.StatusNotFound, "revision_missing", c.Param("rev"), map[string]any{"hint": hintf(c, "hint_revision")})
		return
	}
	if err != nil {
		h.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"revision": r.Revision, "workflow": r.Workflow, "entry": r.Entry, "origin": r.Origin,
		"created_at": r.CreatedAt, "sources": r.Sources})
}
