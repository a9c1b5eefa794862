package uatsim

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestOpenAPIDocumentsEveryRoute checks the served document lists exactly the
// endpoints the simulator serves.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	sim := New(Options{})
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	var documented []string
	for path, ops := range doc.Paths {
		for method := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	served := slices.Clone(sim.patterns)
	slices.Sort(documented)
	slices.Sort(served)
	if !slices.Equal(documented, served) {
		for _, p := range served {
			if !slices.Contains(documented, p) {
				t.Errorf("served but not documented: %s", p)
			}
		}
		for _, p := range documented {
			if !slices.Contains(served, p) {
				t.Errorf("documented but not served: %s", p)
			}
		}
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi version %q", doc.OpenAPI)
	}
}
