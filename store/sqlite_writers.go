package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
)

// SQLite lets one writer in at a time. A writer that finds the lock taken
// waits in SQLite's busy handler, which sleeps 1, 2, 5, 10 … up to 100 ms
// between tries; under a steady stream of writes (a worker recording steps
// while the API records new runs) those sleeps were the slowest requests.
// So this process's writers take turns in Go instead: a write transaction or
// a write statement outside one holds a token for its duration, and the next
// writer gets it the moment it is free. Readers are not held up (WAL).

// writerWait bounds how long a writer waits for its turn, like busy_timeout.
const writerWait = 5 * time.Second

// errWriterWait is a writer that waited longer than writerWait.
var errWriterWait = errors.New("database is busy: another writer held it over 5 s")

func openSQLite(dsn string) (*sql.DB, error) {
	probe, err := sql.Open(sqlite.DriverName, dsn)
	if err != nil {
		return nil, err
	}
	base := probe.Driver()
	_ = probe.Close()
	return sql.OpenDB(&turnConnector{base: base, dsn: dsn, token: make(chan struct{}, 1)}), nil
}

type turnConnector struct {
	base  driver.Driver
	dsn   string
	token chan struct{}
}

func (c *turnConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.base.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &turnConn{Conn: conn, token: c.token}, nil
}

func (c *turnConnector) Driver() driver.Driver { return c.base }

func take(ctx context.Context, token chan struct{}) error {
	t := time.NewTimer(writerWait)
	defer t.Stop()
	select {
	case token <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return errWriterWait
	}
}

// turnConn is a connection whose writes take turns with the other
// connections of the same database.
type turnConn struct {
	driver.Conn
	token chan struct{}
	inTx  bool
}

// isWrite tells statements that need SQLite's write lock.
func isWrite(query string) bool {
	q := strings.TrimSpace(query)
	if len(q) > 8 {
		q = q[:8]
	}
	q = strings.ToUpper(q)
	for _, w := range []string{"INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER"} {
		if strings.HasPrefix(q, w) {
			return true
		}
	}
	return false
}

func (c *turnConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	// Transactions begin IMMEDIATE (_txlock): every one takes the write lock.
	if err := take(ctx, c.token); err != nil {
		return nil, fmt.Errorf("begin transaction: %w", err)
	}
	tx, err := c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
	if err != nil {
		<-c.token
		return nil, err
	}
	c.inTx = true
	return &turnTx{Tx: tx, conn: c}, nil
}

func (c *turnConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if !c.inTx && isWrite(query) {
		if err := take(ctx, c.token); err != nil {
			return nil, err
		}
		defer func() { <-c.token }()
	}
	return c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
}

// QueryContext also carries writes: gorm inserts with RETURNING.
func (c *turnConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if c.inTx || !isWrite(query) {
		return c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
	}
	if err := take(ctx, c.token); err != nil {
		return nil, err
	}
	rows, err := c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
	if err != nil {
		<-c.token
		return nil, err
	}
	return &turnRows{Rows: rows, token: c.token}, nil
}

func (c *turnConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	st, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil || !isWrite(query) {
		return st, err
	}
	return &turnStmt{Stmt: st, conn: c}, nil
}

// turnStmt is a prepared write statement: outside a transaction it takes
// the writer's turn like an unprepared one.
type turnStmt struct {
	driver.Stmt
	conn *turnConn
}

func (s *turnStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	if !s.conn.inTx {
		if err := take(ctx, s.conn.token); err != nil {
			return nil, err
		}
		defer func() { <-s.conn.token }()
	}
	return s.Stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (s *turnStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	if s.conn.inTx {
		return s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
	}
	if err := take(ctx, s.conn.token); err != nil {
		return nil, err
	}
	rows, err := s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		<-s.conn.token
		return nil, err
	}
	return &turnRows{Rows: rows, token: s.conn.token}, nil
}

func (c *turnConn) Ping(ctx context.Context) error {
	return c.Conn.(driver.Pinger).Ping(ctx)
}

type turnTx struct {
	driver.Tx
	conn *turnConn
}

func (t *turnTx) Commit() error   { defer t.done(); return t.Tx.Commit() }
func (t *turnTx) Rollback() error { defer t.done(); return t.Tx.Rollback() }

func (t *turnTx) done() {
	t.conn.inTx = false
	<-t.conn.token
}

// turnRows holds the writer's turn until a RETURNING statement's rows are read.
type turnRows struct {
	driver.Rows
	token chan struct{}
	done  bool
}

func (r *turnRows) Close() error {
	err := r.Rows.Close()
	if !r.done {
		r.done = true
		<-r.token
	}
	return err
}
