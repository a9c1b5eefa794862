package ui

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/zaoshu/zaoshu/jobs"
	"github.com/zaoshu/zaoshu/store"
)

// cancelRun asks a run to stop; a finished one is left as it is.
func (u *UI) cancelRun(c *gin.Context) {
	id := c.Param("id")
	if _, err := u.builds.Cancel(c.Request.Context(), id); err != nil && !errors.Is(err, store.ErrRunFinished) {
		u.actionFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/runs/"+id)
}

// retryRun starts a failed or cancelled run again from its failed step.
func (u *UI) retryRun(c *gin.Context) {
	id := c.Param("id")
	if _, err := u.builds.Retry(c.Request.Context(), id); err != nil && !errors.Is(err, store.ErrWrongRunStatus) {
		u.actionFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/runs/"+id)
}

func (u *UI) actionFailed(c *gin.Context, err error) {
	if errors.Is(err, store.ErrNotFound) {
		u.notFound(c)
		return
	}
	u.fail(c, err)
}

// showRerunForm shows the workflow's form filled with a run's inputs, to
// build again with some of them changed. Sensitive inputs are not shown:
// left empty, they keep the run's values.
func (u *UI) showRerunForm(c *gin.Context) {
	run := u.runOr404(c)
	if run == nil {
		return
	}
	f, err := u.rerunForm(c, run, run.Inputs)
	if err != nil {
		u.actionFailed(c, err)
		return
	}
	u.renderBuildForm(c, http.StatusOK, f)
}

func (u *UI) rerunForm(c *gin.Context, run *store.Run, values map[string]any) (*buildForm, error) {
	def, err := u.library.Workflow(run.Workflow)
	if err != nil {
		return nil, store.ErrNotFound
	}
	shown := map[string]any{}
	for k, v := range values {
		if in := def.Input(k); in != nil && !in.Sensitive {
			shown[k] = v
		}
	}
	f, err := u.newBuildForm(c, def, shown, run.Environment)
	if err != nil {
		return nil, err
	}
	f.Action, f.Rerun, f.Ticket = "/runs/"+run.ID+"/rerun", run.ID, run.Ticket
	f.Environments = []string{run.Environment}
	for _, g := range f.Groups {
		for _, fld := range g.Fields {
			if in := def.Input(fld.Name); in != nil && in.Sensitive {
				fld.Placeholder, fld.Generated = translate(lang(c), "build.sensitive_keep"), false
			}
		}
	}
	return f, nil
}

// submitRerun builds again with the edited inputs, as a new run.
func (u *UI) submitRerun(c *gin.Context) {
	run := u.runOr404(c)
	if run == nil {
		return
	}
	def, err := u.library.Workflow(run.Workflow)
	if err != nil {
		u.notFound(c)
		return
	}
	changes := postedInputs(c, def)
	for _, in := range def.Inputs {
		// A shown field left empty asks for a fresh default, as on the build
		// form; a hidden (sensitive) one keeps the run's value.
		if _, ok := changes[in.Name]; !ok && !in.Sensitive && in.Default != nil {
			changes[in.Name] = nil
		}
	}
	next, err := u.builds.Rerun(c.Request.Context(), run.ID, changes, jobs.SourceUI, currentUser(c).ID)
	if err != nil && next == nil {
		f, ferr := u.rerunForm(c, run, changes)
		if ferr != nil {
			u.actionFailed(c, ferr)
			return
		}
		u.showRefusal(c, f, run.Environment, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/runs/"+next.ID)
}
