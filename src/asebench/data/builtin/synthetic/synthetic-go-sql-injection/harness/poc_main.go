package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"example.com/usersvc/store"
)

// PoC: does a crafted username change the structure of the lookup query?
func main() {
	db, _ := sql.Open("asebench-mem", "")
	s := store.New(db)
	ctx := context.Background()
	if u, err := s.FindByUsername(ctx, "alice"); err != nil || u.Username != "alice" {
		verdict("safe", fmt.Sprintf("the plain lookup does not work (%v), nothing to exploit", err))
		return
	}
	payloads := []string{"nobody' OR '1'='1", "nobody\" OR \"1\"=\"1", "nobody' OR 1=1 --", "bob' AND active = 0 --"}
	var notes []string
	for _, p := range payloads {
		u, err := s.FindByUsername(ctx, p)
		switch {
		case err == nil:
			verdict("vulnerable", fmt.Sprintf("username %q returned the account %q", p, u.Username))
			return
		case errors.Is(err, errSyntax):
			verdict("vulnerable", fmt.Sprintf("username %q broke the SQL statement: %v", p, err))
			return
		case !errors.Is(err, store.ErrNotFound):
			notes = append(notes, fmt.Sprintf("%q: %v", p, err))
		}
	}
	verdict("safe", fmt.Sprintf("no crafted username matched an account %v", notes))
}
