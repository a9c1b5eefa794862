package workflows

// scope is what an expression sees. It is a struct rather than a map so that
// expressions are type-checked when loaded and evaluate without building maps.
type scope struct {
	Inputs  map[string]any               `expr:"inputs"`
	Steps   map[string]any               `expr:"steps"`
	Secrets map[string]string            `expr:"secrets"`
	Secret  func(string) (string, error) `expr:"secret"`
	Fake    map[string]any               `expr:"fake"`
	Run     map[string]any               `expr:"run"`
	Item    any                          `expr:"item"`
	Index   int                          `expr:"index"`
	Status  int                          `expr:"status"`
	Headers map[string]string            `expr:"headers"`
	Body    any                          `expr:"body"`
}

// vars is a set of scope variables an expression may use where it stands.
type vars uint16

const (
	varInputs vars = 1 << iota
	varSteps
	varSecrets
	varFake
	varRun
	varItem
	varResponse
)

var varNames = []struct {
	v     vars
	names []string
}{
	{varInputs, []string{"inputs"}},
	{varSteps, []string{"steps"}},
	{varSecrets, []string{"secrets", "secret"}},
	{varFake, []string{"fake"}},
	{varRun, []string{"run"}},
	{varItem, []string{"item", "index"}},
	{varResponse, []string{"status", "headers", "body"}},
}

func (v vars) names() []string {
	var out []string
	for _, vn := range varNames {
		if v&vn.v != 0 {
			out = append(out, vn.names...)
		}
	}
	return out
}

// varOf returns the set a scope variable name belongs to, or 0.
func varOf(name string) vars {
	for _, vn := range varNames {
		for _, n := range vn.names {
			if n == name {
				return vn.v
			}
		}
	}
	return 0
}

const (
	varsStep     = varInputs | varSteps | varSecrets | varFake | varRun
	varsResponse = varsStep | varResponse
)
