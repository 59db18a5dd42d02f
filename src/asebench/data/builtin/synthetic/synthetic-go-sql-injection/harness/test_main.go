package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"example.com/usersvc/store"
)

// Functional test: lookups by username find the right account, unknown names are ErrNotFound.
func main() {
	db, _ := sql.Open("asebench-mem", "")
	s := store.New(db)
	ctx := context.Background()
	for _, want := range []store.User{
		{ID: 1, Username: "alice", Email: "alice@example.com", Active: true},
		{ID: 2, Username: "bob", Email: "bob@example.com", Active: false},
	} {
		got, err := s.FindByUsername(ctx, want.Username)
		if err != nil {
			verdict("fail", fmt.Sprintf("FindByUsername(%q): %v", want.Username, err))
			return
		}
		if *got != want {
			verdict("fail", fmt.Sprintf("FindByUsername(%q) = %+v, want %+v", want.Username, *got, want))
			return
		}
	}
	if _, err := s.FindByUsername(ctx, "zed"); !errors.Is(err, store.ErrNotFound) {
		verdict("fail", fmt.Sprintf("FindByUsername(\"zed\") error = %v, want ErrNotFound", err))
		return
	}
	active, err := s.ListActive(ctx)
	if err != nil || len(active) != 2 || active[0].Username != "alice" || active[1].Username != "carol" {
		verdict("fail", fmt.Sprintf("ListActive() = %+v, %v", active, err))
		return
	}
	verdict("pass", "lookups, not-found and active listing behave")
}
