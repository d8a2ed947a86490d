// Package serve runs Territoria's frontend and bound services over HTTP on
// the loopback interface, for browsers on machines without a desktop
// WebView and for end-to-end tests.
//
// The page is the same build the desktop window loads. The server injects
// /wails/ipc.js and /wails/runtime.js into index.html, as the Wails asset
// server does, and those scripts rebuild window.go and window.runtime over
// HTTP: calls are POST /call, events from Go arrive on a Server-Sent-Events
// stream at /events. Every request must carry the per-run token, given once
// as ?token= on the page URL and then kept in an HttpOnly cookie.
package serve

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

// CookieName is the cookie holding the per-run token.
const CookieName = "territoria_token"

// Options configure a Server.
type Options struct {
	// Assets is the built frontend (index.html at its root).
	Assets fs.FS
	// Bind lists the services reachable from the page, as for Wails.
	Bind []any
	// Handler serves every other GET path (account tiles); may be nil.
	Handler http.Handler
	// Addr is the listen address; default "127.0.0.1:0" (any free port).
	// Only loopback addresses are accepted.
	Addr string
	// Token is the access token; a random one is made when empty.
	Token string
	// OnPageEvent receives events emitted by the page (runtime.EventsEmit).
	OnPageEvent func(name string, data []json.RawMessage)
	// Downloads finds finished export files, served at GET /download/{id}/{name}; may be nil.
	Downloads Downloads
}

// Server is a running browser-mode server.
type Server struct {
	opts     Options
	reg      *registry
	token    string
	hub      *hub
	ln       net.Listener
	srv      *http.Server
	ipcJS    []byte
	indexErr error
}

// New prepares a server; Start listens.
func New(opts Options) (*Server, error) {
	if opts.Assets == nil {
		return nil, errors.New("serve: no frontend assets")
	}
	reg, err := newRegistry(opts.Bind)
	if err != nil {
		return nil, err
	}
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	host, _, err := net.SplitHostPort(opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("serve: address %q: %w", opts.Addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("serve: address %q is not a loopback address; Territoria only serves this machine", opts.Addr)
	}
	tok := opts.Token
	if tok == "" {
		var b [24]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, err
		}
		tok = hex.EncodeToString(b[:])
	}
	s := &Server{opts: opts, reg: reg, token: tok, hub: newHub()}
	tree, _ := json.Marshal(reg.tree())
	s.ipcJS = []byte(strings.Replace(ipcJS, "__BINDINGS__", string(tree), 1))
	return s, nil
}

// Emit pushes an event to every connected page. It implements app.Emitter.
func (s *Server) Emit(name string, data any) {
	b, err := json.Marshal(struct {
		Name string `json:"name"`
		Data []any  `json:"data"`
	}{name, []any{data}})
	if err != nil {
		return
	}
	s.hub.publish(b)
}

// Start listens on the configured address and serves in the background.
func (s *Server) Start() error {
	ln, err := net.Listen("tcp", s.opts.Addr)
	if err != nil {
		return fmt.Errorf("serve: listen on %s: %w", s.opts.Addr, err)
	}
	s.ln = ln
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go s.srv.Serve(ln)
	return nil
}

// URL is the address to open in a browser, token included.
func (s *Server) URL() string {
	return fmt.Sprintf("http://%s/?token=%s", s.ln.Addr().String(), s.token)
}

// Shutdown stops the server, closing event streams.
func (s *Server) Shutdown(ctx context.Context) error {
	s.hub.close()
	if s.srv == nil {
		return nil
	}
	return s.srv.Shutdown(ctx)
}

// ServeHTTP authenticates the request and routes it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.hostAllowed(r.Host) {
		http.Error(w, "forbidden host", http.StatusForbidden)
		return
	}
	if !s.authorised(w, r) {
		http.Error(w, "missing or wrong token: open the URL printed by `territoria serve`", http.StatusForbidden)
		return
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	switch {
	case r.URL.Path == "/call" && r.Method == http.MethodPost:
		s.handleCall(w, r)
	case r.URL.Path == "/upload" && r.Method == http.MethodPost:
		s.handleUpload(w, r)
	case r.URL.Path == "/emit" && r.Method == http.MethodPost:
		s.handleEmit(w, r)
	case strings.HasPrefix(r.URL.Path, "/download/") && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		s.handleDownload(w, r)
	case r.URL.Path == "/events" && r.Method == http.MethodGet:
		s.hub.serve(w, r)
	case r.URL.Path == "/wails/ipc.js":
		writeJS(w, s.ipcJS)
	case r.URL.Path == "/wails/runtime.js":
		writeJS(w, []byte(runtimeJS))
	case r.Method != http.MethodGet && r.Method != http.MethodHead:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	default:
		s.serveAsset(w, r)
	}
}

// hostAllowed rejects requests whose Host is not the loopback address we
// listen on, which defeats DNS-rebinding pages.
func (s *Server) hostAllowed(host string) bool {
	h, _, err := net.SplitHostPort(host)
	if err != nil {
		h = host
	}
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

func (s *Server) authorised(w http.ResponseWriter, r *http.Request) bool {
	if q := r.URL.Query().Get("token"); q != "" {
		if !s.tokenOK(q) {
			return false
		}
		http.SetCookie(w, &http.Cookie{Name: CookieName, Value: s.token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
		return true
	}
	if h := r.Header.Get("X-Territoria-Token"); h != "" {
		return s.tokenOK(h)
	}
	if c, err := r.Cookie(CookieName); err == nil {
		return s.tokenOK(c.Value)
	}
	return false
}

func (s *Server) tokenOK(t string) bool {
	return subtle.ConstantTimeCompare([]byte(t), []byte(s.token)) == 1
}

type callRequest struct {
	Name string            `json:"name"`
	Args []json.RawMessage `json:"args"`
}

func (s *Server) handleCall(w http.ResponseWriter, r *http.Request) {
	var req callRequest
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<20))
	if err == nil {
		err = json.Unmarshal(body, &req)
	}
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "bad call request: " + err.Error()})
		return
	}
	res, err := s.reg.call(req.Name, req.Args)
	if err != nil {
		code := http.StatusOK // a method's error is a normal answer that rejects the promise
		var ce *callError
		if errors.As(err, &ce) {
			code = http.StatusBadRequest
		}
		writeJSON(w, code, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"result": res})
}

func (s *Server) handleEmit(w http.ResponseWriter, r *http.Request) {
	var ev struct {
		Name string            `json:"name"`
		Data []json.RawMessage `json:"data"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&ev); err != nil {
		http.Error(w, "bad event", http.StatusBadRequest)
		return
	}
	if s.opts.OnPageEvent != nil {
		s.opts.OnPageEvent(ev.Name, ev.Data)
	}
	w.WriteHeader(http.StatusNoContent)
}

// serveAsset serves the frontend build, injecting the bridge scripts into
// index.html; other paths fall through to the extra handler.
func (s *Server) serveAsset(w http.ResponseWriter, r *http.Request) {
	p := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
	if p == "" || strings.HasSuffix(r.URL.Path, "/") {
		p = "index.html"
	}
	data, err := fs.ReadFile(s.opts.Assets, p)
	if err != nil {
		if s.opts.Handler != nil {
			s.opts.Handler.ServeHTTP(w, r)
			return
		}
		http.NotFound(w, r)
		return
	}
	if p == "index.html" {
		data = injectBridge(data)
		w.Header().Set("Cache-Control", "no-store")
	}
	http.ServeContent(w, r, p, time.Time{}, bytes.NewReader(data))
}

// injectBridge puts the two bridge scripts at the start of <head>, before
// the application's own scripts, in the order Wails uses.
func injectBridge(index []byte) []byte {
	tags := []byte(`<script src="/wails/ipc.js"></script><script src="/wails/runtime.js"></script>`)
	i := bytes.Index(bytes.ToLower(index), []byte("<head>"))
	if i < 0 {
		return append(tags, index...)
	}
	i += len("<head>")
	out := make([]byte, 0, len(index)+len(tags))
	out = append(out, index[:i]...)
	out = append(out, tags...)
	return append(out, index[i:]...)
}

func writeJS(w http.ResponseWriter, b []byte) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// hub fans events out to the connected Server-Sent-Events streams.
type hub struct {
	mu     sync.Mutex
	subs   map[chan []byte]struct{}
	closed bool
	done   chan struct{}
}

func newHub() *hub { return &hub{subs: map[chan []byte]struct{}{}, done: make(chan struct{})} }

func (h *hub) publish(b []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.subs {
		select {
		case c <- b:
		default: // a stalled page misses the event rather than stalling Go
		}
	}
}

func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.closed = true
		close(h.done)
	}
}

func (h *hub) serve(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	c := make(chan []byte, 64)
	h.mu.Lock()
	h.subs[c] = struct{}{}
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		delete(h.subs, c)
		h.mu.Unlock()
	}()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, ": connected\n\n")
	fl.Flush()
	tick := time.NewTicker(15 * time.Second)
	defer tick.Stop()
	for {
		select {
		case b := <-c:
			fmt.Fprintf(w, "data: %s\n\n", b)
			fl.Flush()
		case <-tick.C:
			fmt.Fprint(w, ": ping\n\n")
			fl.Flush()
		case <-r.Context().Done():
			return
		case <-h.done:
			return
		}
	}
}
