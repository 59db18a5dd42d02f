package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"example.com/usersvc/store"
)

// Calls the candidate's store on the in-memory database (memdb.go) and prints what came back
// as JSON. The same program serves the PoC and the test: argv[1] is the usernames to look up.
type lookup struct {
	User  *store.User `json:"user"`
	Error string      `json:"error,omitempty"`
	Kind  string      `json:"kind,omitempty"`
}

func kind(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, store.ErrNotFound):
		return "not-found"
	case errors.Is(err, errSyntax):
		return "syntax"
	}
	return "other"
}

func main() {
	var names []string
	if err := json.Unmarshal([]byte(os.Args[1]), &names); err != nil {
		fmt.Fprintln(os.Stderr, "bad arguments:", err)
		os.Exit(2)
	}
	db, _ := sql.Open("asebench-mem", "")
	s := store.New(db)
	ctx := context.Background()
	out := struct {
		Lookups []lookup     `json:"lookups"`
		Active  []store.User `json:"active"`
		ActiveE string       `json:"active_error,omitempty"`
	}{}
	for _, name := range names {
		u, err := s.FindByUsername(ctx, name)
		entry := lookup{User: u, Kind: kind(err)}
		if err != nil {
			entry.Error = err.Error()
		}
		out.Lookups = append(out.Lookups, entry)
	}
	active, err := s.ListActive(ctx)
	out.Active = active
	if err != nil {
		out.ActiveE = err.Error()
	}
	line, _ := json.Marshal(out)
	fmt.Println(string(line))
}
