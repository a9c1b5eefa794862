// Package workflows is the workflow language of zaoshu: the model, the strict
// loader with compiler-like diagnostics, expressions, input validation and the
// engine that runs a definition over HTTP against an environment.
package workflows

import (
	"bytes"
	"fmt"
	"time"
)

// Text is a message or a label in Simplified Chinese and English.
type Text struct {
	Zh string `json:"zh,omitempty"`
	En string `json:"en,omitempty"`
}

// In returns the text in lang ("zh" or "en"), falling back to the other language.
func (t Text) In(lang string) string {
	if lang == "en" && t.En != "" {
		return t.En
	}
	if t.Zh != "" {
		return t.Zh
	}
	return t.En
}

// IsZero reports whether neither language is set.
func (t Text) IsZero() bool { return t.Zh == "" && t.En == "" }

// textf formats a message in both languages. The first half of args fills
// zh and the second half en, so each language orders its words naturally.
func textf(zh, en string, args ...any) Text {
	half := len(args) / 2
	zhArgs, enArgs := args[:half], args[half:]
	return Text{Zh: fmt.Sprintf(zh, zhArgs...), En: fmt.Sprintf(en, enArgs...)}
}

// Pos is a place in a workflow file.
type Pos struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
}

// String renders the place as file:line:col.
func (p Pos) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }

// Kind tells a runnable workflow from a fragment that only other workflows use.
type Kind string

// Kinds of definition.
const (
	KindWorkflow Kind = "workflow"
	KindFragment Kind = "fragment"
)

// Definition is a loaded, checked workflow or fragment.
type Definition struct {
	Name        string
	Kind        Kind
	File        string
	Title       Text
	Description Text
	// Revision is the SHA-256 of the file and of every fragment it uses, so a
	// run can pin exactly what it ran.
	Revision string
	Groups   []*Group
	Inputs   []*Input
	Services []*ServiceSpec
	Steps    []*Step
	Finally  []*Step
	Outputs  []*Output
	Errors   []*ErrorRule
	// Timeout bounds a whole run; zero means no bound beyond the caller's context.
	Timeout time.Duration
	// Fragments are the fragments this definition uses, directly or not, by uses path.
	Fragments map[string]*Definition
	// source is the file's own bytes; sources adds those of every fragment,
	// keyed as Sources says, and sourcePath is the own file's key.
	source     []byte
	sources    map[string][]byte
	sourcePath string
}

// Sources returns the bytes the definition was loaded from: its own file and
// the file of every fragment it uses, keyed by slash paths relative to the
// directory its uses: paths resolve from (for a loader over an fs.FS, the
// paths in it). Store them with SourcePath to run this exact revision again
// later with LoadSources.
func (d *Definition) Sources() map[string][]byte {
	out := make(map[string][]byte, len(d.sources))
	for name, data := range d.sources {
		out[name] = bytes.Clone(data)
	}
	return out
}

// SourcePath is the key of the definition's own file in Sources, the entry
// LoadSources takes.
func (d *Definition) SourcePath() string { return d.sourcePath }

// Input returns the input named name, or nil.
func (d *Definition) Input(name string) *Input {
	for _, in := range d.Inputs {
		if in.Name == name {
			return in
		}
	}
	return nil
}

// Service returns the declared service named name, or nil.
func (d *Definition) Service(name string) *ServiceSpec {
	for _, s := range d.Services {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Group is a heading under which a form shows some inputs.
type Group struct {
	ID    string
	Title Text
}

// InputType is the type of a workflow input.
type InputType string

// Input types.
const (
	TypeString  InputType = "string"
	TypeInteger InputType = "integer"
	TypeNumber  InputType = "number"
	TypeBoolean InputType = "boolean"
	TypeEnum    InputType = "enum"
	TypeArray   InputType = "array"
	TypeObject  InputType = "object"
)

// Input is one typed parameter of a workflow, as a form and the API show it.
type Input struct {
	Name        string
	Pos         Pos
	Type        InputType
	Title       Text
	Description Text
	Group       string
	Required    bool
	// Default is nil when there is none; it may be an expression (fake data, dates).
	Default  *Value
	Enum     []EnumOption
	Items    *Input // element type of an array
	Min, Max *float64
	// MinItems and MaxItems bound arrays; MinLength and MaxLength bound strings.
	MinItems, MaxItems   *int
	MinLength, MaxLength *int
	Pattern              string
	Format               string
	// Sensitive inputs are masked in records and logs like secrets.
	Sensitive bool
	// defaultUses are the inputs the default expression reads.
	defaultUses []string
}

// EnumOption is one allowed value of an enum input, with its label.
type EnumOption struct {
	Value any
	Title Text
}

// ServiceSpec is a service the workflow calls; the environment gives its address.
type ServiceSpec struct {
	Name  string
	Pos   Pos
	Title Text
	// Success, when set, says whether a 2xx response is a business success
	// (e.g. body.code == '0'); a false result is business_rejected.
	Success *Expr
	// Message extracts the product's own message from a response.
	Message *Expr
}

// Step is one node of the workflow graph: a request, a fragment call or a
// computation of captures.
type Step struct {
	ID    string
	Pos   Pos
	Title Text
	// Needs are the explicit dependencies; Deps adds the steps referenced
	// through steps.<id> expressions, which are implicit dependencies.
	Needs       []string
	Deps        []string
	When        *Expr
	ForEach     *Expr
	Concurrency int
	Request     *Request
	Uses        string
	With        []*Field
	Fragment    *Definition
	Expect      []*Expectation
	Capture     []*Field
	Retry       *Retry
	Poll        *Poll
	Errors      []*ErrorRule
	exprs       []*Expr
}

// Captures lists the names steps.<id>.<name> may refer to.
func (s *Step) Captures() []string {
	if s.Fragment != nil {
		names := make([]string, len(s.Fragment.Outputs))
		for i, o := range s.Fragment.Outputs {
			names[i] = o.Name
		}
		return names
	}
	names := make([]string, len(s.Capture))
	for i, c := range s.Capture {
		names[i] = c.Name
	}
	return names
}

// Field is a named value: a capture, an output, a with argument, a header.
type Field struct {
	Name  string
	Pos   Pos
	Value *Value
}

// Output is a named result of a workflow or fragment.
type Output = Field

// Request is the HTTP call of a step.
type Request struct {
	Service string
	Pos     Pos
	Method  string
	Path    *Value
	Query   []*Field
	Headers []*Field
	JSON    *Value
	Form    []*Field
	Body    *Value
	Timeout time.Duration
}

// Expectation is one check on a response.
type Expectation struct {
	Pos Pos
	// Expr is the condition; nil when the expectation is a status shortcut.
	Expr     *Expr
	Statuses []int
	Message  Text
}

// Retry says how a failing step is tried again.
type Retry struct {
	Attempts   int
	Backoff    time.Duration
	MaxBackoff time.Duration
	On         []Class
}

// retries reports whether class c is retried.
func (r *Retry) retries(c Class) bool {
	for _, on := range r.On {
		if on == c {
			return true
		}
	}
	return false
}

// Poll repeats a request until a condition holds.
type Poll struct {
	Until   *Expr
	FailIf  *Expr
	Every   time.Duration
	Timeout time.Duration
	Message Text
	// OnTimeout is the failure class when Until never holds.
	OnTimeout Class
}

// ErrorRule annotates a known business answer with a class and a hint.
type ErrorRule struct {
	Pos     Pos
	When    *Expr
	Class   Class
	Message *Expr
	Hint    Text
}

// StaticDefault returns the default when it is a plain value a form can show;
// false when there is none or it is generated (fake data, dates).
func (in *Input) StaticDefault() (any, bool) {
	if in.Default == nil || !in.Default.IsStatic() {
		return nil, false
	}
	v, err := in.Default.eval(nil)
	return v, err == nil
}
