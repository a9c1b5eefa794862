package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/zaoshu/zaoshu/jobs"
	"github.com/zaoshu/zaoshu/store"
	"github.com/zaoshu/zaoshu/workflows"
)

// fieldError is one problem with one field or input.
type fieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func inputErrors(c *gin.Context, prefix string, problems workflows.InputErrors) []fieldError {
	out := make([]fieldError, len(problems))
	for i, p := range problems {
		out[i] = fieldError{Field: prefix + p.Input, Message: p.Message.In(Lang(c))}
	}
	return out
}

// writeError answers with the problem an error means; anything it does not
// know is our fault: logged, and a 500 naming the request id.
func (h *Handlers) writeError(c *gin.Context, err error) {
	var problems workflows.InputErrors
	var batchProblems jobs.BatchInputErrors
	switch {
	case errors.As(err, &problems):
		WriteProblem(c, http.StatusUnprocessableEntity, "invalid_input", "", map[string]any{
			"errors": inputErrors(c, "inputs.", problems), "hint": hintf(c, "hint_input")})
	case errors.As(err, &batchProblems):
		var all []fieldError
		for i, p := range batchProblems {
			all = append(all, inputErrors(c, "inputs["+strconv.Itoa(i)+"].", p)...)
		}
		WriteProblem(c, http.StatusUnprocessableEntity, "invalid_input", "", map[string]any{"errors": all, "hint": hintf(c, "hint_input")})
	case errors.Is(err, jobs.ErrWorkflowNotFound):
		WriteProblem(c, http.StatusNotFound, "workflow_missing", err.Error(), map[string]any{"hint": hintf(c, "hint_workflow")})
	case errors.Is(err, jobs.ErrEnvironmentNotFound):
		WriteProblem(c, http.StatusNotFound, "env_missing", err.Error(), map[string]any{"hint": hintf(c, "hint_environment")})
	case errors.Is(err, jobs.ErrEnvironmentGuarded):
		WriteProblem(c, http.StatusForbidden, "env_protected", err.Error(), map[string]any{"hint": hintf(c, "hint_protected")})
	case errors.Is(err, jobs.ErrEnvironmentBroken):
		WriteProblem(c, http.StatusUnprocessableEntity, "env_incomplete", err.Error(), map[string]any{"hint": hintf(c, "hint_incomplete")})
	case errors.Is(err, jobs.ErrBatchSize):
		WriteProblem(c, http.StatusUnprocessableEntity, "bad_request", err.Error(), map[string]any{
			"errors": []fieldError{{Field: "count", Message: err.Error()}}})
	case errors.Is(err, jobs.ErrBadCallback):
		WriteProblem(c, http.StatusUnprocessableEntity, "bad_request", err.Error(), map[string]any{
			"errors": []fieldError{{Field: "callback.url", Message: err.Error()}}})
	case errors.Is(err, store.ErrRunFinished), errors.Is(err, store.ErrWrongRunStatus):
		WriteProblem(c, http.StatusConflict, "wrong_state", err.Error(), map[string]any{"hint": hintf(c, "hint_state")})
	case errors.Is(err, store.ErrKeyReused):
		WriteProblem(c, http.StatusConflict, "key_reused", "", map[string]any{"hint": hintf(c, "hint_key")})
	case errors.Is(err, store.ErrNotFound):
		WriteProblem(c, http.StatusNotFound, "run_missing", err.Error(), map[string]any{"hint": hintf(c, "hint_run")})
	default:
		h.Log.ErrorContext(c.Request.Context(), "api request failed", "error", err)
		WriteProblem(c, http.StatusInternalServerError, "internal", "", nil)
	}
}

// bind decodes a JSON body; a malformed one is a 400 that says why.
func bind(c *gin.Context, v any) bool {
	if err := c.ShouldBindJSON(v); err != nil {
		WriteProblem(c, http.StatusBadRequest, "bad_request", err.Error(), nil)
		return false
	}
	return true
}
