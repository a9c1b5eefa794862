package api

import (
	"context"

	"github.com/zaoshu/zaoshu/store"
)

type ctxKey int

const (
	requestIDKey ctxKey = iota
	userKey
)

// HeaderRequestID carries the id that ties a request to its log lines.
const HeaderRequestID = "X-Request-Id"

// WithRequestID stores the request id in a context.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

// RequestID is the id of the request being served, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// WithUser stores the authenticated user in a context.
func WithUser(ctx context.Context, u *store.User) context.Context {
	return context.WithValue(ctx, userKey, u)
}

// CurrentUser is the authenticated user, or nil.
func CurrentUser(ctx context.Context) *store.User {
	u, _ := ctx.Value(userKey).(*store.User)
	return u
}
