// Command usersvc serves account lookups over HTTP: GET /users?name=alice, GET /users/active.
//
// The SQL driver is linked in by the deployment build (a blank import registering -driver).
package main

import (
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"log"
	"net/http"

	"example.com/usersvc/store"
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func main() {
	driver := flag.String("driver", "sqlite3", "database/sql driver name")
	dsn := flag.String("dsn", "users.db", "data source name")
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	flag.Parse()

	db, err := sql.Open(*driver, *dsn)
	if err != nil {
		log.Fatal(err)
	}
	users := store.New(db)

	http.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		u, err := users.FindByUsername(r.Context(), r.URL.Query().Get("name"))
		switch {
		case errors.Is(err, store.ErrNotFound):
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "not found"})
		case err != nil:
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "lookup failed"})
		default:
			writeJSON(w, http.StatusOK, u)
		}
	})
	http.HandleFunc("/users/active", func(w http.ResponseWriter, r *http.Request) {
		list, err := users.ListActive(r.Context())
		if err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "list failed"})
			return
		}
		writeJSON(w, http.StatusOK, list)
	})
	log.Printf("listening on %s", *addr)
	log.Fatal(http.ListenAndServe(*addr, nil))
}
