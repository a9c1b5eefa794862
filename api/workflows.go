package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/zaoshu/zaoshu/workflows"
	"github.com/zaoshu/zaoshu/workflows/fake"
)

func workflowSummary(d *workflows.Definition) gin.H {
	return gin.H{"name": d.Name, "title": d.Title, "description": d.Description, "revision": d.Revision}
}

func (h *Handlers) listWorkflows(c *gin.Context) {
	list := []gin.H{}
	for _, d := range h.Library.Workflows() {
		list = append(list, workflowSummary(d))
	}
	c.JSON(http.StatusOK, gin.H{"workflows": list})
}

func (h *Handlers) getWorkflow(c *gin.Context) {
	d, err := h.Library.Workflow(c.Param("name"))
	if err != nil {
		h.writeError(c, err)
		return
	}
	out := workflowSummary(d)
	out["inputs_schema"] = inputsSchema(d)
	groups := []gin.H{}
	for _, g := range d.Groups {
		groups = append(groups, gin.H{"id": g.ID, "title": g.Title})
	}
	out["groups"] = groups
	services := []string{}
	for _, s := range d.Services {
		services = append(services, s.Name)
	}
	out["services"] = services
	c.JSON(http.StatusOK, out)
}

// validateInputs checks inputs as a build would, calling nothing.
func (h *Handlers) validateInputs(c *gin.Context) {
	d, err := h.Library.Workflow(c.Param("name"))
	if err != nil {
		h.writeError(c, err)
		return
	}
	var body struct {
		Inputs map[string]any `json:"inputs"`
		Seed   int64          `json:"seed"`
	}
	if !bind(c, &body) {
		return
	}
	f := fake.New(body.Seed)
	inputs, problems := workflows.ValidateInputs(d, body.Inputs, f)
	if len(problems) > 0 {
		h.writeError(c, problems)
		return
	}
	c.JSON(http.StatusOK, gin.H{"inputs": inputs, "seed": f.Seed()})
}

// inputsSchema describes a workflow's inputs as JSON Schema 2020-12, with
// x-group and x-order hints so a form can be drawn from it.
func inputsSchema(d *workflows.Definition) gin.H {
	props := gin.H{}
	required := []string{}
	for i, in := range d.Inputs {
		p := inputSchema(in)
		p["x-order"] = i
		if in.Group != "" {
			p["x-group"] = in.Group
		}
		props[in.Name] = p
		if in.Required && in.Default == nil {
			required = append(required, in.Name)
		}
	}
	return gin.H{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
		"properties": props, "required": required, "additionalProperties": false}
}

func inputSchema(in *workflows.Input) gin.H {
	p := gin.H{"title": in.Title.In("zh"), "x-title": in.Title}
	if in.Description.Zh != "" || in.Description.En != "" {
		p["description"] = in.Description.In("zh")
	}
	switch in.Type {
	case workflows.TypeEnum:
		values := []any{}
		for _, o := range in.Enum {
			values = append(values, o.Value)
		}
		p["enum"] = values
	case workflows.TypeArray:
		p["type"] = "array"
		if in.Items != nil {
			p["items"] = inputSchema(in.Items)
		}
	default:
		p["type"] = string(in.Type)
	}
	if in.Format != "" {
		p["format"] = in.Format
	}
	if in.Pattern != "" {
		p["pattern"] = in.Pattern
	}
	if in.Min != nil {
		p["minimum"] = *in.Min
	}
	if in.Max != nil {
		p["maximum"] = *in.Max
	}
	if in.MinLength != nil {
		p["minLength"] = *in.MinLength
	}
	if in.MaxLength != nil {
		p["maxLength"] = *in.MaxLength
	}
	if in.MinItems != nil {
		p["minItems"] = *in.MinItems
	}
	if in.MaxItems != nil {
		p["maxItems"] = *in.MaxItems
	}
	if v, ok := in.StaticDefault(); ok {
		p["default"] = v
	} else if in.Default != nil {
		p["x-generated-default"] = true
	}
	if in.Sensitive {
		p["writeOnly"] = true
	}
	return p
}
