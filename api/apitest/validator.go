// Package apitest checks HTTP responses against zaoshu's OpenAPI document,
// so a test suite that goes through the API proves the spec has not drifted.
package apitest

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/zaoshu/zaoshu/api"
)

const specURL = "mem://openapi.json"

// Validator checks responses against the spec.
type Validator struct {
	doc      map[string]any
	compiler *jsonschema.Compiler
	routes   []route
	mu       sync.Mutex
	schemas  map[string]*jsonschema.Schema
	// Seen records "METHOD /template STATUS" for every response checked.
	Seen map[string]int
}

type route struct {
	template string
	re       *regexp.Regexp
}

// NewValidator loads the embedded spec.
func NewValidator() (*Validator, error) {
	raw, err := api.Spec()
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(specURL, doc); err != nil {
		return nil, err
	}
	v := &Validator{doc: doc.(map[string]any), compiler: c, schemas: map[string]*jsonschema.Schema{}, Seen: map[string]int{}}
	paths, _ := v.doc["paths"].(map[string]any)
	param := regexp.MustCompile(`\\\{[^}]+\\\}`) // a {param} after QuoteMeta
	for tpl := range paths {
		v.routes = append(v.routes, route{template: tpl, re: regexp.MustCompile("^" + param.ReplaceAllString(regexp.QuoteMeta(tpl), `[^/]+`) + "$")})
	}
	return v, nil
}

func pointer(parts ...string) string {
	for i, p := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(p, "~", "~0"), "/", "~1")
	}
	return "#/" + strings.Join(parts, "/")
}

// Check validates one response to method path (path relative to /api/v1).
func (v *Validator) Check(method, path string, status int, contentType string, body []byte) error {
	tpl := ""
	for _, r := range v.routes {
		if r.re.MatchString(path) {
			tpl = r.template
			break
		}
	}
	if tpl == "" {
		return fmt.Errorf("%s %s: path not in the spec", method, path)
	}
	op, ok := v.doc["paths"].(map[string]any)[tpl].(map[string]any)[strings.ToLower(method)].(map[string]any)
	if !ok {
		return fmt.Errorf("%s %s: method not in the spec", method, tpl)
	}
	code := strconv.Itoa(status)
	resp, ok := op["responses"].(map[string]any)[code].(map[string]any)
	if !ok {
		return fmt.Errorf("%s %s: status %d not in the spec", method, tpl, status)
	}
	loc := []string{"paths", tpl, strings.ToLower(method), "responses", code}
	if ref, ok := resp["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/responses/")
		resp = v.doc["components"].(map[string]any)["responses"].(map[string]any)[name].(map[string]any)
		loc = []string{"components", "responses", name}
	}
	v.mu.Lock()
	v.Seen[method+" "+tpl+" "+code]++
	v.mu.Unlock()
	content, _ := resp["content"].(map[string]any)
	if len(content) == 0 {
		if len(bytes.TrimSpace(body)) > 0 {
			return fmt.Errorf("%s %s %d: the spec has no body, got %s", method, tpl, status, body)
		}
		return nil
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	if _, ok := content[mt]; !ok {
		return fmt.Errorf("%s %s %d: content type %q not in the spec", method, tpl, status, contentType)
	}
	ptr := pointer(append(loc, "content", mt, "schema")...)
	v.mu.Lock()
	sch, ok := v.schemas[ptr]
	if !ok {
		var err error
		if sch, err = v.compiler.Compile(specURL + ptr); err != nil {
			v.mu.Unlock()
			return fmt.Errorf("compile %s: %w", ptr, err)
		}
		v.schemas[ptr] = sch
	}
	v.mu.Unlock()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s %s %d: body is not JSON: %w", method, tpl, status, err)
	}
	if err := sch.Validate(inst); err != nil {
		return fmt.Errorf("%s %s %d: the body does not match the spec: %v\nbody: %s", method, tpl, status, err, body)
	}
	return nil
}

// Transport checks every response that passes through it; failures go to
// report (t.Errorf in tests).
type Transport struct {
	Base      http.RoundTripper
	Validator *Validator
	Report    func(format string, args ...any)
}

// RoundTrip sends the request and checks the answer if it is under /api/v1.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := t.Base.RoundTrip(req)
	if err != nil || !strings.HasPrefix(req.URL.Path, "/api/v1/") || req.URL.Path == "/api/v1/openapi.json" {
		return res, err
	}
	body, err := io.ReadAll(res.Body)
	_ = res.Body.Close()
	if err != nil {
		return nil, err
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	if err := t.Validator.Check(req.Method, strings.TrimPrefix(req.URL.Path, "/api/v1"), res.StatusCode, res.Header.Get("Content-Type"), body); err != nil {
		t.Report("response not as the spec says: %v", err)
	}
	return res, nil
}
