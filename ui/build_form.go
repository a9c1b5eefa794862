package ui

import (
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/zaoshu/zaoshu/workflows"
)

// Kinds of form control an input is shown as.
const (
	controlText     = "text"
	controlNumber   = "number"
	controlCheckbox = "checkbox"
	controlSelect   = "select"
	controlMulti    = "multi"
	controlPassword = "password"
)

// arrayMarker is posted with every multi-choice input, so a form that
// unticks every box says "none" rather than "not filled in".
const arrayMarker = "_present"

// formField is one input of a workflow as a form control.
type formField struct {
	Workflow    string
	Placeholder string
	Name        string
	Label       string
	Help        string
	Control     string
	Value       string
	Checked     map[string]bool
	Options     []formOption
	Error       string
	Generated   bool
	Required    bool
	Pattern     string
	Min, Max    *float64
	Step        string
	MaxLength   *int
}

type formOption struct{ Value, Label string }

// formGroup is a heading and its fields.
type formGroup struct {
	ID     string
	Title  string
	Fields []*formField
}

// buildForm is the build form of a workflow.
type buildForm struct {
	Workflow     *workflows.Definition
	Title        string
	Description  string
	Action       string
	Groups       []*formGroup
	Environments []string
	Environment  string
	Ticket       string
	Labels       string
	Error        string
	// Rerun is set when the form edits the inputs of an earlier run.
	Rerun string
	// Presets of this workflow the user may build from.
	Presets []presetView
}

// control picks how an input is shown.
func control(in *workflows.Input) string {
	switch {
	case in.Type == workflows.TypeArray && in.Items != nil && len(in.Items.Enum) > 0:
		return controlMulti
	case len(in.Enum) > 0:
		return controlSelect
	case in.Type == workflows.TypeBoolean:
		return controlCheckbox
	case in.Type == workflows.TypeInteger || in.Type == workflows.TypeNumber:
		return controlNumber
	case in.Sensitive:
		return controlPassword
	default:
		return controlText
	}
}

// newFields lays out the inputs of def under their groups, filled with
// values (as ValidateInputs resolved them or as a form posted them).
func newFields(def *workflows.Definition, lang string, values map[string]any) []*formGroup {
	var groups []*formGroup
	byID := map[string]*formGroup{}
	for _, g := range def.Groups {
		fg := &formGroup{ID: g.ID, Title: g.Title.In(lang)}
		byID[g.ID] = fg
		groups = append(groups, fg)
	}
	for _, in := range def.Inputs {
		fg := byID[in.Group]
		if fg == nil {
			fg = &formGroup{ID: in.Group}
			byID[in.Group] = fg
			groups = append(groups, fg)
		}
		fg.Fields = append(fg.Fields, newField(def.Name, in, lang, values[in.Name]))
	}
	out := groups[:0]
	for _, g := range groups {
		if len(g.Fields) > 0 {
			out = append(out, g)
		}
	}
	return out
}

func newField(wf string, in *workflows.Input, lang string, v any) *formField {
	f := &formField{Workflow: wf, Name: in.Name, Label: in.Title.In(lang), Help: in.Description.In(lang), Control: control(in),
		Required: in.Required && in.Default == nil, Pattern: in.Pattern, Min: in.Min, Max: in.Max, MaxLength: in.MaxLength}
	if f.Label == "" {
		f.Label = in.Name
	}
	_, static := in.StaticDefault()
	f.Generated = in.Default != nil && !static
	if in.Type == workflows.TypeNumber {
		f.Step = "any"
	}
	opts := in.Enum
	if f.Control == controlMulti {
		opts = in.Items.Enum
	}
	for _, o := range opts {
		label := o.Title.In(lang)
		if label == "" {
			label = formatValue(o.Value)
		}
		f.Options = append(f.Options, formOption{Value: formatValue(o.Value), Label: label})
	}
	switch f.Control {
	case controlMulti:
		f.Checked = map[string]bool{}
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				f.Checked[formatValue(e)] = true
			}
		case []string:
			for _, e := range x {
				f.Checked[e] = true
			}
		case string:
			for _, e := range strings.Split(x, ",") {
				f.Checked[strings.TrimSpace(e)] = true
			}
		}
	case controlCheckbox:
		f.Value = formatValue(v)
	default:
		f.Value = formatValue(v)
	}
	return f
}

// postedInputs reads a workflow's inputs from a posted form: strings, or a
// list for multi-choice inputs. Empty fields are left out, so their
// defaults apply.
func postedInputs(c *gin.Context, def *workflows.Definition) map[string]any {
	out := map[string]any{}
	for _, in := range def.Inputs {
		switch control(in) {
		case controlMulti:
			vals := c.PostFormArray(in.Name)
			if len(vals) == 0 && c.PostForm(in.Name+arrayMarker) == "" {
				continue
			}
			list := make([]any, 0, len(vals))
			for _, v := range vals {
				list = append(list, v)
			}
			out[in.Name] = list
		case controlCheckbox:
			// A hidden "false" precedes the box: the last value wins.
			if vals := c.PostFormArray(in.Name); len(vals) > 0 {
				out[in.Name] = vals[len(vals)-1]
			}
		default:
			if v := strings.TrimSpace(c.PostForm(in.Name)); v != "" {
				out[in.Name] = v
			}
		}
	}
	return out
}

// setErrors puts each problem under its field; problems with no field
// (an unknown input) are returned as one message.
func setErrors(groups []*formGroup, problems workflows.InputErrors, lang string) string {
	fields := map[string]*formField{}
	for _, g := range groups {
		for _, f := range g.Fields {
			fields[f.Name] = f
		}
	}
	var rest []string
	for _, p := range problems {
		if f := fields[p.Input]; f != nil {
			if f.Error != "" {
				f.Error += "；"
			}
			f.Error += p.Message.In(lang)
			continue
		}
		rest = append(rest, p.Input+": "+p.Message.In(lang))
	}
	return strings.Join(rest, "\n")
}

// splitLabels reads a comma-separated list of labels.
func splitLabels(s string) []string {
	var out []string
	for _, l := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' }) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
