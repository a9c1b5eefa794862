package server

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zaoshu/zaoshu/api"
	"github.com/zaoshu/zaoshu/store"
)

// validRequestID keeps a caller's id only if it is safe to log and echo.
var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._:\-]{1,128}$`)

func newRequestID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// requestID keeps an incoming X-Request-Id, else makes one, and returns it.
func requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader(api.HeaderRequestID)
		if !validRequestID.MatchString(id) {
			id = newRequestID()
		}
		c.Request = c.Request.WithContext(api.WithRequestID(c.Request.Context(), id))
		c.Header(api.HeaderRequestID, id)
		c.Next()
	}
}

// accessLog writes one line per request, carrying its request id.
func accessLog(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		status := c.Writer.Status()
		level := slog.LevelInfo
		switch {
		case status >= 500:
			level = slog.LevelError
		case c.Request.URL.Path == "/healthz" || c.Request.URL.Path == "/readyz":
			level = slog.LevelDebug
		}
		log.Log(c.Request.Context(), level, "http request",
			"method", c.Request.Method, "path", c.Request.URL.Path, "status", status,
			"duration_ms", float64(time.Since(start).Microseconds())/1000, "client", c.ClientIP())
	}
}

// recovery turns a panic into a logged stack and a problem+json 500 that
// names the request id, instead of a dropped connection.
func recovery(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			rec := recover()
			if rec == nil {
				return
			}
			if err, ok := rec.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(rec)
			}
			log.ErrorContext(c.Request.Context(), "panic while serving request",
				"panic", fmt.Sprint(rec), "stack", string(debug.Stack()))
			if c.Writer.Written() {
				c.Abort()
				return
			}
			api.WriteProblem(c, http.StatusInternalServerError, "internal", "", nil)
		}()
		c.Next()
	}
}

// authenticate requires a valid API token (Authorization: Bearer zs_…).
func authenticate(s *store.Store, log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		scheme, secret, ok := strings.Cut(c.GetHeader("Authorization"), " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || secret == "" {
			c.Header("WWW-Authenticate", `Bearer realm="zaoshu"`)
			api.WriteProblem(c, http.StatusUnauthorized, "unauthorized", "", nil)
			return
		}
		u, tok, err := s.Authenticate(c.Request.Context(), strings.TrimSpace(secret))
		if errors.Is(err, store.ErrTokenInvalid) {
			c.Header("WWW-Authenticate", `Bearer realm="zaoshu", error="invalid_token"`)
			api.WriteProblem(c, http.StatusUnauthorized, "token_invalid", "", nil)
			return
		}
		if err != nil {
			log.ErrorContext(c.Request.Context(), "check API token", "error", err)
			api.WriteProblem(c, http.StatusInternalServerError, "internal", "", nil)
			return
		}
		c.Request = c.Request.WithContext(api.WithToken(api.WithUser(c.Request.Context(), u), tok))
		c.Next()
	}
}
