// Package api is zaoshu's REST API for CI pipelines (/api/v1). Errors are
// RFC 9457 problem details, localized.
package api

import (
	"github.com/gin-gonic/gin"
)

// ContentTypeProblem is the media type of RFC 9457 problem details.
const ContentTypeProblem = "application/problem+json"

// Problem is an RFC 9457 problem detail, with the request id to quote.
type Problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail,omitempty"`
	Instance  string `json:"instance,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

// WriteProblem answers with a localized problem; key names the message
// (see messages) and becomes the problem type. detail may be empty.
func WriteProblem(c *gin.Context, status int, key, detail string, extra map[string]any) {
	p := Problem{
		Type:      "https://zaoshu.dev/problems/" + key,
		Title:     messages[key].in(Lang(c)),
		Status:    status,
		Detail:    detail,
		Instance:  c.Request.URL.Path,
		RequestID: RequestID(c.Request.Context()),
	}
	body := gin.H{"type": p.Type, "title": p.Title, "status": p.Status, "instance": p.Instance}
	if p.Detail != "" {
		body["detail"] = p.Detail
	}
	if p.RequestID != "" {
		body["request_id"] = p.RequestID
	}
	for k, v := range extra {
		body[k] = v
	}
	c.Header("Content-Type", ContentTypeProblem)
	c.AbortWithStatusJSON(status, body)
}
