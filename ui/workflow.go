package ui

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/zaoshu/zaoshu/store"
)

type catalogPage struct{ Cards []workflowCard }

// listWorkflows is the catalogue.
func (u *UI) listWorkflows(c *gin.Context) {
	l := lang(c)
	p := &catalogPage{}
	for _, d := range u.library.Workflows() {
		p.Cards = append(p.Cards, newCard(d, l))
	}
	v := u.newView(c, "workflows", p)
	v.Title = v.T("workflows.title")
	u.render(c, http.StatusOK, "workflows", v)
}

type workflowPage struct {
	Card      workflowCard
	Revision  string
	Source    string
	File      string
	Revisions []store.WorkflowRevision
	Runs      []runRow
	Inputs    []*formGroup
}

// showWorkflow shows a workflow's YAML, its revisions and its recent runs.
func (u *UI) showWorkflow(c *gin.Context) {
	def := u.workflowOr404(c)
	if def == nil {
		return
	}
	l := lang(c)
	p := &workflowPage{Card: newCard(def, l), Revision: def.Revision, File: def.File,
		Source: string(def.Sources()[def.SourcePath()]), Inputs: newFields(def, l, nil)}
	var err error
	if p.Revisions, err = u.store.WorkflowRevisions(c.Request.Context(), def.Name); err != nil {
		u.fail(c, err)
		return
	}
	if p.Runs, err = u.recentRuns(c, 0, def.Name, 20); err != nil {
		u.fail(c, err)
		return
	}
	v := u.newView(c, "workflows", p)
	v.Title = p.Card.Title
	u.render(c, http.StatusOK, "workflow", v)
}

func (u *UI) recentRuns(c *gin.Context, user uint64, workflow string, n int) ([]runRow, error) {
	runs, err := u.store.Runs(c.Request.Context(), store.RunFilter{RequestedBy: user, Workflow: workflow, Limit: n})
	if err != nil {
		return nil, err
	}
	return u.runRows(c, runs)
}
