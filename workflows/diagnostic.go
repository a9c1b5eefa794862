package workflows

import (
	"fmt"
	"sort"
	"strings"

	"github.com/agnivade/levenshtein"
)

// Diagnostic is one problem found while loading a workflow.
type Diagnostic struct {
	File    string
	Line    int
	Col     int
	Message Text
	// Suggestion is what was probably meant, if anything close exists.
	Suggestion string
}

// Format renders the diagnostic like a compiler: file:line:col: message; did you mean "x"?
func (d Diagnostic) Format(lang string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:%d: %s", d.File, d.Line, d.Col, d.Message.In(lang))
	if d.Suggestion != "" {
		if lang == "en" {
			fmt.Fprintf(&b, "; did you mean %q?", d.Suggestion)
		} else {
			fmt.Fprintf(&b, "；是不是要写 %q？", d.Suggestion)
		}
	}
	return b.String()
}

// String renders the diagnostic in English.
func (d Diagnostic) String() string { return d.Format("en") }

// Diagnostics are all problems found in one load, in file order.
type Diagnostics []Diagnostic

// Format renders one diagnostic a line.
func (ds Diagnostics) Format(lang string) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.Format(lang))
		b.WriteByte('\n')
	}
	return b.String()
}

// Err returns the diagnostics as an error, or nil when there are none.
func (ds Diagnostics) Err() error {
	if len(ds) == 0 {
		return nil
	}
	return &LoadError{Diagnostics: ds}
}

func (ds Diagnostics) sort() {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// LoadError is returned where an error is wanted for a workflow that does not load.
type LoadError struct {
	Diagnostics Diagnostics
}

// Error lists every diagnostic in English.
func (e *LoadError) Error() string {
	return fmt.Sprintf("workflow has %d problem(s):\n%s", len(e.Diagnostics), strings.TrimRight(e.Diagnostics.Format("en"), "\n"))
}

// suggest returns the candidate closest to name, if it is close enough to be
// a plausible typo.
func suggest(name string, candidates []string) string {
	best, bestDist := "", 0
	for _, c := range candidates {
		if c == name {
			continue
		}
		d := levenshtein.ComputeDistance(strings.ToLower(name), strings.ToLower(c))
		if best == "" || d < bestDist {
			best, bestDist = c, d
		}
	}
	limit := max(1, min(3, len([]rune(name))/3+1))
	if best == "" || bestDist > limit {
		return ""
	}
	return best
}
