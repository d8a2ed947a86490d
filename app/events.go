package app

// Event names pushed from Go to the page. The payload types are documented
// in docs/bridge.md.
const (
	EventPlanChanged      = "plan:changed"      // PlanInfo
	EventScenariosChanged = "scenarios:changed" // []ScenarioInfo
	EventMenuAction       = "menu:action"       // string
)

// Emitter pushes events to the page. The desktop window implements it with
// the Wails runtime, the browser mode with Server-Sent Events, and tests with
// a recorder.
type Emitter interface {
	Emit(name string, data any)
}

// EmitterFunc adapts a function to the Emitter interface.
type EmitterFunc func(name string, data any)

// Emit calls f(name, data).
func (f EmitterFunc) Emit(name string, data any) { f(name, data) }

type nopEmitter struct{}

func (nopEmitter) Emit(string, any) {}

// Dialogs opens native file dialogs. Implementations return "" and a nil
// error when the user cancels.
type Dialogs interface {
	OpenPlanFile(title string) (string, error)
	SavePlanFile(title, defaultName string) (string, error)
	// OpenFile asks for any file to read (an import), SaveFile for a file
	// to write (a report), offering filters.
	OpenFile(title string, filters []FileFilter) (string, error)
	SaveFile(title, defaultName string, filters []FileFilter) (string, error)
}

// FileFilter is one choice of file types in a dialog: a name shown to the
// user and patterns separated by ";" ("*.csv;*.xlsx").
type FileFilter struct {
	DisplayName string
	Pattern     string
}

type noDialogs struct{}

func (noDialogs) OpenPlanFile(string) (string, error)           { return "", ErrNoDialog }
func (noDialogs) SavePlanFile(string, string) (string, error)   { return "", ErrNoDialog }
func (noDialogs) OpenFile(string, []FileFilter) (string, error) { return "", ErrNoDialog }
func (noDialogs) SaveFile(string, string, []FileFilter) (string, error) {
	return "", ErrNoDialog
}
