package api

import (
	"context"

	"github.com/zaoshu/zaoshu/store"
)

type ctxKey int

const (
	requestIDKey ctxKey = iota
	userKey
	tokenKey
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

// WithToken stores the API token a request came with.
func WithToken(ctx context.Context, t *store.APIToken) context.Context {
	return context.WithValue(ctx, tokenKey, t)
}

// CurrentToken is the request's API token, or nil.
func CurrentToken(ctx context.Context) *store.APIToken {
	t, _ := ctx.Value(tokenKey).(*store.APIToken)
	return t
}
