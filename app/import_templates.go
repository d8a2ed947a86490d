package app

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"territoria/storage/settings"
	"territoria/storage/tableimport"
)

// ImportTemplate is a column mapping the user saved under a name, offered
// again for imports of its kind. Mapping is what `territoria import
// --mapping` reads.
type ImportTemplate struct {
	Name    string        `json:"name"`
	Kind    string        `json:"kind"`
	Mapping ImportMapping `json:"mapping"`
}

// ImportFile is a file an import wrote for the user: at Path (the desktop),
// or kept for download at Download (the browser mode: GET
// /download/{id}/{name}), offered under Name.
type ImportFile struct {
	Path     string `json:"path"`
	Download string `json:"download"`
	Name     string `json:"name"`
	Bytes    int64  `json:"bytes"`
}

// Templates lists the saved templates of kind ("" for every kind), in order
// of kind and name. A template a hand edit of the settings file broke is
// left out.
func (s *ImportService) Templates(kind string) ([]ImportTemplate, error) {
	s.p.mu.RLock()
	defer s.p.mu.RUnlock()
	return templatesOf(&s.p.settings, kind), nil
}

func templatesOf(st *settings.Settings, kind string) []ImportTemplate {
	out := []ImportTemplate{}
	for _, t := range st.Templates(kind) {
		m, err := tableimport.ParseMapping(t.Mapping, fmt.Sprintf("template %q", t.Name))
		if err != nil || string(m.Kind) != t.Kind {
			continue
		}
		out = append(out, ImportTemplate{Name: t.Name, Kind: t.Kind, Mapping: m})
	}
	return out
}

// templateKind checks that kind has templates: the table kinds do (a
// boundary import has no column mapping).
func templateKind(kind string) error {
	if slices.Contains(tableimport.Kinds, tableimport.Kind(kind)) {
		return nil
	}
	if kind == "boundaries" {
		return errors.New("boundary imports have no column mapping to save as a template")
	}
	return fmt.Errorf("unknown import kind %q (want accounts, reps, sales, visits, alignment or unit-data)", kind)
}

// SaveTemplate keeps mapping under name in the user's settings (replacing
// a template of the same kind and name, without regard to case) and
// returns the templates of its kind.
func (s *ImportService) SaveTemplate(name string, mapping ImportMapping) ([]ImportTemplate, error) {
	kind := string(mapping.Kind)
	if err := templateKind(kind); err != nil {
		return nil, err
	}
	b, err := tableimport.MarshalMapping(mapping)
	if err != nil {
		return nil, fmt.Errorf("template %q: %w", strings.TrimSpace(name), err)
	}
	s.p.mu.Lock()
	defer s.p.mu.Unlock()
	next := s.p.settings
	next.ImportTemplates = slices.Clone(next.ImportTemplates)
	if err := next.PutTemplate(settings.ImportTemplate{Name: name, Kind: kind, Mapping: b}); err != nil {
		return nil, err
	}
	if err := s.p.storeSettingsLocked(next); err != nil {
		return nil, err
	}
	return templatesOf(&s.p.settings, kind), nil
}

// DeleteTemplate removes the template of kind named name and returns the
// templates of kind left. Deleting one that is not there is an error.
func (s *ImportService) DeleteTemplate(kind, name string) ([]ImportTemplate, error) {
	s.p.mu.Lock()
	defer s.p.mu.Unlock()
	next := s.p.settings
	next.ImportTemplates = slices.Clone(next.ImportTemplates)
	if !next.RemoveTemplate(kind, name) {
		return nil, fmt.Errorf("there is no %s template %q", kind, strings.TrimSpace(name))
	}
	if err := s.p.storeSettingsLocked(next); err != nil {
		return nil, err
	}
	return templatesOf(&s.p.settings, kind), nil
}

// storeSettingsLocked makes next the settings and writes them; when they
// cannot be written the settings stay as they were and the error says why.
func (s *PlanService) storeSettingsLocked(next settings.Settings) error {
	if s.cfg.SettingsPath != "" {
		if err := settings.Save(s.cfg.SettingsPath, next); err != nil {
			return fmt.Errorf("the template was not kept: %w", err)
		}
	}
	s.settings = next
	return nil
}

var templateFilters = []FileFilter{
	{DisplayName: "Import mapping (*.json)", Pattern: "*.json"},
	{DisplayName: "All files", Pattern: "*"},
}

// ChooseTemplateFile shows the native open dialog for a mapping file; ""
// when cancelled, error "no-dialog" in browser mode (the page uploads it).
func (s *ImportService) ChooseTemplateFile() (string, error) {
	return s.p.dialogs().OpenFile(s.p.word("Load import template", "载入导入模板"), templateFilters)
}

// ReadTemplateFile reads a mapping file (as `territoria import --mapping`
// does) for the wizard to apply or save; the file's problems are errors
// naming it.
func (s *ImportService) ReadTemplateFile(path string) (ImportMapping, error) {
	if strings.TrimSpace(path) == "" {
		return ImportMapping{}, errors.New("no file given")
	}
	m, err := tableimport.ReadMapping(path)
	if err != nil {
		return ImportMapping{}, err
	}
	if m.Kind == "" {
		return ImportMapping{}, fmt.Errorf("mapping %s names no kind (add \"kind\": \"accounts\" or another kind)", filepath.Base(path))
	}
	return m, nil
}

// ChooseTemplatePath shows the native save dialog for a mapping file named
// after the template; "" when cancelled, error "no-dialog" in browser mode.
func (s *ImportService) ChooseTemplatePath(name string) (string, error) {
	return s.p.dialogs().SaveFile(s.p.word("Export import template", "导出导入模板"), templateFileName(name), templateFilters[:1])
}

func templateFileName(name string) string {
	return safeName(name) + ".json"
}

// ExportTemplate writes the template of kind named name as a mapping file
// (what `territoria import --mapping` reads) at path; with an empty path
// (the browser mode) the file is kept for download instead.
func (s *ImportService) ExportTemplate(kind, name, path string) (ImportFile, error) {
	s.p.mu.RLock()
	var found *ImportTemplate
	for _, t := range templatesOf(&s.p.settings, kind) {
		if strings.EqualFold(t.Name, strings.TrimSpace(name)) {
			found = &t
			break
		}
	}
	s.p.mu.RUnlock()
	if found == nil {
		return ImportFile{}, fmt.Errorf("there is no %s template %q", kind, strings.TrimSpace(name))
	}
	b, err := tableimport.MarshalMapping(found.Mapping)
	if err != nil {
		return ImportFile{}, err
	}
	return s.p.offerFile(path, templateFileName(found.Name), func(p string) error { return os.WriteFile(p, b, 0o644) })
}

// ReportDownload writes the rejected rows of the last import as an .xlsx
// workbook and keeps it for download (the browser mode, which has no save
// dialog); the desktop saves it with ChooseReportPath and SaveReport.
func (s *ImportService) ReportDownload() (ImportFile, error) {
	s.mu.Lock()
	rep := s.lastRep
	s.mu.Unlock()
	if rep.File == "" {
		return ImportFile{}, errors.New("no import has been run yet")
	}
	stem := strings.TrimSuffix(rep.File, filepath.Ext(rep.File))
	name := safeName(stem+"-"+s.p.word("rejected", "未导入")) + ".xlsx"
	lang := s.p.word("en", "zh-CN")
	return s.p.offerFile("", name, func(p string) error { return WriteImportReport(p, rep, lang) })
}

// offerFile writes a file with write: at path, or with an empty path into
// a fresh temporary folder, kept for download under name.
func (s *PlanService) offerFile(path, name string, write func(path string) error) (ImportFile, error) {
	if path = strings.TrimSpace(path); path != "" {
		if err := write(path); err != nil {
			return ImportFile{}, err
		}
		out := ImportFile{Path: path, Name: filepath.Base(path)}
		if fi, err := os.Stat(path); err == nil {
			out.Bytes = fi.Size()
		}
		return out, nil
	}
	dir, err := os.MkdirTemp("", "territoria-download-")
	if err != nil {
		return ImportFile{}, err
	}
	p := filepath.Join(dir, name)
	if err := write(p); err != nil {
		os.RemoveAll(dir)
		return ImportFile{}, err
	}
	out := ImportFile{Name: name}
	if fi, err := os.Stat(p); err == nil {
		out.Bytes = fi.Size()
	}
	id := downloadsFor(s).add(p, dir)
	out.Download = "/download/" + id + "/" + url.PathEscape(name)
	return out, nil
}
