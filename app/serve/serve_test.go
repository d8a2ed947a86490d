package serve

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// Greeter is a bound service used by the tests.
type Greeter struct{ calls int }

type Greeting struct {
	Text  string `json:"text"`
	Count int    `json:"count"`
}

func (g *Greeter) Hello(name string, n int) (Greeting, error) {
	if name == "" {
		return Greeting{}, errors.New("name is empty")
	}
	g.calls++
	return Greeting{Text: strings.Repeat("hi "+name+" ", n), Count: g.calls}, nil
}

func (g *Greeter) Ping() error        { return nil }
func (g *Greeter) Boom() (int, error) { panic("kaboom") }

func newTestServer(t *testing.T) (*Server, *http.Client) {
	t.Helper()
	assets := fstest.MapFS{
		"index.html":    {Data: []byte("<!doctype html><html><head><title>T</title></head><body></body></html>")},
		"assets/app.js": {Data: []byte("console.log(1)")},
	}
	extra := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/tiles/") {
			w.Write([]byte("tile:" + r.URL.Path))
			return
		}
		http.NotFound(w, r)
	})
	s, err := New(Options{Assets: assets, Bind: []any{&Greeter{}}, Handler: extra})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Shutdown(context.Background()) })
	jar, _ := cookiejar.New(nil)
	return s, &http.Client{Jar: jar, Timeout: 10 * time.Second}
}

func base(s *Server) string { return strings.SplitN(s.URL(), "/?", 2)[0] }

func TestTokenRequired(t *testing.T) {
	s, c := newTestServer(t)
	for _, p := range []string{"/", "/assets/app.js", "/wails/ipc.js", "/tiles/accounts/0/0/0.pbf", "/?token=wrong"} {
		t.Run(p, func(t *testing.T) {
			res, err := c.Get(base(s) + p)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusForbidden {
				t.Fatalf("GET %s without token: status %d, want 403", p, res.StatusCode)
			}
		})
	}
	res, err := c.Post(base(s)+"/call", "application/json", strings.NewReader(`{"name":"serve.Greeter.Ping","args":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("POST /call without token: status %d", res.StatusCode)
	}
}

func TestForeignHostRefused(t *testing.T) {
	s, c := newTestServer(t)
	req, _ := http.NewRequest("GET", s.URL(), nil)
	req.Host = "evil.example:80"
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("status %d, want 403", res.StatusCode)
	}
}

func get(t *testing.T, c *http.Client, url string) (int, string) {
	t.Helper()
	res, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestPageAndAssetsWithCookie(t *testing.T) {
	s, c := newTestServer(t)
	code, body := get(t, c, s.URL())
	if code != 200 {
		t.Fatalf("index: %d", code)
	}
	if !strings.Contains(body, `<head><script src="/wails/ipc.js"></script><script src="/wails/runtime.js"></script><title>`) {
		t.Fatalf("bridge scripts not injected at the start of head: %s", body)
	}
	// The cookie set by the first request authorises the rest.
	if code, body := get(t, c, base(s)+"/assets/app.js"); code != 200 || body != "console.log(1)" {
		t.Fatalf("asset: %d %q", code, body)
	}
	if code, body := get(t, c, base(s)+"/tiles/accounts/1/2/3.pbf"); code != 200 || body != "tile:/tiles/accounts/1/2/3.pbf" {
		t.Fatalf("fallthrough handler: %d %q", code, body)
	}
	code, body = get(t, c, base(s)+"/wails/ipc.js")
	if code != 200 || !strings.Contains(body, `"Greeter":["Boom","Hello","Ping"]`) {
		t.Fatalf("ipc.js lacks the bindings tree: %s", body)
	}
}

func call(t *testing.T, c *http.Client, s *Server, body string) (int, map[string]json.RawMessage) {
	t.Helper()
	res, err := c.Post(base(s)+"/call", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]json.RawMessage
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, out
}

func TestCall(t *testing.T) {
	s, c := newTestServer(t)
	get(t, c, s.URL()) // take the cookie
	tests := []struct {
		name, body string
		code       int
		result     string
		errPart    string
	}{
		{"value", `{"name":"serve.Greeter.Hello","args":["ann",2]}`, 200, `{"text":"hi ann hi ann ","count":1}`, ""},
		{"method error", `{"name":"serve.Greeter.Hello","args":["",1]}`, 200, "", "name is empty"},
		{"error only", `{"name":"serve.Greeter.Ping","args":[]}`, 200, "null", ""},
		{"unknown", `{"name":"serve.Greeter.Nope","args":[]}`, 400, "", "unknown method"},
		{"arity", `{"name":"serve.Greeter.Hello","args":["x"]}`, 400, "", "takes 2 arguments"},
		{"type", `{"name":"serve.Greeter.Hello","args":["x","y"]}`, 400, "", "argument 2"},
		{"panic", `{"name":"serve.Greeter.Boom","args":[]}`, 200, "", "internal error: kaboom"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out := call(t, c, s, tc.body)
			if code != tc.code {
				t.Fatalf("status %d, want %d (%v)", code, tc.code, out)
			}
			if tc.errPart != "" {
				var msg string
				json.Unmarshal(out["error"], &msg)
				if !strings.Contains(msg, tc.errPart) {
					t.Fatalf("error %q does not contain %q", msg, tc.errPart)
				}
				return
			}
			if string(out["result"]) != tc.result {
				t.Fatalf("result %s, want %s", out["result"], tc.result)
			}
		})
	}
}

func TestEventsReachThePage(t *testing.T) {
	s, c := newTestServer(t)
	get(t, c, s.URL())
	res, err := c.Get(base(s) + "/events")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	r := bufio.NewReader(res.Body)
	if line, _ := r.ReadString('\n'); !strings.HasPrefix(line, ": connected") {
		t.Fatalf("first line %q", line)
	}
	r.ReadString('\n')
	s.Emit("plan:changed", map[string]int{"accounts": 7})
	line, err := r.ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	want := `data: {"name":"plan:changed","data":[{"accounts":7}]}`
	if strings.TrimSpace(line) != want {
		t.Fatalf("got %q, want %q", line, want)
	}
}

func TestNonLoopbackAddressRefused(t *testing.T) {
	_, err := New(Options{Assets: fstest.MapFS{}, Addr: "0.0.0.0:0"})
	if err == nil || !strings.Contains(err.Error(), "not a loopback") {
		t.Fatalf("err = %v", err)
	}
}
