package ui

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/zaoshu/zaoshu/jobs"
	"github.com/zaoshu/zaoshu/store"
	"github.com/zaoshu/zaoshu/workflows"
	"github.com/zaoshu/zaoshu/workflows/fake"
)

// defaultEnvironment is chosen in the form when nothing else says which.
const defaultEnvironment = "uat-sim"

// workflowOr404 finds the workflow named in the path, or answers 404.
func (u *UI) workflowOr404(c *gin.Context) *workflows.Definition {
	def, err := u.library.Workflow(c.Param("name"))
	if err != nil {
		u.notFound(c)
		return nil
	}
	return def
}

// resolveInputs fills defaults (fresh generated values) around what is given;
// when what is given has problems, the given values are shown as they are.
func resolveInputs(def *workflows.Definition, given map[string]any) map[string]any {
	resolved, problems := workflows.ValidateInputs(def, given, fake.New(0))
	if len(problems) > 0 {
		return given
	}
	return resolved
}

// newBuildForm prepares the form of def with values, the environments and
// the user's presets.
func (u *UI) newBuildForm(c *gin.Context, def *workflows.Definition, values map[string]any, env string) (*buildForm, error) {
	l := lang(c)
	f := &buildForm{Workflow: def, Title: def.Title.In(l), Description: def.Description.In(l),
		Action: "/workflows/" + def.Name + "/build", Groups: newFields(def, l, values), Environment: env}
	if f.Title == "" {
		f.Title = def.Name
	}
	envs, err := u.store.Environments(c.Request.Context())
	if err != nil {
		return nil, err
	}
	for _, e := range envs {
		f.Environments = append(f.Environments, e.Name)
		if f.Environment == "" && e.Name == defaultEnvironment {
			f.Environment = e.Name
		}
	}
	if f.Environment == "" && len(f.Environments) > 0 {
		f.Environment = f.Environments[0]
	}
	presets, err := u.store.Presets(c.Request.Context(), currentUser(c).ID, def.Name)
	if err != nil {
		return nil, err
	}
	f.Presets = u.presetViews(c, presets)
	return f, nil
}

func (u *UI) renderBuildForm(c *gin.Context, status int, f *buildForm) {
	v := u.newView(c, "workflows", f)
	v.Title = f.Title
	u.render(c, status, "build", v)
}

// showBuildForm shows a workflow's form with fresh generated defaults, or
// filled from a preset (?preset=id).
func (u *UI) showBuildForm(c *gin.Context) {
	def := u.workflowOr404(c)
	if def == nil {
		return
	}
	var given map[string]any
	env, ticket, labels := "", "", ""
	if id, err := strconv.ParseUint(c.Query("preset"), 10, 64); err == nil {
		p, err := u.store.Preset(c.Request.Context(), id, currentUser(c).ID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			u.fail(c, err)
			return
		}
		if p != nil {
			given, env, ticket = p.Inputs, p.Environment, p.Ticket
			labels = strings.Join(p.Labels, ",")
		}
	}
	f, err := u.newBuildForm(c, def, resolveInputs(def, given), env)
	if err != nil {
		u.fail(c, err)
		return
	}
	f.Ticket, f.Labels = ticket, labels
	u.renderBuildForm(c, http.StatusOK, f)
}

// submitBuild checks the form and queues the build; problems come back
// under their fields, in the user's language, before anything is built.
func (u *UI) submitBuild(c *gin.Context) {
	def := u.workflowOr404(c)
	if def == nil {
		return
	}
	user := currentUser(c)
	inputs := postedInputs(c, def)
	env, ticket, labels := c.PostForm("environment"), c.PostForm("ticket"), c.PostForm("labels")
	run, err := u.builds.Submit(c.Request.Context(), jobs.Request{
		Workflow: def.Name, Environment: env, Inputs: inputs, Source: jobs.SourceUI,
		RequestedBy: user.ID, Ticket: ticket, Labels: splitLabels(labels),
	})
	if err != nil && run == nil {
		u.refuseBuild(c, def, inputs, env, ticket, labels, err)
		return
	}
	if err != nil {
		// Recorded but not queued: the run page says why.
		u.log.WarnContext(c.Request.Context(), "build recorded but not queued", "run", run.ID, "error", err)
	}
	if name := c.PostForm("preset_name"); name != "" {
		p := &store.Preset{Name: name, Workflow: def.Name, Environment: env, Inputs: presetInputs(def, inputs), Ticket: ticket,
			Labels: splitLabels(labels), Shared: c.PostForm("preset_shared") != "", OwnerID: user.ID}
		if err := u.store.SavePreset(c.Request.Context(), p); err != nil {
			u.log.WarnContext(c.Request.Context(), "save preset", "error", err)
		}
	}
	c.Redirect(http.StatusSeeOther, "/runs/"+run.ID)
}

// refuseBuild shows the form again with what was wrong.
func (u *UI) refuseBuild(c *gin.Context, def *workflows.Definition, inputs map[string]any, env, ticket, labels string, err error) {
	f, ferr := u.newBuildForm(c, def, inputs, env)
	if ferr != nil {
		u.fail(c, ferr)
		return
	}
	f.Ticket, f.Labels = ticket, labels
	u.showRefusal(c, f, env, err)
}

// showRefusal shows a form again with why the build was refused.
func (u *UI) showRefusal(c *gin.Context, f *buildForm, env string, err error) {
	l := lang(c)
	var problems workflows.InputErrors
	switch {
	case errors.As(err, &problems):
		f.Error = setErrors(f.Groups, problems, l)
		if f.Error == "" {
			f.Error = translate(l, "build.fix_fields")
		}
	case errors.Is(err, jobs.ErrEnvironmentNotFound):
		f.Error = translate(l, "build.env_not_found", env)
	case errors.Is(err, jobs.ErrEnvironmentGuarded):
		f.Error = translate(l, "build.env_protected", env)
	case errors.Is(err, jobs.ErrEnvironmentBroken):
		f.Error = translate(l, "build.env_broken", env, err.Error())
	default:
		u.fail(c, err)
		return
	}
	u.renderBuildForm(c, http.StatusUnprocessableEntity, f)
}

// regenerateInput generates a fresh default for one input, from the other
// values of the form (a bank card follows the chosen bank), for htmx to swap in.
func (u *UI) regenerateInput(c *gin.Context) {
	def := u.workflowOr404(c)
	if def == nil {
		return
	}
	in := def.Input(c.Param("input"))
	if in == nil {
		u.notFound(c)
		return
	}
	given := postedInputs(c, def)
	delete(given, in.Name)
	resolved, problems := workflows.ValidateInputs(def, given, fake.New(0))
	if len(problems) > 0 {
		resolved, _ = workflows.ValidateInputs(def, nil, fake.New(0))
	}
	v := u.newView(c, "", newField(def.Name, in, lang(c), resolved[in.Name]))
	u.renderPartial(c, http.StatusOK, "field", v)
}

// presetInputs keeps what a preset should repeat: not the values of inputs
// generated fresh for each build (name, ID number, card…), since one person
// or card can be opened only once, so every build from the preset gets new ones.
func presetInputs(def *workflows.Definition, inputs map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range inputs {
		in := def.Input(k)
		if in == nil {
			continue
		}
		if _, static := in.StaticDefault(); in.Default != nil && !static {
			continue
		}
		out[k] = v
	}
	return out
}

// validateInput checks one input as the person leaves it, for htmx to show
// the problem under the field before the form is sent.
func (u *UI) validateInput(c *gin.Context) {
	def := u.workflowOr404(c)
	if def == nil {
		return
	}
	in := def.Input(c.Param("input"))
	if in == nil {
		u.notFound(c)
		return
	}
	given := postedInputs(c, def)
	l := lang(c)
	f := newField(def.Name, in, l, given[in.Name])
	_, problems := workflows.ValidateInputs(def, given, fake.New(0))
	var msgs []string
	for _, p := range problems {
		if p.Input == in.Name {
			msgs = append(msgs, p.Message.In(l))
		}
	}
	f.Error = strings.Join(msgs, "；")
	u.renderPartial(c, http.StatusOK, "field", u.newView(c, "", f))
}
