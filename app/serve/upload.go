package serve

import (
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// MaxUpload bounds the size of one uploaded file.
const MaxUpload = 2 << 30

// handleUpload stores the request body (a file the page chose for an
// import, since a browser cannot hand over a path) in a fresh temporary
// folder and answers {"path": ...}. The file keeps its base name, so the
// importer sees its extension and reports name it.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	name := filepath.Base(strings.ReplaceAll(r.URL.Query().Get("name"), "\\", "/"))
	if name == "." || name == "/" || name == "" || strings.HasPrefix(name, ".") {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "upload: no file name (?name=)"})
		return
	}
	dir, err := os.MkdirTemp("", "territoria-upload-")
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
		return
	}
	path := filepath.Join(dir, name)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err == nil {
		_, err = io.Copy(f, http.MaxBytesReader(w, r.Body, MaxUpload))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		os.RemoveAll(dir)
		code := http.StatusInternalServerError
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			code = http.StatusRequestEntityTooLarge
		}
		writeJSON(w, code, map[string]string{"error": "upload of " + name + ": " + err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"path": path})
}
