// An in-memory database/sql driver holding the users table, with a small SQL evaluator
// (SELECT cols FROM users [WHERE expr] [ORDER BY col [ASC|DESC]] [LIMIT n]) that treats
// string literals, comments and placeholders the way SQLite does.
package main

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

var columns = []string{"id", "username", "email", "active"}

var table = [][]driver.Value{
	{int64(1), "alice", "alice@example.com", true},
	{int64(2), "bob", "bob@example.com", false},
	{int64(3), "carol", "carol@example.com", true},
}

// errSyntax marks a statement the evaluator could not parse.
var errSyntax = errors.New("SQL syntax error")

type memDriver struct{}
type memConn struct{}
type memStmt struct{ query string }
type memRows struct {
	cols []string
	rows [][]driver.Value
}

func init() { sql.Register("asebench-mem", memDriver{}) }

func (memDriver) Open(string) (driver.Conn, error)        { return memConn{}, nil }
func (memConn) Prepare(q string) (driver.Stmt, error)      { return memStmt{q}, nil }
func (memConn) Close() error                               { return nil }
func (memConn) Begin() (driver.Tx, error)                  { return nil, errors.New("no transactions") }
func (memStmt) Close() error                               { return nil }
func (memStmt) NumInput() int                              { return -1 }
func (memStmt) Exec([]driver.Value) (driver.Result, error) { return nil, errors.New("read-only") }
func (s memStmt) Query(args []driver.Value) (driver.Rows, error) {
	return run(s.query, args)
}
func (r *memRows) Columns() []string { return r.cols }
func (r *memRows) Close() error      { return nil }
func (r *memRows) Next(dest []driver.Value) error {
	if len(r.rows) == 0 {
		return io.EOF
	}
	copy(dest, r.rows[0])
	r.rows = r.rows[1:]
	return nil
}

type token struct {
	kind string // ident, string, number, param, sym
	text string
}

func tokenize(q string) ([]token, error) {
	var out []token
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case strings.HasPrefix(q[i:], "--"):
			for i < len(q) && q[i] != '\n' {
				i++
			}
		case strings.HasPrefix(q[i:], "/*"):
			end := strings.Index(q[i+2:], "*/")
			if end < 0 {
				return nil, errSyntax
			}
			i += end + 4
		case c == '\'' || c == '"' || c == '`':
			var b strings.Builder
			j := i + 1
			for ; ; j++ {
				if j >= len(q) {
					return nil, fmt.Errorf("%w: unterminated literal", errSyntax)
				}
				if q[j] == c {
					if j+1 < len(q) && q[j+1] == c {
						b.WriteByte(c)
						j++
						continue
					}
					break
				}
				b.WriteByte(q[j])
			}
			kind := "string"
			if c == '`' {
				kind = "ident"
			}
			out = append(out, token{kind, b.String()})
			i = j + 1
		case c == '?' || c == '$' || c == ':' || c == '@':
			j := i + 1
			for j < len(q) && (isWord(q[j])) {
				j++
			}
			out = append(out, token{"param", q[i:j]})
			i = j
		case c >= '0' && c <= '9':
			j := i
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			out = append(out, token{"number", q[i:j]})
			i = j
		case isWord(c):
			j := i
			for j < len(q) && (isWord(q[j]) || q[j] == '.') {
				j++
			}
			out = append(out, token{"ident", q[i:j]})
			i = j
		case strings.HasPrefix(q[i:], "<>") || strings.HasPrefix(q[i:], "!=") || strings.HasPrefix(q[i:], "=="):
			out = append(out, token{"sym", q[i : i+2]})
			i += 2
		case strings.ContainsRune(",()=*;", rune(c)):
			out = append(out, token{"sym", string(c)})
			i++
		default:
			return nil, fmt.Errorf("%w: unexpected %q", errSyntax, c)
		}
	}
	return out, nil
}

func isWord(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

type parser struct {
	toks  []token
	pos   int
	args  []driver.Value
	nextP int
	row   []driver.Value
}

func (p *parser) peek() token {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return token{"eof", ""}
}

func (p *parser) keyword(word string) bool {
	t := p.peek()
	if t.kind == "ident" && strings.EqualFold(t.text, word) {
		p.pos++
		return true
	}
	return false
}

func (p *parser) sym(s string) bool {
	if t := p.peek(); t.kind == "sym" && t.text == s {
		p.pos++
		return true
	}
	return false
}

func column(name string) int {
	name = strings.ToLower(name[strings.LastIndex(name, ".")+1:])
	for i, c := range columns {
		if c == name {
			return i
		}
	}
	return -1
}

func key(v driver.Value) string {
	switch x := v.(type) {
	case bool:
		if x {
			return "1"
		}
		return "0"
	case int64:
		return strconv.FormatInt(x, 10)
	case nil:
		return "\x00null"
	}
	return fmt.Sprint(v)
}

func (p *parser) operand() (string, error) {
	t := p.peek()
	p.pos++
	switch t.kind {
	case "string", "number":
		return t.text, nil
	case "param":
		idx := p.nextP
		if len(t.text) > 1 {
			n, err := strconv.Atoi(t.text[1:])
			if err != nil {
				return "", fmt.Errorf("%w: named parameter %s", errSyntax, t.text)
			}
			idx = n - 1
		}
		p.nextP++
		if idx < 0 || idx >= len(p.args) {
			return "", fmt.Errorf("missing argument for %s", t.text)
		}
		return key(p.args[idx]), nil
	case "ident":
		switch strings.ToUpper(t.text) {
		case "TRUE":
			return "1", nil
		case "FALSE":
			return "0", nil
		}
		if c := column(t.text); c >= 0 {
			return key(p.row[c]), nil
		}
		return "", fmt.Errorf("no such column: %s", t.text)
	}
	return "", fmt.Errorf("%w: near %q", errSyntax, t.text)
}

func (p *parser) primary() (bool, error) {
	if p.keyword("NOT") {
		v, err := p.primary()
		return !v, err
	}
	if p.sym("(") {
		v, err := p.or()
		if err == nil && !p.sym(")") {
			err = fmt.Errorf("%w: missing )", errSyntax)
		}
		return v, err
	}
	left, err := p.operand()
	if err != nil {
		return false, err
	}
	for _, op := range []string{"=", "==", "!=", "<>"} {
		if p.sym(op) {
			right, err := p.operand()
			if op == "=" || op == "==" {
				return left == right, err
			}
			return left != right, err
		}
	}
	return left != "0" && left != "" && left != "\x00null", nil
}

func (p *parser) and() (bool, error) {
	v, err := p.primary()
	for err == nil && p.keyword("AND") {
		var w bool
		w, err = p.primary()
		v = v && w
	}
	return v, err
}

func (p *parser) or() (bool, error) {
	v, err := p.and()
	for err == nil && p.keyword("OR") {
		var w bool
		w, err = p.and()
		v = v || w
	}
	return v, err
}

func run(query string, args []driver.Value) (driver.Rows, error) {
	toks, err := tokenize(query)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, args: args}
	if !p.keyword("SELECT") {
		return nil, fmt.Errorf("%w: only SELECT is supported", errSyntax)
	}
	var idx []int
	for {
		if p.sym("*") {
			idx = append(idx, 0, 1, 2, 3)
		} else if t := p.peek(); t.kind == "ident" && column(t.text) >= 0 {
			idx = append(idx, column(t.text))
			p.pos++
		} else {
			return nil, fmt.Errorf("%w: bad column list near %q", errSyntax, t.text)
		}
		if !p.sym(",") {
			break
		}
	}
	if !p.keyword("FROM") || !p.keyword("users") {
		return nil, fmt.Errorf("%w: expected FROM users", errSyntax)
	}
	where := -1
	if p.keyword("WHERE") {
		where = p.pos
	}
	var matched [][]driver.Value
	end := p.pos
	for _, row := range table {
		p.row, p.nextP, p.pos = row, 0, where
		ok := true
		if where >= 0 {
			if ok, err = p.or(); err != nil {
				return nil, err
			}
		}
		end = p.pos
		if ok {
			matched = append(matched, row)
		}
	}
	p.pos = end
	desc, limit := false, -1
	if p.keyword("ORDER") {
		if !p.keyword("BY") || column(p.peek().text) != 0 {
			return nil, fmt.Errorf("%w: only ORDER BY id is supported", errSyntax)
		}
		p.pos++
		desc = p.keyword("DESC")
		if !desc {
			p.keyword("ASC")
		}
	}
	if p.keyword("LIMIT") {
		t := p.peek()
		p.pos++
		n, err := strconv.Atoi(t.text)
		if t.kind == "param" && err != nil {
			n, err = strconv.Atoi(key(args[len(args)-1]))
		}
		if err != nil {
			return nil, fmt.Errorf("%w: bad LIMIT", errSyntax)
		}
		limit = n
	}
	p.sym(";")
	if p.peek().kind != "eof" {
		return nil, fmt.Errorf("%w: unexpected %q", errSyntax, p.peek().text)
	}
	if desc {
		sort.SliceStable(matched, func(i, j int) bool { return matched[i][0].(int64) > matched[j][0].(int64) })
	}
	if limit >= 0 && limit < len(matched) {
		matched = matched[:limit]
	}
	rows := &memRows{}
	for _, c := range idx {
		rows.cols = append(rows.cols, columns[c])
	}
	for _, row := range matched {
		out := make([]driver.Value, len(idx))
		for i, c := range idx {
			out[i] = row[c]
		}
		rows.rows = append(rows.rows, out)
	}
	return rows, nil
}
