package ui

import (
	"net/http"
	"strings"
	"testing/fstest"

	"github.com/gin-gonic/gin"

	"github.com/zaoshu/zaoshu/workflows"
)

// editorLine is one line of a workflow being edited, with the loader's
// problems found on it.
type editorLine struct {
	N        int
	Text     string
	Problems []string
}

// workflowEditPage is the admin's editor of one workflow's YAML.
type workflowEditPage struct {
	Name    string
	File    string
	Source  string
	Checked bool
	Lines   []editorLine
	// Other are problems not on a line of this file (a fragment's, say).
	Other []string
	OK    bool
}

// checkWorkflow loads an edited text with the fragments the workflow uses
// now, the same strict way the platform loads workflows, and places each
// problem under its line.
func checkWorkflow(def *workflows.Definition, text, lang string) (*workflows.Definition, *workflowEditPage) {
	p := &workflowEditPage{Name: def.Name, File: def.SourcePath(), Source: text, Checked: true}
	sources := def.Sources()
	sources[def.SourcePath()] = []byte(text)
	edited, diags := workflows.LoadSources(def.SourcePath(), sources)
	lines := strings.Split(text, "\n")
	p.Lines = make([]editorLine, len(lines))
	for i, l := range lines {
		p.Lines[i] = editorLine{N: i + 1, Text: l}
	}
	for _, d := range diags {
		msg := d.Message.In(lang)
		if d.Suggestion != "" {
			msg += " " + translate(lang, "editor.did_you_mean", d.Suggestion)
		}
		if d.File == def.SourcePath() && d.Line >= 1 && d.Line <= len(lines) {
			p.Lines[d.Line-1].Problems = append(p.Lines[d.Line-1].Problems, msg)
			continue
		}
		p.Other = append(p.Other, d.Format(lang))
	}
	if len(diags) == 0 && edited != nil {
		switch {
		case edited.Kind != workflows.KindWorkflow:
			p.Other = append(p.Other, translate(lang, "editor.not_workflow"))
		case edited.Name != def.Name:
			p.Other = append(p.Other, translate(lang, "editor.renamed", def.Name, edited.Name))
		}
	}
	p.OK = len(diags) == 0 && len(p.Other) == 0
	if !p.OK {
		return nil, p
	}
	return edited, p
}

// editWorkflow shows the editor with the workflow's current text.
func (u *UI) editWorkflow(c *gin.Context) {
	def := u.workflowOr404(c)
	if def == nil {
		return
	}
	u.renderEditor(c, http.StatusOK, &workflowEditPage{Name: def.Name, File: def.SourcePath(), Source: string(def.Sources()[def.SourcePath()])})
}

func (u *UI) renderEditor(c *gin.Context, status int, p *workflowEditPage) {
	v := u.newView(c, "workflows", p)
	v.Title = v.T("editor.title", p.Name)
	u.render(c, status, "workflow_edit", v)
}

// checkWorkflowEdit answers the editor's "check" with the problems at their lines.
func (u *UI) checkWorkflowEdit(c *gin.Context) {
	def := u.workflowOr404(c)
	if def == nil {
		return
	}
	_, p := checkWorkflow(def, c.PostForm("source"), lang(c))
	u.renderPartial(c, http.StatusOK, "workflow_check", u.newView(c, "workflows", p))
}

// saveWorkflow makes the edited text the workflow's current revision, only
// when it loads without a problem; it is kept and offered again after a
// restart (jobs.Library.LoadSaved). Runs started before keep their revision.
func (u *UI) saveWorkflow(c *gin.Context) {
	def := u.workflowOr404(c)
	if def == nil {
		return
	}
	if edited, p := checkWorkflow(def, c.PostForm("source"), lang(c)); edited == nil {
		u.renderEditor(c, http.StatusUnprocessableEntity, p)
		return
	}
	// Save keeps the text as a saved revision, offered again at every start.
	fragments := fstest.MapFS{}
	for path, data := range def.Sources() {
		if path != def.SourcePath() {
			fragments[path] = &fstest.MapFile{Data: data}
		}
	}
	saved, diags, err := u.library.Save(c.Request.Context(), def.SourcePath(), []byte(c.PostForm("source")), fragments)
	if err != nil {
		u.fail(c, err)
		return
	}
	if len(diags) > 0 {
		p := &workflowEditPage{Name: def.Name, File: def.SourcePath(), Source: c.PostForm("source"), Checked: true,
			Other: strings.Split(diags.Format(lang(c)), "\n")}
		u.renderEditor(c, http.StatusUnprocessableEntity, p)
		return
	}
	u.log.InfoContext(c.Request.Context(), "workflow edited in the browser", "workflow", def.Name, "revision", saved.Revision, "user", currentUser(c).Username)
	c.Redirect(http.StatusSeeOther, "/workflows/"+def.Name)
}
