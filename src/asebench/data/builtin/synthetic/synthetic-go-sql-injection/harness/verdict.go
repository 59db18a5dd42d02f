package main

import (
	"encoding/json"
	"fmt"
)

// verdict prints the one JSON line of the asebench protocol.
func verdict(v, detail string) {
	line, _ := json.Marshal(map[string]string{"verdict": v, "detail": detail})
	fmt.Println(string(line))
}
