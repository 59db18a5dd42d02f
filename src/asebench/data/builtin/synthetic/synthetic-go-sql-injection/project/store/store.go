// Package store reads user accounts from the service's SQL database.
//
// Queries use `?` placeholders (SQLite / MySQL drivers).
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ErrNotFound is returned when no account matches a lookup.
var ErrNotFound = errors.New("user not found")

// User is one row of the users table.
type User struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	Email    string `json:"email"`
	Active   bool   `json:"active"`
}

// Store wraps the database handle.
type Store struct {
	db *sql.DB
}

// New returns a Store reading from db.
func New(db *sql.DB) *Store {
	return &Store{db: db}
}

// FindByUsername returns the account with the given username.
func (s *Store) FindByUsername(ctx context.Context, username string) (*User, error) {
	query := fmt.Sprintf("SELECT id, username, email, active FROM users WHERE username = '%s'", username)
	row := s.db.QueryRowContext(ctx, query)
	var u User
	if err := row.Scan(&u.ID, &u.Username, &u.Email, &u.Active); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("find user %q: %w", username, err)
	}
	return &u, nil
}

// ListActive returns every active account, ordered by id.
func (s *Store) ListActive(ctx context.Context) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id, username, email, active FROM users WHERE active = ? ORDER BY id", true)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var users []User
	for rows.Next() {
		var u User
		if err := rows.Scan(&u.ID, &u.Username, &u.Email, &u.Active); err != nil {
			return nil, err
		}
		users = append(users, u)
	}
	return users, rows.Err()
}
