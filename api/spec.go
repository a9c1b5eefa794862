package api

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
	"go.yaml.in/yaml/v3"
)

// The spec is written in YAML for people and served as JSON for tools.
//
//go:embed openapi.yaml
var specYAML []byte

//go:embed docs/redoc.standalone.js
var docsFS embed.FS

// Spec is the OpenAPI 3.1 document of /api/v1, as JSON.
func Spec() ([]byte, error) {
	var doc any
	if err := yaml.Unmarshal(specYAML, &doc); err != nil {
		return nil, fmt.Errorf("parse openapi.yaml: %w", err)
	}
	return json.Marshal(doc)
}

const docsPage = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>zaoshu API</title></head>
<body><redoc spec-url="/api/v1/openapi.json"></redoc>
<script src="/api/docs/redoc.standalone.js"></script></body></html>`

// RegisterDocs serves the spec and its rendered documentation; neither
// needs a token.
func RegisterDocs(r gin.IRouter) error {
	spec, err := Spec()
	if err != nil {
		return err
	}
	r.GET("/api/v1/openapi.json", func(c *gin.Context) { c.Data(http.StatusOK, "application/json", spec) })
	r.GET("/api/docs", func(c *gin.Context) { c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(docsPage)) })
	r.GET("/api/docs/redoc.standalone.js", func(c *gin.Context) {
		c.Header("Cache-Control", "public, max-age=86400")
		c.FileFromFS("docs/redoc.standalone.js", http.FS(docsFS))
	})
	return nil
}
