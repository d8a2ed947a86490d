package serve

import (
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// Downloads finds the file of a finished export by the id the export
// returned, and the name to offer it under.
type Downloads interface {
	Download(id string) (path, name string, ok bool)
}

// handleDownload serves a finished export file as an attachment (the
// browser cannot be handed a path to save to, so the page fetches it).
// The path is /download/{id}/{name}; only the id is looked up.
func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/download/")
	id, _, _ := strings.Cut(rest, "/")
	if s.opts.Downloads == nil || id == "" {
		http.NotFound(w, r)
		return
	}
	path, name, ok := s.opts.Downloads.Download(id)
	if !ok {
		http.Error(w, "no such export (it may have been replaced by newer ones; export again)", http.StatusNotFound)
		return
	}
	f, err := os.Open(path)
	if err != nil {
		http.Error(w, "the export file is gone: "+err.Error(), http.StatusGone)
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.IsDir() {
		http.Error(w, "the export is not a file", http.StatusGone)
		return
	}
	ctype := mime.TypeByExtension(filepath.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Cache-Control", "no-store")
	http.ServeContent(w, r, "", fi.ModTime(), f)
}
