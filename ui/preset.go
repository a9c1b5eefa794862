package ui

import (
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/zaoshu/zaoshu/jobs"
	"github.com/zaoshu/zaoshu/store"
)

// presetView is a preset as lists show it.
type presetView struct {
	ID            uint64
	Name          string
	Workflow      string
	WorkflowTitle string
	Environment   string
	Summary       string
	Shared        bool
	Mine          bool
}

func (u *UI) presetViews(c *gin.Context, ps []store.Preset) []presetView {
	me, l := currentUser(c).ID, lang(c)
	out := make([]presetView, 0, len(ps))
	for _, p := range ps {
		pv := presetView{ID: p.ID, Name: p.Name, Workflow: p.Workflow, WorkflowTitle: p.Workflow, Environment: p.Environment,
			Shared: p.Shared, Mine: p.OwnerID == me}
		if def, err := u.library.Workflow(p.Workflow); err == nil && !def.Title.IsZero() {
			pv.WorkflowTitle = def.Title.In(l)
		}
		var parts []string
		for _, k := range sortedKeys(p.Inputs) {
			if in, ok := p.Inputs[k]; ok && formatValue(in) != "" {
				parts = append(parts, k+"="+formatValue(in))
			}
		}
		pv.Summary = strings.Join(parts, " ")
		out = append(out, pv)
	}
	return out
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func presetID(c *gin.Context) uint64 {
	id, _ := strconv.ParseUint(c.Param("id"), 10, 64)
	return id
}

// buildPreset builds from a preset in one click.
func (u *UI) buildPreset(c *gin.Context) {
	user := currentUser(c)
	p, err := u.store.Preset(c.Request.Context(), presetID(c), user.ID)
	if errors.Is(err, store.ErrNotFound) {
		u.notFound(c)
		return
	}
	if err != nil {
		u.fail(c, err)
		return
	}
	def, err := u.library.Workflow(p.Workflow)
	if err != nil {
		u.notFound(c)
		return
	}
	run, err := u.builds.Submit(c.Request.Context(), jobs.Request{
		Workflow: p.Workflow, Environment: p.Environment, Inputs: p.Inputs, Source: jobs.SourceUI,
		RequestedBy: user.ID, Ticket: p.Ticket, Labels: p.Labels,
	})
	if err != nil && run == nil {
		u.refuseBuild(c, def, p.Inputs, p.Environment, p.Ticket, strings.Join(p.Labels, ","), err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/runs/"+run.ID)
}

// deletePreset removes one of the user's presets.
func (u *UI) deletePreset(c *gin.Context) {
	err := u.store.DeletePreset(c.Request.Context(), presetID(c), currentUser(c).ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		u.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, localPath(c.PostForm("next")))
}
